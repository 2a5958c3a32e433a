// Package localdynamo is a local, SQLite-backed stand-in for Amazon
// DynamoDB: an embeddable, Docker-free DynamoDB for tests and for the
// faasport emulator, which unmodified aws-sdk-go-v2 code and the AWS CLI
// talk to over DynamoDB's own JSON protocol.
//
// [Open] a [Store] on a file (durable: an acknowledged write survives the
// process being killed, though not a power loss, as SQLite's WAL with
// synchronous=NORMAL promises) or in memory, then serve [Store.Handler] on an
// HTTP server, or hand [Store.HTTPClient] to an SDK client to skip the
// network entirely. Package localdynamotest builds an aws.Config for the
// in-process client.
//
// Supported operations: CreateTable, DescribeTable, ListTables,
// DeleteTable, UpdateTable (global secondary indexes added, backfilled and
// removed), PutItem, GetItem, DeleteItem, UpdateItem, Query, Scan,
// BatchGetItem, BatchWriteItem, TransactWriteItems, TransactGetItems,
// UpdateTimeToLive, DescribeTimeToLive, TagResource, UntagResource and
// ListTagsOfResource, with the whole expression
// language (condition, filter, key condition, update and projection
// expressions) and DynamoDB's validation messages.
//
// Every access is offered to [Options.Authorizer], if set, as an [Access]:
// its IAM action and resource ARN, and the values of DynamoDB's condition
// keys dynamodb:LeadingKeys, dynamodb:Attributes, dynamodb:Select,
// dynamodb:ReturnValues, dynamodb:ReturnConsumedCapacity and
// dynamodb:EnclosingOperation, the seam where IAM policies plug in.
//
// # Storage
//
// All tables share two SQLite tables: items keyed by (table, partition
// hash, partition key, sort key), and index entries keyed by (table, index,
// partition hash, index keys, primary key). Keys are encoded so that
// SQLite's bytewise BLOB order is DynamoDB's key order: strings and
// binaries by their bytes, numbers by value. Items are stored in DynamoDB's
// JSON. Index entries are written in the same SQLite transaction as their
// item. Writes are serialized, on a connection of their own; concurrent
// writes share a transaction (each in a savepoint, answered once it has
// committed). Reads run concurrently, each operation on one snapshot, and
// read the database file through a memory map; once writes pause for half
// a second, the write-ahead log is copied into that file, so that reads
// after a bulk load need not search the log. A file store keeps its read
// transactions open for the next reads until the store writes, or for at
// most 250 ms: a read sees every write the store acknowledged before it
// began, and writes by other processes on the file within 250 ms. Other
// processes may also create, change and delete tables: a store checks for
// such changes at the start of each write transaction, and runs the
// transaction's operations again on the new metadata when it finds one,
// so that no item is written by a stale key schema or index list; its
// reads see them within 250 ms, and at once for a table they name that
// the store did not know. Once
// started, an operation runs to its end even if its client goes away.
//
// # Differences from AWS
//
//   - A global secondary index's key has one HASH and at most one RANGE
//     attribute; DynamoDB's multi-attribute keys (up to four of each) are
//     refused as a key schema DynamoDB refused before them.
//   - Tables and indexes are ACTIVE at once: CreateTable answers ACTIVE, not
//     CREATING, and a new global secondary index is backfilled within the
//     UpdateTable call. UpdateTable applies DynamoDB's rules on what one
//     call may combine (one index created or deleted, encryption, deletion
//     protection and table class each alone, and so on), but since nothing
//     is ever in progress, the ResourceInUseException of a change made
//     while another settles never occurs.
//   - Reads are always strongly consistent, global secondary indexes
//     included; ConsistentRead only changes the capacity units reported.
//   - BatchGetItem and BatchWriteItem never leave unprocessed items, and a
//     BatchWriteItem is applied atomically. Nothing is throttled and
//     provisioned capacity is not enforced; consumed capacity is computed
//     from item sizes as DynamoDB documents it, writes to indexes included
//     (a TransactWriteItems replayed with its ClientRequestToken reports
//     reading its items at the rate of transactional reads).
//   - TableClass, SSESpecification and OnDemandThroughput are recorded and
//     described as DynamoDB does, but change nothing: data is not
//     encrypted and request units are not limited. ItemCollectionMetrics
//     always estimates an item collection at 0 to 1 GB, and the 10 GB
//     limit of an item collection is not enforced. BatchWriteItem and
//     TransactWriteItems list each item collection they wrote once, in
//     the order first written.
//   - A table's ARN names it wherever a request names a table, as on
//     DynamoDB; the ARN of another region's or account's table names no
//     table here (ResourceNotFoundException).
//   - The provisioned throughput of a table or a global index may be
//     lowered four times a UTC day, then once an hour, as on DynamoDB; the
//     refusal is worded as for a table in both cases.
//   - Tag changes show in ListTagsOfResource at once (DynamoDB takes
//     about two seconds), and there is no per-table tag write lock.
//   - UpdateTimeToLive takes effect at once (DescribeTimeToLive never
//     answers ENABLING or DISABLING) and may be repeated at will, where
//     DynamoDB refuses another change for about 30 minutes ("Time to live
//     has been modified multiple times within a fixed interval").
//   - Items whose TTL has passed are invisible to every read and to
//     condition checks at once (DynamoDB may show them for days), and are
//     deleted by a background sweep.
//   - Scan returns items in the order of a hash of the partition key, like
//     DynamoDB, but not the same order as DynamoDB; parallel scan segments
//     are ranges of that hash, so they share a table about evenly. (Store
//     files written before the hash gained its final mixing step are
//     rewritten once, in one transaction, when first opened; from then on
//     a faasport older than that misreads them, so every process sharing
//     a file must run the same faasport. A file of a newer store format
//     than a faasport knows is refused at Open.)
//   - The legacy parameters Expected, KeyConditions, QueryFilter,
//     ScanFilter, AttributeUpdates and ConditionalOperator are refused with a
//     ValidationException of the store's own wording (never silently
//     ignored), unless the request also has expression parameters, which
//     DynamoDB refuses in its own words; AttributesToGet is honoured.
//     PartiQL, streams, backups, global tables, Kinesis destinations,
//     contributor insights, resource policies, DescribeLimits and replica
//     auto scaling are not implemented: those operations answer
//     UnknownOperationException; CreateTable and UpdateTable check a
//     StreamSpecification but create no stream, and UpdateTable refuses
//     ReplicaUpdates, MultiRegionConsistency and GlobalTableWitnessUpdates
//     by name. WarmThroughput is reported, set and raised as DynamoDB does
//     but changes nothing, and a raise is ACTIVE at once.
//   - Some messages could not be checked against DynamoDB and are the
//     store's best rendering: IdempotentParameterMismatchException,
//     TransactionConflictException, the more exotic expression errors, a
//     TransactWriteItems over 4 MB (counted as its items, keys and
//     expression values) and an update that makes a secondary index key
//     too large (worded as PutItem's refusal). An expression's 4 KB limit
//     is counted in bytes.
//     Where DynamoDB's wording differs between regions, the store answers
//     what most regions do; where some regions echo the whole request (too
//     many members in a batch or transaction), it answers the other
//     regions' form, which names the member instead.
//   - A member of the wrong JSON type is refused with DynamoDB's
//     SerializationException and message, the first in the body's order,
//     before anything is validated; but a decimal or an out-of-range
//     number where an integer belongs, base64 with characters outside its
//     alphabet and malformed JSON get the store's "Start of structure or
//     map found where not expected", and the members of the legacy
//     parameters are not checked for their types.
//   - Requests are not checked for a valid SigV4 signature: the access key
//     id is taken from the Authorization header as the caller, and an
//     unsigned request has the caller "". Denials name the principal
//     arn:aws:iam::<account>:user/<access key id> unless the Authorizer
//     says otherwise.
//   - Under an Authorizer, a caller that may not use a table name is
//     denied instead of learning that the table does not exist, in every
//     operation (TableName, a batch's RequestItems, a transaction's
//     members with the item action IAM checks for each). For requests the
//     store refuses as invalid, ValidationException comes before access is
//     decided, where DynamoDB may answer AccessDeniedException.
//   - The condition keys an Authorizer sees follow the developer guide,
//     and where it says nothing the store's reading of it: GetItem,
//     BatchGetItem and TransactGetItems have a dynamodb:Select
//     (SPECIFIC_ATTRIBUTES with a projection, ALL_ATTRIBUTES without); the
//     dynamodb:Attributes of a read with a projection add the attributes
//     its key condition and filter evaluate, and those of a write the
//     attributes its condition and the right-hand sides of its SET actions
//     read, while a read without a projection and a delete name all
//     attributes (nil); a transaction member's dynamodb:ReturnValues is its
//     ReturnValuesOnConditionCheckFailure. The
//     ReturnValuesOnConditionCheckFailure of PutItem, UpdateItem and
//     DeleteItem is in no condition key.
//   - A store opened on ":memory:" uses one SQLite connection, so its
//     reads are serialized too.
//   - TransactWriteItems conflicts with another process writing the same
//     file surface as TransactionConflictException once the busy timeout
//     has passed; within one process, transactions queue instead.
package localdynamo
