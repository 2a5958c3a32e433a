package localdynamo_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/google/go-cmp/cmp"
)

// awsError is what a client sees of an error answer: the status, the
// __type after '#', the message and, for TransactionCanceledException, the
// cancellation reasons as "Code" or "Code: Message".
type awsError struct {
	Status  int
	Type    string
	Message string
	Reasons []string
}

// rawCall sends one request in DynamoDB's JSON 1.0 protocol to h.
func rawCall(h http.Handler, op, body string) (int, []byte) {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func parseAWSError(t *testing.T, status int, body []byte) awsError {
	t.Helper()
	var raw struct {
		Type                string `json:"__type"`
		Lower               string `json:"message"`
		Upper               string `json:"Message"`
		CancellationReasons []struct {
			Code    string
			Message string
		}
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	got := awsError{Status: status, Type: raw.Type, Message: raw.Lower + raw.Upper}
	if i := strings.LastIndexByte(got.Type, '#'); i >= 0 {
		got.Type = got.Type[i+1:]
	}
	for _, r := range raw.CancellationReasons {
		s := r.Code
		if r.Message != "" {
			s += ": " + r.Message
		}
		got.Reasons = append(got.Reasons, s)
	}
	return got
}

func invalid(msg string) awsError { return awsError{400, "ValidationException", msg, nil} }

func badType(msg string) awsError { return awsError{400, "SerializationException", msg, nil} }

func cancelled(reasons ...string) awsError {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i], _, _ = strings.Cut(r, ":")
	}
	return awsError{400, "TransactionCanceledException", "Transaction cancelled, please refer cancellation reasons for specific reasons [" + strings.Join(codes, ", ") + "]", reasons}
}

var (
	notFoundErr  = awsError{400, "ResourceNotFoundException", "Requested resource not found", nil}
	conditionErr = awsError{400, "ConditionalCheckFailedException", "The conditional request failed", nil}
)

const (
	schemaMismatch = "The provided key element does not match the schema"
	emptyBinaryKey = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk"
	emptyStringKey = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"
	overlapAA      = "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"
	overlapAAB     = "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"
)

// The tables of the conformance suite's helpers: hash (pk S), hashB (pk B),
// composite (pk, sk S with LSIs lsi1, lsi2 and GSIs gsi1, gsi2) and gsiB (pk S
// with GSI gsib on the binary bidx).
var messageTables = []string{
	`{"TableName":"hash","BillingMode":"PAY_PER_REQUEST",
	  "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
	  "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`,
	`{"TableName":"hashB","BillingMode":"PAY_PER_REQUEST",
	  "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"B"}],
	  "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`,
	`{"TableName":"composite","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},
	  "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},
	    {"AttributeName":"lsi1sk","AttributeType":"S"},{"AttributeName":"lsi2sk","AttributeType":"S"}],
	  "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
	  "LocalSecondaryIndexes":[
	    {"IndexName":"lsi1","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"lsi1sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}},
	    {"IndexName":"lsi2","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"lsi2sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["lsi1sk"]}}],
	  "GlobalSecondaryIndexes":[
	    {"IndexName":"gsi1","KeySchema":[{"AttributeName":"lsi1sk","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}},
	    {"IndexName":"gsi2","KeySchema":[{"AttributeName":"lsi1sk","KeyType":"HASH"},{"AttributeName":"lsi2sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["data"]},"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}]}`,
	`{"TableName":"gsiB","BillingMode":"PAY_PER_REQUEST",
	  "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"bidx","AttributeType":"B"}],
	  "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
	  "GlobalSecondaryIndexes":[{"IndexName":"gsib","KeySchema":[{"AttributeName":"bidx","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`,
}

// The items the conditional-check cases fail against.
var messageItems = []string{
	`{"TableName":"hash","Item":{"pk":{"S":"em-ccf"},"attr1":{"S":"exists"}}}`,
	`{"TableName":"hash","Item":{"pk":{"S":"em-ccf-2"},"attr1":{"S":"exists"}}}`,
	`{"TableName":"hash","Item":{"pk":{"S":"em-big"},"big":{"S":"` + strings.Repeat("x", 300*1024) + `"}}}`,
}

// indexes renders n index definitions for CreateTable, each keyed on an
// attribute of its own (g0, g1, ...) or, for local ones, on the range key.
func indexes(n int, local bool) string {
	var parts []string
	for i := range n {
		if local {
			parts = append(parts, fmt.Sprintf(`{"IndexName":"lsi%d","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}`, i))
		} else {
			parts = append(parts, fmt.Sprintf(`{"IndexName":"gsi%d","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}`, i))
		}
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// TestAWSMessages checks the status, error type and message answered for
// bad requests against those real DynamoDB answers. Sources are the
// nubo-db/dynamodb-conformance suite's tests/tier3/error-messages files,
// captured from DynamoDB (cited as file: test title), and the AWS API
// reference where noted.
func TestAWSMessages(t *testing.T) {
	s, err := localdynamo.Open(":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	for _, body := range messageTables {
		if status, out := rawCall(h, "CreateTable", body); status != http.StatusOK {
			t.Fatalf("CreateTable: %d %s", status, out)
		}
	}
	for _, body := range messageItems {
		if status, out := rawCall(h, "PutItem", body); status != http.StatusOK {
			t.Fatalf("PutItem: %d %.200s", status, out)
		}
	}
	const ctAttrs = `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]`
	const ctComposite = `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]`
	const tp5 = `"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}`
	big := strings.Repeat("y", 200*1024)
	const nothingToUpdate = "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, " +
		"SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, " +
		"DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"
	arnIn := func(acct string) string { return "arn:aws:dynamodb:us-east-1:" + acct + ":" }
	hashARN := arnIn("000000000000") + "table/hash"
	// gsiOnG is CreateTable's attributes, key and billing mode for a table
	// with one global index on g, whose Projection member is proj (none
	// if empty).
	gsiOnG := func(proj string) string {
		if proj != "" {
			proj = `,"Projection":` + proj
		}
		return `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],` +
			`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",` +
			`"GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}]` + proj + `}]`
	}
	const createGSI3 = `"AttributeDefinitions":[{"AttributeName":"lsi2sk","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[` +
		`{"Create":{"IndexName":"gsi3","KeySchema":[{"AttributeName":"lsi2sk","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},` + tp5 + `}}]`
	// Key values one byte over DynamoDB's limits, and the messages for
	// them (sic: "of2048").
	a2049, b1025 := strings.Repeat("a", 2049), strings.Repeat("b", 1025)
	bin2049 := base64.StdEncoding.EncodeToString([]byte(a2049))
	const hashTooBig = "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
	const rangeTooBig = "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
	const nesting = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	// ops301 is a condition of 151 comparisons and 150 ORs, nested so
	// that it stays well under 4 KB.
	ops301 := "a<b " + strings.Repeat("or (a<b ", 150) + strings.Repeat(")", 150)
	in101 := "a IN (" + strings.Repeat(":v, ", 100) + ":v)"
	var over4MB []string
	for i := range 12 {
		over4MB = append(over4MB, fmt.Sprintf(`{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-4mb-%d"},"p":{"S":"%s"}}}}`, i, strings.Repeat("x", 350000)))
	}
	long256 := strings.Repeat("k", 256)
	tests := []struct {
		name, op, body string
		want           awsError
	}{
		// createTable.test.ts: missing TableName: full required-parameter error
		{"CreateTable missing TableName", "CreateTable", `{` + ctAttrs + `,` + tp5 + `}`,
			invalid("The parameter 'TableName' is required but was not present in the request")},
		// createTable.test.ts: short table name (2 chars): minimum length 3 error
		{"CreateTable short name", "CreateTable", `{"TableName":"ab",` + ctAttrs + `,` + tp5 + `}`,
			invalid("1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3")},
		// createTable.test.ts: duplicate attribute in KeySchema
		{"CreateTable duplicate key attribute", "CreateTable", `{"TableName":"ct_dup_key","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"pk","KeyType":"RANGE"}],` + tp5 + `}`,
			invalid("Invalid KeySchema: Some index key attribute have no definition")},
		// createTable.test.ts: more than 2 KeySchema elements
		{"CreateTable three key elements", "CreateTable", `{"TableName":"ct_3keys","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"extra","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"},{"AttributeName":"extra","KeyType":"RANGE"}],` + tp5 + `}`,
			invalid("1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2")},
		// createTable.test.ts: invalid KeyType
		{"CreateTable invalid KeyType", "CreateTable", `{"TableName":"ct_bad_keytype","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"INVALID"}],` + tp5 + `}`,
			invalid("1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]")},
		// createTable.test.ts: invalid AttributeType
		{"CreateTable invalid AttributeType", "CreateTable", `{"TableName":"ct_bad_attrtype","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"INVALID"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],` + tp5 + `}`,
			invalid("1 validation error detected: Value 'INVALID' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]")},
		// createTable.test.ts: LSI without range key on base table
		{"CreateTable LSI without range key", "CreateTable", `{"TableName":"ct_lsi_no_range","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"lsiSk","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
			"LocalSecondaryIndexes":[{"IndexName":"lsi1","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"lsiSk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],` + tp5 + `}`,
			invalid("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")},
		// createTable.test.ts: duplicate index names
		{"CreateTable duplicate index names", "CreateTable", `{"TableName":"ct_dup_idx",
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"gsiPk1","AttributeType":"S"},{"AttributeName":"gsiPk2","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
			"GlobalSecondaryIndexes":[
			  {"IndexName":"sameIndex","KeySchema":[{"AttributeName":"gsiPk1","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},` + tp5 + `},
			  {"IndexName":"sameIndex","KeySchema":[{"AttributeName":"gsiPk2","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},` + tp5 + `}],` + tp5 + `}`,
			invalid("One or more parameter values were invalid: Duplicate index name: sameIndex")},
		// createTable.test.ts: PAY_PER_REQUEST with ProvisionedThroughput: full conflict message
		{"CreateTable PAY_PER_REQUEST with throughput", "CreateTable", `{"TableName":"em_ct_ppr_tp",` + ctAttrs + `,"BillingMode":"PAY_PER_REQUEST",` + tp5 + `}`,
			invalid("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")},
		// createTable.test.ts: GSI INCLUDE projection without NonKeyAttributes: full missing-attributes message
		{"CreateTable INCLUDE without NonKeyAttributes", "CreateTable", `{"TableName":"em_ct_include_nonk","BillingMode":"PAY_PER_REQUEST",
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"gsipk","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
			"GlobalSecondaryIndexes":[{"IndexName":"gsi_inc","KeySchema":[{"AttributeName":"gsipk","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE"}}]}`,
			invalid("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified")},
		// AWS API reference, ProvisionedThroughput: ReadCapacityUnits and
		// WriteCapacityUnits have a minimum of 1 (found against dynalite).
		{"CreateTable zero read capacity", "CreateTable", `{"TableName":"ct_zero_rcu",` + ctAttrs + `,"ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":5}}`,
			invalid("1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1")},
		{"CreateTable zero write capacity", "CreateTable", `{"TableName":"ct_zero_wcu",` + ctAttrs + `,"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":0}}`,
			invalid("1 validation error detected: Value '0' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1")},
		// AWS documentation, Service quotas: 20 global secondary indexes per
		// table (found against dynalite).
		{"CreateTable 21 GSIs", "CreateTable", `{"TableName":"ct_21_gsis","BillingMode":"PAY_PER_REQUEST",` + ctAttrs + `,"GlobalSecondaryIndexes":` + indexes(21, false) + `}`,
			invalid("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20")},
		// AWS documentation, Service quotas: 5 local secondary indexes per
		// table (found against dynalite).
		{"CreateTable 6 LSIs", "CreateTable", `{"TableName":"ct_6_lsis","BillingMode":"PAY_PER_REQUEST",` + ctComposite + `,"LocalSecondaryIndexes":` + indexes(6, true) + `}`,
			invalid("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5")},

		// AWS API reference, ListTables: ExclusiveStartTableName has length
		// 3 to 255 (found against dynalite).
		{"ListTables short ExclusiveStartTableName", "ListTables", `{"ExclusiveStartTableName":"ab"}`,
			invalid("1 validation error detected: Value 'ab' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3")},
		{"ListTables long ExclusiveStartTableName", "ListTables", `{"ExclusiveStartTableName":"` + strings.Repeat("a", 256) + `"}`,
			invalid("1 validation error detected: Value '" + strings.Repeat("a", 256) + "' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length less than or equal to 255")},
		// AWS API reference, TimeToLiveSpecification: AttributeName has
		// length 1 to 255; an empty name breaks the length constraint.
		{"UpdateTimeToLive empty AttributeName", "UpdateTimeToLive", `{"TableName":"hash","TimeToLiveSpecification":{"Enabled":true,"AttributeName":""}}`,
			invalid("1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1")},

		// putItem.test.ts: missing table name: full validation error string
		{"PutItem missing table name", "PutItem", `{"Item":{"pk":{"S":"test"}}}`,
			invalid("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null")},
		// putItem.test.ts: empty table name: minimum length 1 error
		{"PutItem empty table name", "PutItem", `{"TableName":"","Item":{"pk":{"S":"test"}}}`,
			invalid("1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1")},
		// putItem.test.ts: table name too long (256 chars): maximum length 255 error
		{"PutItem long table name", "PutItem", `{"TableName":"` + strings.Repeat("a", 256) + `","Item":{"pk":{"S":"test"}}}`,
			invalid("1 validation error detected: Value '" + strings.Repeat("a", 256) + "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255")},
		// putItem.test.ts: table name with invalid chars: regex pattern error
		{"PutItem invalid table name", "PutItem", `{"TableName":"bad table!@#","Item":{"pk":{"S":"test"}}}`,
			invalid("1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")},
		// putItem.test.ts: empty string set: full parameter-values-invalid error
		{"PutItem empty SS", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"},"bad":{"SS":[]}}}`,
			invalid("One or more parameter values were invalid: An string set  may not be empty")},
		// putItem.test.ts: empty number set: full parameter-values-invalid error
		{"PutItem empty NS", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"},"bad":{"NS":[]}}}`,
			invalid("One or more parameter values were invalid: An number set  may not be empty")},
		// putItem.test.ts: empty binary set: full parameter-values-invalid error
		{"PutItem empty BS", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"},"bad":{"BS":[]}}}`,
			invalid("One or more parameter values were invalid: Binary sets should not be empty")},
		// putItem.test.ts: duplicate values in SS: full duplicates error (the
		// suite floats the rendering of the collection)
		{"PutItem duplicate SS", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"},"bad":{"SS":["a","a"]}}}`,
			invalid("One or more parameter values were invalid: Input collection [a, a] contains duplicates.")},
		// putItem.test.ts: duplicate zero-length members in BS: full duplicates error
		{"PutItem duplicate BS", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"},"bad":{"BS":["",""]}}}`,
			invalid("One or more parameter values were invalid: Input collection [, ]of type BS contains duplicates.")},
		// putItem.test.ts: empty string member in NS: numeric conversion error
		{"PutItem empty NS member", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"},"bad":{"NS":[""]}}}`,
			invalid("The parameter cannot be converted to a numeric value")},
		// putItem.test.ts: ExpressionAttributeValues without expression: full unused-EAV error
		// (enveloped, as the file's "request validation envelope" block records, 2026-10-09)
		{"PutItem values without expression", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"}},"ExpressionAttributeValues":{":v":{"S":"unused"}}}`,
			invalid("1 validation error detected: ExpressionAttributeValues can only be specified when using expressions")},
		// putItem.test.ts: PutItem - request validation envelope: ExpressionAttributeValues or
		// ExpressionAttributeNames without an expression
		{"PutItem names without expression", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-put-envelope"}},"ExpressionAttributeNames":{"#a":"a"}}`,
			invalid("1 validation error detected: ExpressionAttributeNames can only be specified when using expressions")},
		// putItem.test.ts: PutItem - request validation envelope: an empty ConditionExpression
		{"PutItem empty ConditionExpression", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-put-envelope"}},"ConditionExpression":""}`,
			invalid("1 validation error detected: Invalid ConditionExpression: The expression can not be empty;")},
		// putItem.test.ts: redundant parentheses in ConditionExpression: full error string
		{"PutItem redundant parentheses", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-put-redundant"}},"ConditionExpression":"((attribute_not_exists(pk)))"}`,
			invalid("Invalid ConditionExpression: The expression has redundant parentheses;")},
		// putItem.test.ts: contains() with duplicate path and operand: full distinct-operand error
		{"PutItem contains same operands", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-put-contains-dup"}},"ConditionExpression":"contains(#a, #a)","ExpressionAttributeNames":{"#a":"data"}}`,
			invalid("Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [data]")},
		// putItem.test.ts: empty-binary item key value: full ValidationException message
		{"PutItem empty binary key", "PutItem", `{"TableName":"hashB","Item":{"pk":{"B":""}}}`,
			invalid(emptyBinaryKey)},

		// getItem.test.ts: non-existent table: full ResourceNotFoundException message;
		// getItem/validation.test.ts: rejects GetItem on a non-existent table
		{"GetItem missing table", "GetItem", `{"TableName":"_conformance_does_not_exist_em_get","Key":{"pk":{"S":"test"}}}`, notFoundErr},
		// A table ARN names a table (TestConformance); one of another
		// account or region names none here.
		{"GetItem another account's table ARN", "GetItem", `{"TableName":"` + arnIn("111111111111") + `table/hash","Key":{"pk":{"S":"test"}}}`, notFoundErr},
		{"GetItem another region's table ARN", "GetItem", `{"TableName":"arn:aws:dynamodb:eu-west-1:000000000000:table/hash","Key":{"pk":{"S":"test"}}}`, notFoundErr},
		{"CreateTable another account's table ARN", "CreateTable", `{"TableName":"` + arnIn("111111111111") + `table/x",` + ctAttrs + `,"BillingMode":"PAY_PER_REQUEST"}`,
			invalid("1 validation error detected: Value '" + arnIn("111111111111") + "table/x' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")},
		// getItem.test.ts: malformed Key (missing range key on composite table): full schema-mismatch error;
		// getItem/validation.test.ts: rejects GetItem with missing range key on composite table
		{"GetItem missing range key", "GetItem", `{"TableName":"composite","Key":{"pk":{"S":"test"}}}`, invalid(schemaMismatch)},
		// getItem.test.ts: invalid ProjectionExpression syntax: full parser error
		{"GetItem projection syntax", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"test"}},"ProjectionExpression":"!!! INVALID !!!"}`,
			invalid(`Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"`)},
		// getItem.test.ts: empty-binary key value: full ValidationException message
		{"GetItem empty binary key", "GetItem", `{"TableName":"hashB","Key":{"pk":{"B":""}}}`, invalid(emptyBinaryKey)},
		// getItem.test.ts: raw duplicate paths (a, a): full overlap message with the path on both sides
		{"GetItem projection a, a", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"a, a"}`, invalid(overlapAA)},
		// getItem.test.ts: two distinct aliases resolving to one attribute (#a, #b -> a)
		{"GetItem projection #a, #b", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"#a, #b","ExpressionAttributeNames":{"#a":"a","#b":"a"}}`, invalid(overlapAA)},
		// getItem.test.ts: raw parent and child paths (a, a.b): full overlap message
		{"GetItem projection a, a.b", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"a, a.b"}`, invalid(overlapAAB)},
		// getItem.test.ts: same alias twice (#a, #a): full overlap message
		{"GetItem projection #a, #a", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"#a, #a","ExpressionAttributeNames":{"#a":"a"}}`, invalid(overlapAA)},
		// getItem.test.ts: raw path plus alias for the same attribute (a, #a): full overlap message
		{"GetItem projection a, #a", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"a, #a","ExpressionAttributeNames":{"#a":"a"}}`, invalid(overlapAA)},
		// getItem.test.ts: aliased parent and child paths (#a, #a.#b): full overlap message
		{"GetItem projection #a, #a.#b", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"#a, #a.#b","ExpressionAttributeNames":{"#a":"a","#b":"b"}}`, invalid(overlapAAB)},
		// getItem.test.ts: cross-alias overlap (#x, #y.#b with #x and #y -> a): rejected on the resolved paths
		{"GetItem projection #x, #y.#b", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"#x, #y.#b","ExpressionAttributeNames":{"#x":"a","#y":"a","#b":"b"}}`, invalid(overlapAAB)},
		// getItem.test.ts: deep overlap (a, a.b.c): full overlap message with the three-element path
		{"GetItem projection a, a.b.c", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"a, a.b.c"}`,
			invalid("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b, c]")},
		// getItem.test.ts: child before parent (a.b, a): rejected with the paths in request order
		{"GetItem projection a.b, a", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"a.b, a"}`,
			invalid("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]")},
		// getItem.test.ts: list parent and list index (l, l[0]): rejected as an overlap
		{"GetItem projection l, l[0]", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"l, l[0]"}`,
			invalid("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [l], path two: [l, [0]]")},
		// getItem.test.ts: undefined attribute name (#undef): full undefined-name message
		{"GetItem projection undefined name", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"em-get-proj"}},"ProjectionExpression":"#undef"}`,
			invalid("Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #undef")},

		// deleteItem.test.ts: non-existent table: full ResourceNotFoundException message;
		// deleteItem/validation.test.ts: rejects DeleteItem on a non-existent table
		{"DeleteItem missing table", "DeleteItem", `{"TableName":"_conformance_does_not_exist_em_delete","Key":{"pk":{"S":"test"}}}`, notFoundErr},
		// deleteItem.test.ts: malformed Key (missing range key on composite table): full schema-mismatch error
		{"DeleteItem missing range key", "DeleteItem", `{"TableName":"composite","Key":{"pk":{"S":"test"}}}`, invalid(schemaMismatch)},
		// deleteItem.test.ts: empty-binary key value: full ValidationException message
		{"DeleteItem empty binary key", "DeleteItem", `{"TableName":"hashB","Key":{"pk":{"B":""}}}`, invalid(emptyBinaryKey)},
		// deleteItem.test.ts: DeleteItem - request validation envelope (2026-10-09):
		// ExpressionAttributeValues or ExpressionAttributeNames without an expression
		{"DeleteItem values without expression", "DeleteItem", `{"TableName":"hash","Key":{"pk":{"S":"em-del-envelope"}},"ExpressionAttributeValues":{":v":{"S":"x"}}}`,
			invalid("1 validation error detected: ExpressionAttributeValues can only be specified when using expressions")},
		{"DeleteItem names without expression", "DeleteItem", `{"TableName":"hash","Key":{"pk":{"S":"em-del-envelope"}},"ExpressionAttributeNames":{"#a":"a"}}`,
			invalid("1 validation error detected: ExpressionAttributeNames can only be specified when using expressions")},
		// deleteItem.test.ts: DeleteItem - request validation envelope: an empty ExpressionAttributeValues or ExpressionAttributeNames map
		{"DeleteItem empty values map", "DeleteItem", `{"TableName":"hash","Key":{"pk":{"S":"em-del-envelope"}},"ConditionExpression":"attribute_exists(a)","ExpressionAttributeValues":{}}`,
			invalid("1 validation error detected: ExpressionAttributeValues must not be empty")},
		{"DeleteItem empty names map", "DeleteItem", `{"TableName":"hash","Key":{"pk":{"S":"em-del-envelope"}},"ConditionExpression":"attribute_exists(a)","ExpressionAttributeNames":{}}`,
			invalid("1 validation error detected: ExpressionAttributeNames must not be empty")},
		// deleteItem.test.ts: DeleteItem - request validation envelope: an empty ConditionExpression
		{"DeleteItem empty ConditionExpression", "DeleteItem", `{"TableName":"hash","Key":{"pk":{"S":"em-del-envelope"}},"ConditionExpression":""}`,
			invalid("1 validation error detected: Invalid ConditionExpression: The expression can not be empty;")},
		// deleteItem.test.ts: DeleteItem - request validation envelope: ReturnValues ALL_NEW or UPDATED_NEW
		{"DeleteItem ReturnValues ALL_NEW", "DeleteItem", `{"TableName":"hash","Key":{"pk":{"S":"em-del-envelope"}},"ReturnValues":"ALL_NEW"}`,
			invalid("1 validation error detected: ReturnValues can only be ALL_OLD or NONE")},
		{"DeleteItem ReturnValues UPDATED_NEW", "DeleteItem", `{"TableName":"hash","Key":{"pk":{"S":"em-del-envelope"}},"ReturnValues":"UPDATED_NEW"}`,
			invalid("1 validation error detected: ReturnValues can only be ALL_OLD or NONE")},
		// deleteItem.test.ts: DeleteItem - request validation envelope: names beside a legacy
		// Expected and no expression draw the names error, not the legacy one
		{"DeleteItem names beside Expected", "DeleteItem", `{"TableName":"hash","Key":{"pk":{"S":"em-del-envelope"}},"Expected":{"a":{"Exists":false}},"ExpressionAttributeNames":{"#a":"a"}}`,
			invalid("1 validation error detected: ExpressionAttributeNames can only be specified when using expressions")},

		// updateItem.test.ts: cannot update hash key attribute
		{"UpdateItem hash key", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-upd-key-mod"}},"UpdateExpression":"SET pk = :v","ExpressionAttributeValues":{":v":{"S":"new-val"}}}`,
			invalid("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key")},
		// updateItem.test.ts: invalid UpdateExpression syntax (the bare form)
		{"UpdateItem syntax", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-upd-key-mod"}},"UpdateExpression":"INVALID SYNTAX HERE","ExpressionAttributeValues":{":v":{"S":"val"}}}`,
			invalid(`Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"`)},
		// updateItem.test.ts: unused ExpressionAttributeNames
		{"UpdateItem unused name", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-upd-key-mod"}},"UpdateExpression":"SET attr1 = :v","ExpressionAttributeValues":{":v":{"S":"val"}},"ExpressionAttributeNames":{"#unused":"someattr"}}`,
			invalid("Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}")},
		// updateItem.test.ts: unused ExpressionAttributeValues
		{"UpdateItem unused value", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-upd-key-mod"}},"UpdateExpression":"SET attr1 = :v","ExpressionAttributeValues":{":v":{"S":"val"},":unused":{"S":"extra"}}}`,
			invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}")},
		// updateItem.test.ts: missing ExpressionAttributeValues reference (the bare form)
		{"UpdateItem undefined value", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-upd-key-mod"}},"UpdateExpression":"SET attr1 = :v"}`,
			invalid("Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v")},
		// updateItem.test.ts: undefined value in the ConditionExpression beside a defined one: full error string
		{"UpdateItem undefined condition value", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-upd-key-mod"}},"UpdateExpression":"SET b = :w","ConditionExpression":"a = :v","ExpressionAttributeValues":{":w":{"S":"x"}}}`,
			invalid("1 validation error detected: Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v")},
		// updateItem.test.ts: empty UpdateExpression
		{"UpdateItem empty expression", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-upd-key-mod"}},"UpdateExpression":""}`,
			invalid("Invalid UpdateExpression: The expression can not be empty;")},
		// updateItem.test.ts: cannot update range key attribute on composite table
		{"UpdateItem range key", "UpdateItem", `{"TableName":"composite","Key":{"pk":{"S":"em-upd-range-mod"},"sk":{"S":"sk1"}},"UpdateExpression":"SET sk = :v","ExpressionAttributeValues":{":v":{"S":"new-sk"}}}`,
			invalid("One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key")},
		// updateItem.test.ts: empty-binary key value: full ValidationException message
		{"UpdateItem empty binary key", "UpdateItem", `{"TableName":"hashB","Key":{"pk":{"B":""}},"UpdateExpression":"SET attr1 = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}`,
			invalid(emptyBinaryKey)},
		// updateItem.test.ts: mixing UpdateExpression with AttributeUpdates
		{"UpdateItem AttributeUpdates with UpdateExpression", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-upd-key-mod"}},"UpdateExpression":"SET attr1 = :v","ExpressionAttributeValues":{":v":{"S":"val"}},"AttributeUpdates":{"attr1":{"Value":{"S":"val"},"Action":"PUT"}}}`,
			invalid("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}")},
		// AWS documentation, UpdateItem: an update growing an item past
		// 400 KB (found against dynalite).
		{"UpdateItem too large", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-big"}},"UpdateExpression":"SET more = :v","ExpressionAttributeValues":{":v":{"S":"` + big + `"}}}`,
			invalid("Item size to update has exceeded the maximum allowed size")},

		// query.test.ts: missing hash key in KeyConditionExpression
		// getmoto/moto#7062 records DynamoDB's answer.
		{"Query empty string hash key", "Query", `{"TableName":"composite","KeyConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":{"S":""}}}`, invalid(emptyStringKey)},
		{"Query empty binary hash key", "Query", `{"TableName":"hashB","KeyConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":{"B":""}}}`, invalid(emptyBinaryKey)},
		{"Query missing hash key", "Query", `{"TableName":"composite","KeyConditionExpression":"sk = :v","ExpressionAttributeValues":{":v":{"S":"val"}}}`,
			invalid("Query condition missed key schema element: pk")},
		// query.test.ts: non-key attribute in KeyConditionExpression
		{"Query non-key attribute", "Query", `{"TableName":"composite","KeyConditionExpression":"attr1 = :v","ExpressionAttributeValues":{":v":{"S":"val"}}}`,
			invalid("Query condition missed key schema element: pk")},
		// query.test.ts: unused ExpressionAttributeNames
		{"Query unused name", "Query", `{"TableName":"composite","KeyConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":{"S":"val"}},"ExpressionAttributeNames":{"#unused":"someattr"}}`,
			invalid("Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}")},
		// query.test.ts: invalid Select value
		{"Query invalid Select", "Query", `{"TableName":"composite","KeyConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":{"S":"val"}},"Select":"INVALID_VALUE"}`,
			invalid("1 validation error detected: Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")},
		// query.test.ts: ConsistentRead on GSI
		{"Query consistent GSI", "Query", `{"TableName":"composite","IndexName":"gsi1","KeyConditionExpression":"#hk = :v","ExpressionAttributeNames":{"#hk":"lsi1sk"},"ExpressionAttributeValues":{":v":{"S":"val"}},"ConsistentRead":true}`,
			invalid("Consistent reads are not supported on global secondary indexes")},
		// query.test.ts: Limit of 0
		{"Query Limit 0", "Query", `{"TableName":"composite","KeyConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":{"S":"val"}},"Limit":0}`,
			invalid("1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1")},
		// query.test.ts: empty KeyConditionExpression
		{"Query empty key condition", "Query", `{"TableName":"composite","KeyConditionExpression":"","ExpressionAttributeValues":{":v":{"S":"val"}}}`,
			invalid("Invalid KeyConditionExpression: The expression can not be empty;")},
		// query.test.ts: filter references undefined ExpressionAttributeNames
		{"Query filter undefined name", "Query", `{"TableName":"composite","KeyConditionExpression":"pk = :pk","FilterExpression":"#missing = :fv","ExpressionAttributeValues":{":pk":{"S":"val"},":fv":{"S":"x"}}}`,
			invalid("Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #missing")},
		// query.test.ts: redundant parentheses in KeyConditionExpression: full error string
		{"Query redundant parentheses", "Query", `{"TableName":"hash","KeyConditionExpression":"((pk = :v))","ExpressionAttributeValues":{":v":{"S":"val"}}}`,
			invalid("Invalid KeyConditionExpression: The expression has redundant parentheses;")},
		// query.test.ts: malformed ExclusiveStartKey: short invalid-starting-key error
		{"Query malformed ExclusiveStartKey", "Query", `{"TableName":"composite","KeyConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":{"S":"val"}},"ExclusiveStartKey":{"bad":{"S":"p"}}}`,
			invalid("The provided starting key is invalid")},
		// query.test.ts: Select SPECIFIC_ATTRIBUTES without ProjectionExpression: full required-projection message
		{"Query SPECIFIC_ATTRIBUTES without projection", "Query", `{"TableName":"composite","KeyConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":{"S":"val"}},"Select":"SPECIFIC_ATTRIBUTES"}`,
			invalid("1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")},
		// query.test.ts: overlapping parent and child paths (a, a.b) reject even when the key condition matches no partition
		{"Query projection a, a.b", "Query", `{"TableName":"hash","KeyConditionExpression":"pk = :pk","ExpressionAttributeValues":{":pk":{"S":"none"}},"ProjectionExpression":"a, a.b"}`,
			invalid(overlapAAB)},

		// scan.test.ts: Segment without TotalSegments: full required-parameter error
		{"Scan Segment alone", "Scan", `{"TableName":"hash","Segment":0}`,
			invalid("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")},
		// scan.test.ts: Segment >= TotalSegments: full out-of-range error
		{"Scan Segment too large", "Scan", `{"TableName":"hash","Segment":5,"TotalSegments":5}`,
			invalid("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5")},
		// scan.test.ts: TotalSegments without Segment: full required-parameter error
		{"Scan TotalSegments alone", "Scan", `{"TableName":"hash","TotalSegments":4}`,
			invalid("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")},
		// scan.test.ts: Limit of 0: full minimum-value error
		{"Scan Limit 0", "Scan", `{"TableName":"hash","Limit":0}`,
			invalid("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")},
		// scan.test.ts: negative Segment: full minimum-value error (the wording the file records
		// for the 29 regions the validation-framework rollout had not reached, 2026-09-26)
		{"Scan negative Segment", "Scan", `{"TableName":"hash","Segment":-1,"TotalSegments":4}`,
			invalid("1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0")},
		// scan.test.ts: non-existent table: full ResourceNotFoundException message;
		// scan/validation.test.ts: rejects scan on non-existent table
		{"Scan missing table", "Scan", `{"TableName":"_conformance_does_not_exist_em_scan"}`, notFoundErr},
		// scan.test.ts: begins_with with non-string operand: full operand-type error
		{"Scan begins_with number", "Scan", `{"TableName":"hash","FilterExpression":"begins_with(#a, :n)","ExpressionAttributeNames":{"#a":"data"},"ExpressionAttributeValues":{":n":{"N":"1"}}}`,
			invalid("Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")},
		// scan.test.ts: redundant parentheses in FilterExpression: full error string
		{"Scan redundant parentheses", "Scan", `{"TableName":"hash","FilterExpression":"((#a = :v))","ExpressionAttributeNames":{"#a":"data"},"ExpressionAttributeValues":{":v":{"S":"x"}}}`,
			invalid("Invalid FilterExpression: The expression has redundant parentheses;")},
		// scan.test.ts: malformed ExclusiveStartKey: long schema-mismatch error
		{"Scan malformed ExclusiveStartKey", "Scan", `{"TableName":"hash","ExclusiveStartKey":{"bad":{"S":"p"}}}`,
			invalid("The provided starting key is invalid: The provided key element does not match the schema")},
		// scan.test.ts: Select SPECIFIC_ATTRIBUTES without ProjectionExpression: full required-projection message
		{"Scan SPECIFIC_ATTRIBUTES without projection", "Scan", `{"TableName":"hash","Select":"SPECIFIC_ATTRIBUTES"}`,
			invalid("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")},
		// scan.test.ts: rejects an undefined projection name even when the scan matches nothing
		{"Scan projection undefined name", "Scan", `{"TableName":"hash","FilterExpression":"pk = :pk","ExpressionAttributeValues":{":pk":{"S":"none"}},"ProjectionExpression":"#undef"}`,
			invalid("Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #undef")},
		// scan/select.test.ts: Select ALL_ATTRIBUTES with ProjectionExpression is rejected
		{"Scan ALL_ATTRIBUTES with projection", "Scan", `{"TableName":"hash","Select":"ALL_ATTRIBUTES","ProjectionExpression":"pk"}`,
			invalid("Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES")},
		// scan/select.test.ts: Select ALL_PROJECTED_ATTRIBUTES without an IndexName is rejected
		// (the message says Querying on a Scan too)
		{"Scan ALL_PROJECTED_ATTRIBUTES without index", "Scan", `{"TableName":"hash","Select":"ALL_PROJECTED_ATTRIBUTES"}`,
			invalid("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")},
		// scan/select.test.ts: Select COUNT with ProjectionExpression is rejected
		{"Scan COUNT with projection", "Scan", `{"TableName":"hash","Select":"COUNT","ProjectionExpression":"pk"}`,
			invalid("Cannot specify the ProjectionExpression when choosing to get only the Count")},
		// scan/select.test.ts: Select ALL_PROJECTED_ATTRIBUTES with ProjectionExpression and no IndexName
		// is rejected (AWS reports the ProjectionExpression rule)
		{"Scan ALL_PROJECTED_ATTRIBUTES with projection without index", "Scan", `{"TableName":"hash","Select":"ALL_PROJECTED_ATTRIBUTES","ProjectionExpression":"pk"}`,
			invalid("Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES")},

		// batchGetItem.test.ts: empty RequestItems: full required-parameter
		// error (the message all regions but me-central-1 answer)
		{"BatchGetItem empty RequestItems", "BatchGetItem", `{"RequestItems":{}}`,
			invalid("1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")},
		// batchGetItem.test.ts: > 100 keys across all tables: interpolated full error
		{"BatchGetItem 101 keys", "BatchGetItem", `{"RequestItems":{"hash":{"Keys":[` + strings.TrimSuffix(strings.Repeat(`{"pk":{"S":"bg"}},`, 101), ",") + `]}}}`,
			invalid("1 validation error detected: Value at 'RequestItems.hash.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100")},
		// batchGetItem.test.ts: non-existent table: full ResourceNotFoundException message
		{"BatchGetItem missing table", "BatchGetItem", `{"RequestItems":{"_conformance_does_not_exist_em_bg":{"Keys":[{"pk":{"S":"test"}}]}}}`, notFoundErr},
		// batchGetItem.test.ts: duplicate keys in one Keys array: full duplicate-keys error
		{"BatchGetItem duplicate keys", "BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"em-bg-dup"}},{"pk":{"S":"em-bg-dup"}}]}}}`,
			invalid("Provided list of item keys contains duplicates")},
		// batchGetItem.test.ts: AttributesToGet with ProjectionExpression in a KeysAndAttributes block: full conflict error
		{"BatchGetItem AttributesToGet and ProjectionExpression", "BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"em-bg-mix"}}],"AttributesToGet":["pk"],"ProjectionExpression":"pk"}}}`,
			invalid("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")},
		// batchGetItem.test.ts: mixing ProjectionExpression on one table and AttributesToGet
		// on another is rejected (the suite pins the type; the message is the
		// one DynamoDB gives when one table's block mixes them)
		{"BatchGetItem AttributesToGet and ProjectionExpression on two tables", "BatchGetItem",
			`{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"bg-mix-a"}}],"ProjectionExpression":"pk"},"composite":{"Keys":[{"pk":{"S":"bg-mix-b"},"sk":{"S":"z"}}],"AttributesToGet":["pk"]}}}`,
			invalid("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")},
		// batchGetItem.test.ts: empty-binary lookup key: full empty-value message
		{"BatchGetItem empty binary key", "BatchGetItem", `{"RequestItems":{"hashB":{"Keys":[{"pk":{"B":""}}]}}}`, invalid(emptyBinaryKey)},
		// batchGetItem.test.ts: empty Keys list: full minimum-length message
		{"BatchGetItem empty Keys", "BatchGetItem", `{"RequestItems":{"hash":{"Keys":[]}}}`,
			invalid("1 validation error detected: Value at 'RequestItems.hash.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1")},
		// batchGetItem.test.ts: malformed table name: full map-keys constraint message (2026-10-09)
		{"BatchGetItem malformed table name", "BatchGetItem", `{"RequestItems":{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}}`,
			invalid(`1 validation error detected: Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]`)},
		// batchGetItem.test.ts: a bad projection on one table entry rejects the whole batch despite a clean entry on another
		{"BatchGetItem one bad projection", "BatchGetItem", `{"RequestItems":{"hash":{"Keys":[{"pk":{"S":"em-bg-proj-bad"}}],"ProjectionExpression":"a, a"},"composite":{"Keys":[{"pk":{"S":"c"},"sk":{"S":"z"}}],"ProjectionExpression":"a"}}}`,
			invalid(overlapAA)},

		// batchWriteItem.test.ts: > 25 requests: anchored regex on the
		// constraint phrase (the form naming the member)
		{"BatchWriteItem 26 requests", "BatchWriteItem", `{"RequestItems":{"hash":[` + strings.TrimSuffix(strings.Repeat(`{"PutRequest":{"Item":{"pk":{"S":"bw"}}}},`, 26), ",") + `]}}`,
			invalid("1 validation error detected: Value at 'RequestItems.hash.member' failed to satisfy constraint: Member must have length less than or equal to 25")},
		// batchWriteItem.test.ts: same key Put and Delete in one batch: full duplicate-keys error
		{"BatchWriteItem duplicate keys", "BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"pk":{"S":"em-bw-dup"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"em-bw-dup"}}}}]}}`,
			invalid("Provided list of item keys contains duplicates")},
		// batchWriteItem.test.ts: non-existent table: full ResourceNotFoundException message
		{"BatchWriteItem missing table", "BatchWriteItem", `{"RequestItems":{"_conformance_does_not_exist_em_bw":[{"PutRequest":{"Item":{"pk":{"S":"test"}}}}]}}`, notFoundErr},
		// batchWriteItem.test.ts: wrong-typed table key: full schema-mismatch message
		{"BatchWriteItem wrong-typed key", "BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"pk":{"N":"5"}}}}]}}`, invalid(schemaMismatch)},
		// batchWriteItem.test.ts: non-scalar table key: full schema-mismatch message
		{"BatchWriteItem non-scalar key", "BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"pk":{"L":[{"S":"x"}]}}}}]}}`, invalid(schemaMismatch)},
		// batchWriteItem.test.ts: empty-string table key: full empty-value message
		{"BatchWriteItem empty string key", "BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"pk":{"S":""}}}}]}}`, invalid(emptyStringKey)},
		// batchWriteItem.test.ts: empty-binary put-request key: full empty-value message
		{"BatchWriteItem empty binary put key", "BatchWriteItem", `{"RequestItems":{"hashB":[{"PutRequest":{"Item":{"pk":{"B":""}}}}]}}`, invalid(emptyBinaryKey)},
		// batchWriteItem.test.ts: empty-binary delete-request key: full empty-value message
		{"BatchWriteItem empty binary delete key", "BatchWriteItem", `{"RequestItems":{"hashB":[{"DeleteRequest":{"Key":{"pk":{"B":""}}}}]}}`, invalid(emptyBinaryKey)},
		// batchWriteItem.test.ts: wrong-typed index key: full type-mismatch message
		{"BatchWriteItem wrong-typed index key", "BatchWriteItem", `{"RequestItems":{"composite":[{"PutRequest":{"Item":{"pk":{"S":"em-bw-idx-type"},"sk":{"S":"a"},"lsi1sk":{"N":"5"}}}}]}}`,
			invalid("One or more parameter values were invalid: Type mismatch for Index Key lsi1sk Expected: S Actual: N IndexName: gsi1")},
		// batchWriteItem.test.ts: non-scalar index key: full type-mismatch message
		{"BatchWriteItem non-scalar index key", "BatchWriteItem", `{"RequestItems":{"composite":[{"PutRequest":{"Item":{"pk":{"S":"em-bw-idx-nonscalar"},"sk":{"S":"b"},"lsi1sk":{"L":[{"S":"x"}]}}}}]}}`,
			invalid("One or more parameter values were invalid: Type mismatch for Index Key lsi1sk Expected: S Actual: L IndexName: gsi1")},
		// batchWriteItem.test.ts: empty-string index key: full secondary-index-key message
		{"BatchWriteItem empty string index key", "BatchWriteItem", `{"RequestItems":{"composite":[{"PutRequest":{"Item":{"pk":{"S":"em-bw-idx-empty"},"sk":{"S":"c"},"lsi1sk":{"S":""}}}}]}}`,
			invalid("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: lsi1sk")},
		// batchWriteItem.test.ts: empty-binary index key: full secondary-index-key message
		{"BatchWriteItem empty binary index key", "BatchWriteItem", `{"RequestItems":{"gsiB":[{"PutRequest":{"Item":{"pk":{"S":"eb-bw-idx"},"bidx":{"B":""}}}}]}}`,
			invalid("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: gsib, IndexKey: bidx")},

		// conditionalCheck.test.ts: ConditionalCheckFailedException has message "The conditional request failed"
		{"PutItem condition fails", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ccf"},"attr1":{"S":"overwrite"}},"ConditionExpression":"attribute_not_exists(pk)"}`, conditionErr},
		// conditionalCheck.test.ts: ConditionalCheckFailed on DeleteItem with condition
		{"DeleteItem condition fails", "DeleteItem", `{"TableName":"hash","Key":{"pk":{"S":"em-ccf"}},"ConditionExpression":"attr1 = :v","ExpressionAttributeValues":{":v":{"S":"wrong-value"}}}`, conditionErr},
		// conditionalCheck.test.ts: ConditionalCheckFailed on UpdateItem with condition
		{"UpdateItem condition fails", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-ccf"}},"UpdateExpression":"SET attr1 = :newval","ConditionExpression":"attr1 = :expected","ExpressionAttributeValues":{":newval":{"S":"updated"},":expected":{"S":"wrong"}}}`, conditionErr},
		// conditionalCheck.test.ts: TransactionCanceledException message format
		{"TransactWriteItems condition fails", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-ccf"},"attr1":{"S":"overwrite"}},"ConditionExpression":"attribute_not_exists(pk)"}}]}`,
			cancelled("ConditionalCheckFailed: The conditional request failed")},

		// transactGetItems.test.ts: empty TransactItems: full minimum-length
		// error (the echoed form most regions answer)
		{"TransactGetItems empty", "TransactGetItems", `{"TransactItems":[]}`,
			invalid("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")},
		// transactGetItems.test.ts: > 100 gets: anchored regex on the
		// constraint phrase (the form naming the member)
		{"TransactGetItems 101 gets", "TransactGetItems", `{"TransactItems":[` + strings.TrimSuffix(strings.Repeat(`{"Get":{"TableName":"hash","Key":{"pk":{"S":"tgi"}}}},`, 101), ",") + `]}`,
			invalid("1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have length less than or equal to 100")},
		// transactGetItems.test.ts: non-existent table: full ResourceNotFoundException message
		{"TransactGetItems missing table", "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"_conformance_does_not_exist_em_tgi","Key":{"pk":{"S":"x"}}}}]}`, notFoundErr},
		// transactGetItems.test.ts: invalid ProjectionExpression syntax: full parser error
		{"TransactGetItems projection syntax", "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"pk":{"S":"tgi-pe"}},"ProjectionExpression":"!!!"}}]}`,
			invalid(`Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"`)},
		// transactGetItems.test.ts: missing key attribute: action-level ValidationError surfaces as TransactionCanceledException
		{"TransactGetItems empty Key", "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{}}}]}`,
			cancelled("ValidationError: " + schemaMismatch)},
		// transactGetItems.test.ts: malformed table name: top-level ValidationException naming the member
		{"TransactGetItems malformed table name", "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"bad!name","Key":{"pk":{"S":"a"}}}}]}`,
			invalid("1 validation error detected: Value 'bad!name' at 'transactItems.1.member.get.tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")},
		// transactGetItems.test.ts: malformed table name on the second Get: the message names its position
		{"TransactGetItems malformed second table name", "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"pk":{"S":"a"}}}},{"Get":{"TableName":"bad!name","Key":{"pk":{"S":"a"}}}}]}`,
			invalid("1 validation error detected: Value 'bad!name' at 'transactItems.2.member.get.tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")},

		// transactWriteItems.test.ts: empty TransactItems: full minimum-length error
		{"TransactWriteItems empty", "TransactWriteItems", `{"TransactItems":[]}`,
			invalid("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")},
		// transactWriteItems.test.ts: > 100 actions: anchored regex on the
		// constraint phrase (the form naming the member)
		{"TransactWriteItems 101 actions", "TransactWriteItems", `{"TransactItems":[` + strings.TrimSuffix(strings.Repeat(`{"Put":{"TableName":"hash","Item":{"pk":{"S":"twi"}}}},`, 101), ",") + `]}`,
			invalid("1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have length less than or equal to 100")},
		// transactWriteItems.test.ts: duplicate target keys in same transaction: full multi-op error
		{"TransactWriteItems duplicate keys", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-twi-dup"}}}},{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-twi-dup"}}}}]}`,
			invalid("Transaction request cannot include multiple operations on one item")},
		// transactWriteItems.test.ts: non-existent table: full ResourceNotFoundException message
		{"TransactWriteItems missing table", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"_conformance_does_not_exist_em_twi","Item":{"pk":{"S":"x"}}}}]}`, notFoundErr},
		// transactWriteItems.test.ts: two failing actions: multi-reason TransactionCanceledException
		{"TransactWriteItems two conditions fail", "TransactWriteItems", `{"TransactItems":[
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-ccf"},"attr1":{"S":"over"}},"ConditionExpression":"attribute_not_exists(pk)"}},
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-ccf-2"},"attr1":{"S":"over"}},"ConditionExpression":"attribute_not_exists(pk)"}}]}`,
			cancelled("ConditionalCheckFailed: The conditional request failed", "ConditionalCheckFailed: The conditional request failed")},
		// transactWriteItems.test.ts: one passing, one failing: positional reason codes (None for the survivor)
		{"TransactWriteItems positional reasons", "TransactWriteItems", `{"TransactItems":[
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-twi-pos-new"},"attr1":{"S":"fresh"}},"ConditionExpression":"attribute_not_exists(pk)"}},
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-ccf"},"attr1":{"S":"over"}},"ConditionExpression":"attribute_not_exists(pk)"}}]}`,
			cancelled("None", "ConditionalCheckFailed: The conditional request failed")},
		// transactWriteItems.test.ts: Put wrong-typed table key: cancelled with full ValidationError reason
		{"TransactWriteItems Put wrong-typed key", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"N":"5"}}}}]}`,
			cancelled("ValidationError: One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N")},
		// transactWriteItems.test.ts: Put non-scalar table key: cancelled with full ValidationError reason
		{"TransactWriteItems Put non-scalar key", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"L":[{"S":"x"}]}}}}]}`,
			cancelled("ValidationError: One or more parameter values were invalid: Type mismatch for key pk expected: S actual: L")},
		// transactWriteItems.test.ts: Put wrong-typed index key: cancelled with full ValidationError reason
		{"TransactWriteItems Put wrong-typed index key", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"composite","Item":{"pk":{"S":"em-twi-idx-type"},"sk":{"S":"a"},"lsi1sk":{"N":"5"}}}}]}`,
			cancelled("ValidationError: One or more parameter values were invalid: Type mismatch for Index Key lsi1sk Expected: S Actual: N IndexName: gsi1")},
		// transactWriteItems.test.ts: Update wrong-typed index key: cancelled with full ValidationError reason
		{"TransactWriteItems Update wrong-typed index key", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"composite","Key":{"pk":{"S":"em-twi-idx-upd-type"},"sk":{"S":"a"}},"UpdateExpression":"SET lsi1sk = :v","ExpressionAttributeValues":{":v":{"N":"5"}}}}]}`,
			cancelled("ValidationError: One or more parameter values were invalid: Type mismatch for Index Key lsi1sk Expected: S Actual: N IndexName: gsi1")},
		// transactWriteItems.test.ts: Update non-scalar index key: cancelled with full ValidationError reason
		{"TransactWriteItems Update non-scalar index key", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"composite","Key":{"pk":{"S":"em-twi-idx-upd-nonscalar"},"sk":{"S":"b"}},"UpdateExpression":"SET lsi1sk = :v","ExpressionAttributeValues":{":v":{"L":[{"S":"x"}]}}}}]}`,
			cancelled("ValidationError: One or more parameter values were invalid: Type mismatch for Index Key lsi1sk Expected: S Actual: L IndexName: gsi1")},
		// transactWriteItems.test.ts: Put empty-string table key: top-level ValidationException
		{"TransactWriteItems Put empty string key", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"S":""}}}}]}`, invalid(emptyStringKey)},
		// transactWriteItems.test.ts: Put empty-string index key: top-level ValidationException
		{"TransactWriteItems Put empty string index key", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"composite","Item":{"pk":{"S":"em-twi-idx-empty"},"sk":{"S":"c"},"lsi1sk":{"S":""}}}}]}`,
			invalid("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: lsi1sk")},
		// transactWriteItems.test.ts: Update empty-string index key: top-level ValidationException
		{"TransactWriteItems Update empty string index key", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"composite","Key":{"pk":{"S":"em-twi-idx-upd-empty"},"sk":{"S":"c"}},"UpdateExpression":"SET lsi1sk = :v","ExpressionAttributeValues":{":v":{"S":""}}}}]}`,
			invalid("One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.")},
		// transactWriteItems.test.ts: Update empty-binary index key: top-level ValidationException
		{"TransactWriteItems Update empty binary index key", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"gsiB","Key":{"pk":{"S":"eb-twi-idx-upd"}},"UpdateExpression":"SET bidx = :v","ExpressionAttributeValues":{":v":{"B":""}}}}]}`,
			invalid("One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty binary value.")},
		// transactWriteItems.test.ts: Update empty-string Key: top-level empty-value message
		{"TransactWriteItems Update empty string Key", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"hash","Key":{"pk":{"S":""}},"UpdateExpression":"SET attr1 = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}}]}`, invalid(emptyStringKey)},
		// transactWriteItems.test.ts: Delete empty-string Key: top-level empty-value message
		{"TransactWriteItems Delete empty string Key", "TransactWriteItems", `{"TransactItems":[{"Delete":{"TableName":"hash","Key":{"pk":{"S":""}}}}]}`, invalid(emptyStringKey)},
		// transactWriteItems.test.ts: ConditionCheck empty-string Key: top-level empty-value message
		{"TransactWriteItems ConditionCheck empty string Key", "TransactWriteItems", `{"TransactItems":[{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":""}},"ConditionExpression":"attribute_not_exists(pk)"}}]}`, invalid(emptyStringKey)},
		// transactWriteItems.test.ts: Update wrong-typed Key: cancelled with schema-mismatch reason
		{"TransactWriteItems Update wrong-typed Key", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"hash","Key":{"pk":{"N":"5"}},"UpdateExpression":"SET attr1 = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}}]}`,
			cancelled("ValidationError: " + schemaMismatch)},
		// transactWriteItems.test.ts: Delete non-scalar Key: cancelled with schema-mismatch reason
		{"TransactWriteItems Delete non-scalar Key", "TransactWriteItems", `{"TransactItems":[{"Delete":{"TableName":"hash","Key":{"pk":{"L":[{"S":"x"}]}}}}]}`,
			cancelled("ValidationError: " + schemaMismatch)},
		// transactWriteItems.test.ts: ConditionCheck wrong-typed Key: cancelled with schema-mismatch reason
		{"TransactWriteItems ConditionCheck wrong-typed Key", "TransactWriteItems", `{"TransactItems":[{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"N":"5"}},"ConditionExpression":"attribute_not_exists(pk)"}}]}`,
			cancelled("ValidationError: " + schemaMismatch)},
		// transactWriteItems.test.ts: Put empty-binary item key: top-level empty-value message
		{"TransactWriteItems Put empty binary key", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hashB","Item":{"pk":{"B":""}}}}]}`, invalid(emptyBinaryKey)},
		// transactWriteItems.test.ts: Delete empty-binary Key: top-level empty-value message
		{"TransactWriteItems Delete empty binary Key", "TransactWriteItems", `{"TransactItems":[{"Delete":{"TableName":"hashB","Key":{"pk":{"B":""}}}}]}`, invalid(emptyBinaryKey)},
		// transactWriteItems.test.ts: Put empty-binary index key: top-level ValidationException
		{"TransactWriteItems Put empty binary index key", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"gsiB","Item":{"pk":{"S":"eb-twi-idx"},"bidx":{"B":""}}}}]}`,
			invalid("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: gsib, IndexKey: bidx")},

		// transactWriteItems.test.ts: Put malformed table name: top-level message naming the member
		{"TransactWriteItems Put malformed table name", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"bad!name","Item":{"pk":{"S":"a"}}}}]}`,
			invalid("1 validation error detected: Value 'bad!name' at 'transactItems.1.member.put.tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")},
		// transactWriteItems.test.ts: Update malformed table name on the second action: top-level message naming the member
		{"TransactWriteItems Update malformed second table name", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-twi-badname-first"}}}},
			{"Update":{"TableName":"bad!name","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}}]}`,
			invalid("1 validation error detected: Value 'bad!name' at 'transactItems.2.member.update.tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")},
		// transactWriteItems.test.ts: Delete malformed table name: top-level message naming the member
		{"TransactWriteItems Delete malformed table name", "TransactWriteItems", `{"TransactItems":[{"Delete":{"TableName":"bad!name","Key":{"pk":{"S":"a"}}}}]}`,
			invalid("1 validation error detected: Value 'bad!name' at 'transactItems.1.member.delete.tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")},
		// transactWriteItems.test.ts: ConditionCheck malformed table name: top-level message naming the member
		{"TransactWriteItems ConditionCheck malformed table name", "TransactWriteItems", `{"TransactItems":[{"ConditionCheck":{"TableName":"bad!name","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)"}}]}`,
			invalid("1 validation error detected: Value 'bad!name' at 'transactItems.1.member.conditionCheck.tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")},
		// transactWriteItems.test.ts: Put empty ConditionExpression: top-level empty-expression message (bare, unlike PutItem's)
		{"TransactWriteItems Put empty ConditionExpression", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-twi-empty-put"}},"ConditionExpression":""}}]}`,
			invalid("Invalid ConditionExpression: The expression can not be empty;")},
		// transactWriteItems.test.ts: Delete empty ConditionExpression: top-level empty-expression message
		{"TransactWriteItems Delete empty ConditionExpression", "TransactWriteItems", `{"TransactItems":[{"Delete":{"TableName":"hash","Key":{"pk":{"S":"em-twi-empty-del"}},"ConditionExpression":""}}]}`,
			invalid("Invalid ConditionExpression: The expression can not be empty;")},
		// transactWriteItems.test.ts: ConditionCheck empty ConditionExpression: top-level empty-expression message
		{"TransactWriteItems ConditionCheck empty ConditionExpression", "TransactWriteItems", `{"TransactItems":[{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":"em-twi-cc"}},"ConditionExpression":""}}]}`,
			invalid("Invalid ConditionExpression: The expression can not be empty;")},
		// transactWriteItems.test.ts: ConditionCheck malformed ConditionExpression: top-level syntax message
		{"TransactWriteItems ConditionCheck malformed ConditionExpression", "TransactWriteItems", `{"TransactItems":[{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":"em-twi-cc"}},"ConditionExpression":"attribute_not_exists("}}]}`,
			invalid(`Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("`)},
		// transactWriteItems.test.ts: ConditionCheck unused ExpressionAttributeValues: top-level message
		{"TransactWriteItems ConditionCheck unused value", "TransactWriteItems", `{"TransactItems":[{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":"em-twi-cc"}},"ConditionExpression":"attribute_not_exists(pk)","ExpressionAttributeValues":{":v":{"S":"x"}}}}]}`,
			invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}")},
		// transactWriteItems.test.ts: Put unused ExpressionAttributeValues: top-level message
		{"TransactWriteItems Put unused value", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-twi-unused-put"}},"ConditionExpression":"attribute_not_exists(pk)","ExpressionAttributeValues":{":v":{"S":"x"}}}}]}`,
			invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}")},
		// transactWriteItems.test.ts: Update unused ExpressionAttributeValues: top-level message
		{"TransactWriteItems Update unused value", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"hash","Key":{"pk":{"S":"em-twi-unused-upd"}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"},":v":{"S":"x"}}}}]}`,
			invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}")},
		// transactWriteItems.test.ts: Delete unused ExpressionAttributeValues: top-level message
		{"TransactWriteItems Delete unused value", "TransactWriteItems", `{"TransactItems":[{"Delete":{"TableName":"hash","Key":{"pk":{"S":"em-twi-unused-del"}},"ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{":v":{"S":"x"}}}}]}`,
			invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}")},

		// updateItem/validation.test.ts: rejects update on non-existent table
		{"UpdateItem missing table", "UpdateItem", `{"TableName":"_conformance_nonexistent_table","Key":{"pk":{"S":"t"}},"UpdateExpression":"SET x = :v","ExpressionAttributeValues":{":v":{"S":"t"}}}`, notFoundErr},
		// updateItem/validation.test.ts: rejects update that modifies the hash key
		{"UpdateItem SET of the hash key", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"upd-val"}},"UpdateExpression":"SET pk = :v","ExpressionAttributeValues":{":v":{"S":"new-pk"}}}`,
			invalid("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key")},
		// updateItem/expressionHygiene.test.ts: rejects an ExpressionAttributeNames key without a # prefix
		{"UpdateItem name key without #", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"expr-hygiene"}},"UpdateExpression":"SET #s = :v","ExpressionAttributeNames":{"s":"status"},"ExpressionAttributeValues":{":v":{"S":"x"}}}`,
			invalid(`ExpressionAttributeNames contains invalid key: Syntax error; key: "s"`)},
		// updateItem/expressionHygiene.test.ts: rejects an ExpressionAttributeValues key without a : prefix
		{"UpdateItem value key without :", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"expr-hygiene"}},"UpdateExpression":"SET #s = :v","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{"v":{"S":"x"}}}`,
			invalid(`ExpressionAttributeValues contains invalid key: Syntax error; key: "v"`)},
		// updateItem/expressionHygiene.test.ts: rejects ExpressionAttributeNames supplied with no expression
		// (enveloped: tier3/error-messages/deleteItem.test.ts, DeleteItem - request validation
		// envelope, records UpdateItem doing so too, 2026-10-09)
		{"UpdateItem names without expressions", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"expr-hygiene"}},"ExpressionAttributeNames":{"#s":"status"}}`,
			invalid("1 validation error detected: ExpressionAttributeNames can only be specified when using expressions")},
		// updateItem/expressionHygiene.test.ts: rejects an unused ExpressionAttributeNames entry
		{"UpdateItem unused name", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"expr-hygiene"}},"UpdateExpression":"SET #s = :v","ExpressionAttributeNames":{"#s":"status","#unused":"other"},"ExpressionAttributeValues":{":v":{"S":"x"}}}`,
			invalid("Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}")},

		// query/validation.test.ts: rejects query on non-existent table
		{"Query missing table", "Query", `{"TableName":"this_table_does_not_exist_xyz","KeyConditionExpression":"pk = :pk","ExpressionAttributeValues":{":pk":{"S":"test"}}}`, notFoundErr},
		// query/validation.test.ts: rejects query without KeyConditionExpression
		{"Query without key condition", "Query", `{"TableName":"composite"}`,
			invalid("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")},
		// query/select.test.ts: Select SPECIFIC_ATTRIBUTES without ProjectionExpression is rejected
		{"Query SPECIFIC_ATTRIBUTES without projection", "Query", `{"TableName":"composite","KeyConditionExpression":"#pk = :pk","ExpressionAttributeNames":{"#pk":"pk"},"ExpressionAttributeValues":{":pk":{"S":"p"}},"Select":"SPECIFIC_ATTRIBUTES","ConsistentRead":true}`,
			invalid("1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")},
		// query/keyConditionParens.test.ts: DynamoDB rejects redundant wrapping like ((x)) AND ((y))
		{"Query doubly parenthesized key conditions", "Query", `{"TableName":"composite","KeyConditionExpression":"((#pk = :pk)) AND ((#sk = :sk))","ExpressionAttributeNames":{"#pk":"pk","#sk":"sk"},"ExpressionAttributeValues":{":pk":{"S":"p"},":sk":{"S":"1"}}}`,
			invalid("Invalid KeyConditionExpression: The expression has redundant parentheses;")},
		// query/keyConditionSemantics.test.ts: rejects a nested path on a key attribute
		{"Query nested path on a key attribute", "Query", `{"TableName":"composite","KeyConditionExpression":"#pk = :pk AND #sk.foo = :v","ExpressionAttributeNames":{"#pk":"pk","#sk":"sk"},"ExpressionAttributeValues":{":pk":{"S":"p"},":v":{"S":"x"}}}`,
			invalid("Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes")},
		// query/select.test.ts: Select COUNT with ProjectionExpression is rejected
		{"Query COUNT with projection", "Query", `{"TableName":"composite","KeyConditionExpression":"#pk = :pk","ExpressionAttributeNames":{"#pk":"pk"},"ExpressionAttributeValues":{":pk":{"S":"x"}},"Select":"COUNT","ProjectionExpression":"sk"}`,
			invalid("Cannot specify the ProjectionExpression when choosing to get only the Count")},
		// query/select.test.ts: Select ALL_ATTRIBUTES with ProjectionExpression is rejected
		{"Query ALL_ATTRIBUTES with projection", "Query", `{"TableName":"composite","KeyConditionExpression":"#pk = :pk","ExpressionAttributeNames":{"#pk":"pk"},"ExpressionAttributeValues":{":pk":{"S":"x"}},"Select":"ALL_ATTRIBUTES","ProjectionExpression":"sk"}`,
			invalid("Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES")},
		// query/select.test.ts: Select ALL_PROJECTED_ATTRIBUTES without an IndexName is rejected
		{"Query ALL_PROJECTED_ATTRIBUTES without index", "Query", `{"TableName":"composite","KeyConditionExpression":"#pk = :pk","ExpressionAttributeNames":{"#pk":"pk"},"ExpressionAttributeValues":{":pk":{"S":"x"}},"Select":"ALL_PROJECTED_ATTRIBUTES"}`,
			invalid("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")},
		// query/select.test.ts: Select ALL_PROJECTED_ATTRIBUTES with ProjectionExpression and no IndexName
		// is rejected (AWS reports the ProjectionExpression rule)
		{"Query ALL_PROJECTED_ATTRIBUTES with projection without index", "Query", `{"TableName":"composite","KeyConditionExpression":"#pk = :pk","ExpressionAttributeNames":{"#pk":"pk"},"ExpressionAttributeValues":{":pk":{"S":"x"}},"Select":"ALL_PROJECTED_ATTRIBUTES","ProjectionExpression":"sk"}`,
			invalid("Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES")},
		// query/gsi.test.ts: rejects ExclusiveStartKey missing the index key on a GSI query
		{"Query GSI ExclusiveStartKey without the index key", "Query", `{"TableName":"composite","IndexName":"gsi1","KeyConditionExpression":"#hk = :v","ExpressionAttributeNames":{"#hk":"lsi1sk"},"ExpressionAttributeValues":{":v":{"S":"x"}},"ExclusiveStartKey":{"pk":{"S":"x"}}}`,
			invalid("The provided starting key is invalid")},

		// scan/filterOperandOrder.test.ts: rejects a non-string begins_with operand even when nothing matches
		{"Scan begins_with number operand", "Scan", `{"TableName":"hash","FilterExpression":"begins_with(#p, :n)","ExpressionAttributeNames":{"#p":"no_such_attr_xyz"},"ExpressionAttributeValues":{":n":{"N":"5"}}}`,
			invalid("Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")},

		// putItem/validation.test.ts: rejects item missing the hash key
		{"PutItem missing hash key", "PutItem", `{"TableName":"hash","Item":{"notTheKey":{"S":"test"}}}`,
			invalid("One or more parameter values were invalid: Missing the key pk in the item")},
		// putItem/validation.test.ts: rejects invalid ReturnValues
		{"PutItem invalid ReturnValues", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"}},"ReturnValues":"INVALID"}`,
			invalid("1 validation error detected: Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]")},
		// putItem/validation.test.ts: rejects mixing expression and non-expression parameters
		// (the exact message is the tier3 error-messages file's)
		{"PutItem Expected with ConditionExpression", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"}},"Expected":{"pk":{"Exists":false}},"ConditionExpression":"attribute_not_exists(pk)"}`,
			invalid("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}")},
		// putItem/validation.test.ts: rejects a wrong-typed index key attribute
		{"PutItem wrong-typed index key", "PutItem", `{"TableName":"composite","Item":{"pk":{"S":"idxkey-type"},"sk":{"S":"a"},"lsi1sk":{"N":"5"}}}`,
			invalid("One or more parameter values were invalid: Type mismatch for Index Key lsi1sk Expected: S Actual: N IndexName: gsi1")},
		// putItem/validation.test.ts: rejects a non-scalar index key attribute
		{"PutItem non-scalar index key", "PutItem", `{"TableName":"composite","Item":{"pk":{"S":"idxkey-nonscalar"},"sk":{"S":"b"},"lsi1sk":{"L":[{"S":"x"}]}}}`,
			invalid("One or more parameter values were invalid: Type mismatch for Index Key lsi1sk Expected: S Actual: L IndexName: gsi1")},
		// putItem/validation.test.ts: rejects an empty-string index key attribute
		{"PutItem empty string index key", "PutItem", `{"TableName":"composite","Item":{"pk":{"S":"idxkey-empty"},"sk":{"S":"c"},"lsi1sk":{"S":""}}}`,
			invalid("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: lsi1sk")},
		// putItem/validation.test.ts: rejects a number with a leading space (the suite
		// checks the type only; the message is DynamoDB's for an unparsable N)
		{"PutItem number with leading space", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"num-lead-ws"},"n":{"N":" 5"}}}`,
			invalid("A value provided cannot be converted into a number")},
		// putItem/validation.test.ts: rejects a number with a trailing space
		{"PutItem number with trailing space", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"num-trail-ws"},"n":{"N":"5 "}}}`,
			invalid("A value provided cannot be converted into a number")},
		// putItem/validation.test.ts: rejects duplicate empty string members in a string set
		// (the collection rendered as for [a, a] above)
		{"PutItem duplicate empty SS members", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"},"bad":{"SS":["",""]}}}`,
			invalid("One or more parameter values were invalid: Input collection [, ] contains duplicates.")},
		// putItem/validation.test.ts: rejects duplicate values in number set
		{"PutItem duplicate NS", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"test"},"bad":{"NS":["1","1","2"]}}}`,
			invalid("One or more parameter values were invalid: Input collection [1, 1, 2] contains duplicates.")},
		// The same rule for GetItem's AttributesToGet, in BatchGetItem's wording above.
		{"GetItem AttributesToGet with ProjectionExpression", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"test"}},"AttributesToGet":["a"],"ProjectionExpression":"b"}`,
			invalid("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")},

		// transactions/transactGet.test.ts: rejects duplicate keys in same transaction
		{"TransactGetItems duplicate keys", "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"pk":{"S":"tg-basic-1"}}}},{"Get":{"TableName":"hash","Key":{"pk":{"S":"tg-basic-1"}}}}]}`,
			invalid("Transaction request cannot include multiple operations on one item")},
		// ttl/basic.test.ts: rejects UpdateTimeToLive on non-existent table
		{"UpdateTimeToLive missing table", "UpdateTimeToLive", `{"TableName":"nonexistent_table_that_does_not_exist","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ttl"}}`,
			awsError{400, "ResourceNotFoundException", "Requested resource not found: Table: nonexistent_table_that_does_not_exist not found", nil}},

		// createTable/specValidation.test.ts: rejects an INCLUDE GSI projection without NonKeyAttributes (covered above); rejects a KEYS_ONLY GSI projection carrying NonKeyAttributes
		{"CreateTable KEYS_ONLY with NonKeyAttributes", "CreateTable", `{"TableName":"ct_ko_nka","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",
			"GlobalSecondaryIndexes":[{"IndexName":"gsi1","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY","NonKeyAttributes":["x"]}}]}`,
			invalid("One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified")},
		// createTable/specValidation.test.ts: rejects a disabled stream carrying a StreamViewType
		// (the exact message is tier3/error-messages/createTable.test.ts: StreamSpecification
		// StreamEnabled:false with a StreamViewType: full conflict message)
		{"CreateTable disabled stream with a view type", "CreateTable", `{"TableName":"ct_stream_off_vt","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":false,"StreamViewType":"NEW_IMAGE"}}`,
			invalid("One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified")},
		// batchWriteItem/validation.test.ts: rejects empty RequestItems (the exact message is
		// tier3/error-messages/batchWriteItem.test.ts: empty RequestItems: full required-parameter error)
		{"BatchWriteItem empty RequestItems", "BatchWriteItem", `{"RequestItems":{}}`,
			invalid("The requestItems parameter is required for BatchWriteItem")},

		// createTable/basic.test.ts: rejects a table name longer than 255 characters
		{"CreateTable long name", "CreateTable", `{"TableName":"` + strings.Repeat("a", 256) + `",` + ctAttrs + `,"BillingMode":"PAY_PER_REQUEST"}`,
			invalid("1 validation error detected: Value '" + strings.Repeat("a", 256) + "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255")},
		// createTable/basic.test.ts: rejects a table name with invalid characters
		{"CreateTable name with invalid characters", "CreateTable", `{"TableName":"invalid;name",` + ctAttrs + `,"BillingMode":"PAY_PER_REQUEST"}`,
			invalid("1 validation error detected: Value 'invalid;name' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")},
		// createTable/basic.test.ts: rejects missing KeySchema (sent as an empty list; an
		// absent KeySchema is "Value null", as captured from DynamoDB by ack-api-quirks DDB-TABLE-042)
		{"CreateTable empty KeySchema", "CreateTable", `{"TableName":"ct_nokey","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[],"BillingMode":"PAY_PER_REQUEST"}`,
			invalid("1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1")},
		{"CreateTable absent KeySchema", "CreateTable", `{"TableName":"ct_nokey","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`,
			invalid("1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null")},
		// ack-api-quirks DDB-TABLE-042 (captured from DynamoDB, 2026-10-08):
		// a duplicate attribute definition, of the same or another type
		{"CreateTable duplicate attribute definition", "CreateTable", `{"TableName":"ct_dup_attr","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"pk","AttributeType":"N"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`,
			invalid("Attribute Name is duplicated: pk")},
		// ack-api-quirks DDB-TABLE-042: KeySchema with the range key first
		{"CreateTable range key first", "CreateTable", `{"TableName":"ct_range_first","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],
			"KeySchema":[{"AttributeName":"sk","KeyType":"RANGE"},{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`,
			invalid("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")},
		// ack-api-quirks DDB-TABLE-042: names are case-sensitive
		{"CreateTable key name of another case", "CreateTable", `{"TableName":"ct_case","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"PK","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`,
			invalid("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [PK], AttributeDefinitions: [pk]")},
		// createTable/basic.test.ts: rejects unused AttributeDefinitions
		{"CreateTable unused attribute definition", "CreateTable", `{"TableName":"ct_unused_attr","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"extra","AttributeType":"N"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`,
			invalid("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")},
		// createTable/lsi.test.ts: rejects LSI with a hash key different from the base table
		{"CreateTable LSI with another hash key", "CreateTable", `{"TableName":"ct_lsi_wronghash","BillingMode":"PAY_PER_REQUEST",
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"other","AttributeType":"S"},{"AttributeName":"lsiSk","AttributeType":"N"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
			"LocalSecondaryIndexes":[{"IndexName":"lsi1","KeySchema":[{"AttributeName":"other","KeyType":"HASH"},{"AttributeName":"lsiSk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}`,
			invalid("One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: lsi1. index hash key: other, table hash key: pk")},
		// updateTable/basic.test.ts: rejects PROVISIONED to PROVISIONED no-op with same throughput
		// values (wording captured from DynamoDB by dynalite's updateTable tests)
		{"UpdateTable unchanged throughput", "UpdateTable", `{"TableName":"composite","BillingMode":"PROVISIONED",` + tp5 + `}`,
			invalid("The provisioned throughput for the table will not change. The requested value equals the current value. " +
				"Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. " +
				"Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. " +
				"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.")},
		// updateTable/basic.test.ts: rejects invalid throughput values (0 or negative)
		{"UpdateTable zero read capacity", "UpdateTable", `{"TableName":"composite","ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":5}}`,
			invalid("1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1")},
		// updateTable/basic.test.ts: rejects PAY_PER_REQUEST with ProvisionedThroughput specified
		{"UpdateTable PAY_PER_REQUEST with throughput", "UpdateTable", `{"TableName":"composite","BillingMode":"PAY_PER_REQUEST",` + tp5 + `}`,
			invalid("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")},
		// updateTable/gsi.test.ts: rejects adding a GSI with a name that already exists (the
		// wording DynamoDB clients match on, e.g. amazonka's index waiter)
		{"UpdateTable existing index name", "UpdateTable", `{"TableName":"gsiB","AttributeDefinitions":[{"AttributeName":"bidx","AttributeType":"B"}],
			"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"gsib","KeySchema":[{"AttributeName":"bidx","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}`,
			invalid("Attempting to create an index which already exists")},

		// UpdateTable's own rules, as the ack-api-quirks lab captured them
		// from DynamoDB in October 2026 (cited by finding).
		// DDB-TABLE-015: nothing to change, even on a missing table (the
		// check comes before the lookup).
		{"UpdateTable nothing to update", "UpdateTable", `{"TableName":"hash"}`, invalid(nothingToUpdate)},
		{"UpdateTable of a missing table changing nothing", "UpdateTable", `{"TableName":"no_such_table"}`, invalid(nothingToUpdate)},
		// DDB-TABLE-162: AttributeDefinitions alone changes nothing.
		{"UpdateTable AttributeDefinitions alone", "UpdateTable", `{"TableName":"hash","AttributeDefinitions":[{"AttributeName":"x","AttributeType":"S"}]}`, invalid(nothingToUpdate)},
		// DDB-TABLE-359: an empty GlobalSecondaryIndexUpdates counts as
		// absent, and is refused beside a real change.
		{"UpdateTable empty index updates alone", "UpdateTable", `{"TableName":"hash","GlobalSecondaryIndexUpdates":[]}`, invalid(nothingToUpdate)},
		{"UpdateTable empty index updates with a change", "UpdateTable", `{"TableName":"hash","GlobalSecondaryIndexUpdates":[],"DeletionProtectionEnabled":true}`,
			invalid("One or more parameter values were invalid: List of GlobalSecondaryIndexUpdates is empty")},
		// DDB-TABLE-442 (val_sse_plus_dp), DDB-TABLE-156, DDB-TABLE-382:
		// UpdateTable changes one thing at a time.
		{"UpdateTable SSE with deletion protection", "UpdateTable", `{"TableName":"hash","SSESpecification":{"Enabled":true,"SSEType":"KMS"},"DeletionProtectionEnabled":true}`,
			invalid("One or more parameter values were invalid: Server-Side Encryption modification must be the only operation in the request")},
		{"UpdateTable deletion protection with billing mode", "UpdateTable", `{"TableName":"hash","BillingMode":"PAY_PER_REQUEST","DeletionProtectionEnabled":true}`,
			invalid("One or more parameter values were invalid: DeletionProtection modification must be the only operation in the request")},
		{"UpdateTable table class with throughput", "UpdateTable", `{"TableName":"composite","TableClass":"STANDARD_INFREQUENT_ACCESS","ProvisionedThroughput":{"ReadCapacityUnits":6,"WriteCapacityUnits":6}}`,
			invalid("One or more parameter values were invalid: TableClass modification must be the only operation in the request")},
		{"UpdateTable on-demand throughput with a stream", "UpdateTable", `{"TableName":"hash","OnDemandThroughput":{"MaxReadRequestUnits":10},"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`,
			invalid("One or more parameter values were invalid: OnDemandThroughput can only be combined with BillingMode in an UpdateTable request")},
		{"UpdateTable throughput with a stream", "UpdateTable", `{"TableName":"composite","ProvisionedThroughput":{"ReadCapacityUnits":6,"WriteCapacityUnits":6},"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`,
			invalid("One or more parameter values were invalid: You cannot modify stream status while updating table IOPS")},
		{"UpdateTable index deletion with throughput", "UpdateTable", `{"TableName":"composite","ProvisionedThroughput":{"ReadCapacityUnits":6,"WriteCapacityUnits":6},"GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"gsi1"}}]}`,
			invalid("One or more parameter values were invalid: You cannot create or delete index while updating table IOPS")},
		// DDB-TABLE-174: an index creation beside another change.
		{"UpdateTable index creation with throughput", "UpdateTable", `{"TableName":"composite",` + createGSI3 + `,"ProvisionedThroughput":{"ReadCapacityUnits":6,"WriteCapacityUnits":6}}`,
			invalid("One or more parameter values were invalid: You cannot create or delete index while updating table IOPS")},
		{"UpdateTable index creation with a stream", "UpdateTable", `{"TableName":"composite",` + createGSI3 + `,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`,
			invalid("One or more parameter values were invalid: You cannot create or delete index while changing stream status")},
		{"UpdateTable index creation with deletion protection", "UpdateTable", `{"TableName":"composite",` + createGSI3 + `,"DeletionProtectionEnabled":true}`,
			invalid("One or more parameter values were invalid: DeletionProtection modification must be the only operation in the request")},
		// DDB-TABLE-159: one index created or deleted per call.
		{"UpdateTable two index creations", "UpdateTable", `{"TableName":"composite","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[
			{"Create":{"IndexName":"ga","KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},` + tp5 + `}},
			{"Create":{"IndexName":"gb","KeySchema":[{"AttributeName":"b","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},` + tp5 + `}}]}`,
			awsError{400, "LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table", nil}},
		{"UpdateTable index creation and deletion", "UpdateTable", `{"TableName":"composite","AttributeDefinitions":[{"AttributeName":"lsi2sk","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[
			{"Delete":{"IndexName":"gsi1"}},` + strings.TrimPrefix(createGSI3, `"AttributeDefinitions":[{"AttributeName":"lsi2sk","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[`) + "}",
			awsError{400, "LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table", nil}},
		// DDB-TABLE-160: the rules of each entry.
		{"UpdateTable two updates of one index", "UpdateTable", `{"TableName":"composite","GlobalSecondaryIndexUpdates":[
			{"Update":{"IndexName":"gsi1","ProvisionedThroughput":{"ReadCapacityUnits":6,"WriteCapacityUnits":6}}},
			{"Update":{"IndexName":"gsi1","ProvisionedThroughput":{"ReadCapacityUnits":7,"WriteCapacityUnits":7}}}]}`,
			invalid("One or more parameter values were invalid: Only one global secondary index update per index is allowed simultaneously. Index: gsi1")},
		{"UpdateTable entry with two actions", "UpdateTable", `{"TableName":"composite","GlobalSecondaryIndexUpdates":[
			{"Update":{"IndexName":"gsi1","ProvisionedThroughput":{"ReadCapacityUnits":6,"WriteCapacityUnits":6}},"Delete":{"IndexName":"gsi1"}}]}`,
			invalid("One or more parameter values were invalid: Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object")},
		{"UpdateTable entry without an action", "UpdateTable", `{"TableName":"composite","GlobalSecondaryIndexUpdates":[{}]}`,
			invalid("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null")},
		// DDB-TABLE-164 and DDB-TABLE-152: billing mode and throughput.
		{"UpdateTable PROVISIONED without throughput", "UpdateTable", `{"TableName":"composite","BillingMode":"PROVISIONED"}`,
			invalid("One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED")},
		{"UpdateTable to PROVISIONED without index throughput", "UpdateTable", `{"TableName":"gsiB","BillingMode":"PROVISIONED",` + tp5 + `}`,
			invalid("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: gsib")},
		{"UpdateTable index throughput on PAY_PER_REQUEST", "UpdateTable", `{"TableName":"gsiB","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"gsib",` + tp5 + `}}]}`,
			invalid("One or more parameter values were invalid: The only Updates for index: gsib when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput")},
		// DDB-TABLE-456: an Update naming only the index; a missing index.
		{"UpdateTable index update with nothing to update", "UpdateTable", `{"TableName":"gsiB","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"gsib"}}]}`,
			invalid("One or more parameter values were invalid: The only Updates for index: gsib when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput")},
		{"UpdateTable update of a missing index", "UpdateTable", `{"TableName":"gsiB","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"ghost","OnDemandThroughput":{}}}]}`,
			awsError{400, "ResourceNotFoundException", "Requested resource not found: Index ghost for table gsiB", nil}},
		// DDB-TABLE-164: an unchanged index throughput. DynamoDB's message
		// was recorded up to "Current WriteCapacityUnits"; the rest is
		// the table's wording with the index named.
		{"UpdateTable unchanged index throughput", "UpdateTable", `{"TableName":"composite","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"gsi1",` + tp5 + `}}]}`,
			invalid("The provisioned throughput for the index gsi1 will not change. The requested value equals the current value. " +
				"Current ReadCapacityUnits provisioned for index gsi1: 5. Requested ReadCapacityUnits: 5. " +
				"Current WriteCapacityUnits provisioned for index gsi1: 5. Requested WriteCapacityUnits: 5. " +
				"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.")},
		// DDB-TABLE-137: local indexes cannot be changed.
		{"UpdateTable deletion of a local index", "UpdateTable", `{"TableName":"composite","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"lsi1"}}]}`,
			invalid("Cannot delete an index that is not a GlobalSecondaryIndex: lsi1")},
		{"UpdateTable update of a local index", "UpdateTable", `{"TableName":"composite","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"lsi1","ProvisionedThroughput":{"ReadCapacityUnits":6,"WriteCapacityUnits":6}}}]}`,
			invalid("Cannot update an index that is not a GlobalSecondaryIndex: lsi1")},
		{"UpdateTable creation named like a local index", "UpdateTable", `{"TableName":"composite",` + strings.Replace(createGSI3, `"gsi3"`, `"lsi1"`, 1) + `}`,
			invalid("Attempting to create an index which already exists")},
		// DDB-TABLE-162 and DDB-TABLE-152: a new index's definitions and throughput.
		{"UpdateTable index creation without AttributeDefinitions", "UpdateTable", `{"TableName":"composite","GlobalSecondaryIndexUpdates":[
			{"Create":{"IndexName":"gsi3","KeySchema":[{"AttributeName":"lsi2sk","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},` + tp5 + `}}]}`,
			invalid("One or more parameter values were invalid: AttributeDefinitions is not specified for index: gsi3")},
		{"UpdateTable index creation without throughput", "UpdateTable", `{"TableName":"composite","AttributeDefinitions":[{"AttributeName":"lsi2sk","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[
			{"Create":{"IndexName":"gsi-nopt","KeySchema":[{"AttributeName":"lsi2sk","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}`,
			invalid("One or more parameter values were invalid: Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: gsi-nopt")},
		// DDB-TABLE-153: request-unit limits belong to PAY_PER_REQUEST tables.
		{"UpdateTable on-demand throughput on PROVISIONED", "UpdateTable", `{"TableName":"composite","OnDemandThroughput":{"MaxReadRequestUnits":10}}`,
			invalid("One or more parameter values were invalid: MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED")},
		// DDB-TABLE-442: no-op encryption and stream changes.
		{"UpdateTable SSE disabled on the default key", "UpdateTable", `{"TableName":"hash","SSESpecification":{"Enabled":false}}`,
			invalid("One or more parameter values were invalid: Table is already encrypted by default")},
		{"UpdateTable stream enabled without a view type", "UpdateTable", `{"TableName":"hash","StreamSpecification":{"StreamEnabled":true}}`,
			invalid("One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required")},
		{"UpdateTable stream disabled with a view type", "UpdateTable", `{"TableName":"hash","StreamSpecification":{"StreamEnabled":false,"StreamViewType":"KEYS_ONLY"}}`,
			invalid("One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified")},
		{"UpdateTable stream disabled without a stream", "UpdateTable", `{"TableName":"hash","StreamSpecification":{"StreamEnabled":false}}`,
			invalid("Table has no stream to disable: TableName: hash")},
		// DDB-TABLE-128: a PROVISIONED table's index needs throughput.
		{"CreateTable index without throughput", "CreateTable", `{"TableName":"ct_gsi_nopt",` + tp5 + `,
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
			"GlobalSecondaryIndexes":[{"IndexName":"g-a","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`,
			invalid("One or more parameter values were invalid: ProvisionedThroughput is not specified for index: g-a")},
		// DDB-TABLE-043: an empty index list is refused.
		{"CreateTable empty GlobalSecondaryIndexes", "CreateTable", `{"TableName":"ct_gsi_empty",` + ctAttrs + `,"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[]}`,
			invalid("One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty")},
		{"CreateTable empty LocalSecondaryIndexes", "CreateTable", `{"TableName":"ct_lsi_empty",` + ctComposite + `,"BillingMode":"PAY_PER_REQUEST","LocalSecondaryIndexes":[]}`,
			invalid("One or more parameter values were invalid: List of LocalSecondaryIndexes is empty")},
		// DDB-TABLE-127 (captured from DynamoDB): with indexes, an unused attribute definition is
		// named; the definitions as given, the keys in DynamoDB's (Java hash set) order.
		{"CreateTable with indexes and an unused definition", "CreateTable", `{"TableName":"ct_unused_gsi","BillingMode":"PAY_PER_REQUEST",
			"AttributeDefinitions":[{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"S"},{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"c","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
			"GlobalSecondaryIndexes":[{"IndexName":"byA","KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`,
			invalid("One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [sk, a, b, pk, c], keys used: [a, sk, pk]")},
		// DDB-TABLE-127: an index key without a definition, the definitions in DynamoDB's order.
		{"CreateTable index key without a definition", "CreateTable", `{"TableName":"ct_undef_gsi","BillingMode":"PAY_PER_REQUEST",
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
			"GlobalSecondaryIndexes":[{"IndexName":"byQ","KeySchema":[{"AttributeName":"q","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`,
			invalid("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [q], AttributeDefinitions: [sk, pk]")},
		// DDB-TABLE-126: the projection's rules.
		{"CreateTable INCLUDE with empty NonKeyAttributes", "CreateTable", `{"TableName":"ct_nka_empty",` + gsiOnG(`{"ProjectionType":"INCLUDE","NonKeyAttributes":[]}`) + `}`,
			invalid("1 validation error detected: Value '[]' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1")},
		{"CreateTable duplicate NonKeyAttributes", "CreateTable", `{"TableName":"ct_nka_dup",` + gsiOnG(`{"ProjectionType":"INCLUDE","NonKeyAttributes":["x","y","x"]}`) + `}`,
			invalid("One or more parameter values were invalid: Duplicate element in NonKeyAttributes: x")},
		{"CreateTable 21 NonKeyAttributes", "CreateTable", `{"TableName":"ct_nka_21",` + gsiOnG(`{"ProjectionType":"INCLUDE","NonKeyAttributes":["a1","a2","a3","a4","a5","a6","a7","a8","a9","a10","a11","a12","a13","a14","a15","a16","a17","a18","a19","a20","a21"]}`) + `}`,
			invalid("1 validation error detected: Value '[a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21]' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member must have length less than or equal to 20")},
		{"CreateTable index without a projection", "CreateTable", `{"TableName":"ct_noproj",` + gsiOnG(``) + `}`,
			invalid("1 validation error detected: Value null at 'globalSecondaryIndexes.1.member.projection' failed to satisfy constraint: Member must not be null")},
		{"CreateTable empty projection", "CreateTable", `{"TableName":"ct_proj_empty",` + gsiOnG(`{}`) + `}`,
			invalid("One or more parameter values were invalid: Unknown ProjectionType: null")},

		// DDB-TABLE-442's catalogue and DDB-TABLE-128: a WarmThroughput given at creation may not
		// be lower than the provisioned units, or than an on-demand index's initial 12,000/4,000
		// (DynamoDB's message for the latter goes on with a link to its documentation).
		{"CreateTable warm throughput below the provisioned units", "CreateTable", `{"TableName":"ct_warm_low",` + ctAttrs + `,` + tp5 + `,"WarmThroughput":{"ReadUnitsPerSecond":3}}`,
			invalid("One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for table is lower than ReadCapacityUnits of ProvisionedThroughput")},
		{"CreateTable on-demand index warm throughput too low", "CreateTable", `{"TableName":"ct_warm_gsi",` + strings.Replace(gsiOnG(`{"ProjectionType":"ALL"}`), `"KeyType":"HASH"}]`+`,"Projection"`, `"KeyType":"HASH"}],"WarmThroughput":{"ReadUnitsPerSecond":100},"Projection"`, 1) + `}`,
			invalid("One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for index byG is lower than initial throughput for OnDemand")},

		// Tags: ack-api-quirks DDB-TABLE-105, -106, -107, -108, -110, -372, DDB-BACKUP-013 and
		// DDB-TABLE-442's catalogue (captured from DynamoDB); the conformance suite's
		// tags/basic.test.ts for the code of an ARN that is not one and of another account's table.
		{"TagResource ARN that is not one", "TagResource", `{"ResourceArn":"not-a-valid-arn","Tags":[{"Key":"env","Value":"test"}]}`,
			invalid("One or more parameter values were invalid: ARNs must start with 'arn:': not-a-valid-arn")},
		{"ListTagsOfResource another account's table", "ListTagsOfResource", `{"ResourceArn":"` + arnIn("111111111111") + `table/nonexistent_table_xyz"}`,
			awsError{400, "AccessDeniedException", "User: arn:aws:iam::000000000000:user/anonymous is not authorized to perform: dynamodb:ListTagsOfResource on resource: " +
				arnIn("111111111111") + "table/nonexistent_table_xyz because no resource-based policy allows the dynamodb:ListTagsOfResource action", nil}},
		{"ListTagsOfResource missing table", "ListTagsOfResource", `{"ResourceArn":"` + arnIn("000000000000") + `table/nope"}`,
			awsError{400, "ResourceNotFoundException", "Requested resource not found: ResourceArn: " + arnIn("000000000000") + "table/nope not found", nil}},
		{"ListTagsOfResource index ARN", "ListTagsOfResource", `{"ResourceArn":"` + arnIn("000000000000") + `table/gsiB/index/gsib"}`,
			invalid("One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: " + arnIn("000000000000") + "table/gsiB/index/gsib")},
		{"TagResource backup ARN", "TagResource", `{"ResourceArn":"` + arnIn("000000000000") + `table/hash/backup/01700000000000-abcdef12","Tags":[{"Key":"k","Value":"v"}]}`,
			invalid("One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: " + arnIn("000000000000") + "table/hash/backup/01700000000000-abcdef12")},
		{"ListTagsOfResource another region", "ListTagsOfResource", `{"ResourceArn":"arn:aws:dynamodb:eu-west-1:000000000000:table/hash"}`,
			invalid("Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:000000000000:table/hash")},
		{"TagResource empty Tags", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[]}`, invalid("Atleast one Tag needs to be provided as Input.")},
		{"UntagResource empty TagKeys", "UntagResource", `{"ResourceArn":"` + hashARN + `","TagKeys":[]}`, invalid("Atleast one Tag Key needs to be provided as Input.")},
		{"TagResource aws: key", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[{"Key":"ok","Value":"1"},{"Key":"AWS:foo","Value":"x"}]}`,
			invalid("Tag Key cannot be prefixed with aws:, Key: AWS:foo")},
		{"UntagResource aws: key", "UntagResource", `{"ResourceArn":"` + hashARN + `","TagKeys":["aws:foo"]}`, invalid("Tag Key cannot be prefixed with aws:, Key: aws:foo")},
		{"TagResource 129-character key", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[{"Key":"` + strings.Repeat("k", 129) + `","Value":"v"}]}`,
			invalid("The Tag Key provided is invalid, Key: " + strings.Repeat("k", 129))},
		{"TagResource 257-character value", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[{"Key":"k","Value":"` + strings.Repeat("v", 257) + `"}]}`,
			invalid("The Tag Value provided is invalid, Value: " + strings.Repeat("v", 257))},
		{"TagResource empty key", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[{"Key":"","Value":"v"}]}`, invalid("The Tag Key provided is invalid, Key: ")},
		{"TagResource tag without a value", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[{"Key":"k"}]}`, invalid("The Tag Value provided is invalid, Value: null")},
		{"TagResource tag without a key", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[{"Value":"v"}]}`, invalid("The Tag Key provided is invalid, Key: null")},
		{"TagResource # in a key", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[{"Key":"bad#char","Value":"v"}]}`, invalid("The Tag Key provided is invalid, Key: bad#char")},
		{"TagResource comma in a value", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[{"Key":"k","Value":"a,b"}]}`, invalid("The Tag Value provided is invalid, Value: a,b")},
		{"TagResource duplicate keys", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[{"Key":"dup","Value":"1"},{"Key":"dup","Value":"2"}]}`,
			invalid("Duplicate Tag Keys provided as input: Duplicate Tag Key found dup")},
		{"TagResource 51 tags", "TagResource", `{"ResourceArn":"` + hashARN + `","Tags":[` + numberedTags(51) + `]}`, invalid("Number of Tags exceed the current limit for the provided ResourceArn")},
		{"UntagResource 51 keys", "UntagResource", `{"ResourceArn":"` + hashARN + `","TagKeys":[` + numberedKeys(51) + `]}`, invalid("Number of Tags exceed the current limit for the provided ResourceArn")},
		{"CreateTable with an aws: tag", "CreateTable", `{"TableName":"ct_aws_tag",` + ctAttrs + `,"BillingMode":"PAY_PER_REQUEST","Tags":[{"Key":"aws:foo","Value":"x"}]}`,
			invalid("Tag Key cannot be prefixed with aws:, Key: aws:foo")},

		// The store's own refusal of what it does not emulate.
		{"UpdateTable replica updates", "UpdateTable", `{"TableName":"hash","ReplicaUpdates":[{"Create":{"RegionName":"eu-west-1"}}]}`,
			invalid("localdynamo does not implement ReplicaUpdates (global tables are not emulated)")},
		// WarmThroughput: DDB-TABLE-442's catalogue and DDB-TABLE-155 (no
		// decrease), DDB-TABLE-382 (alone), DDB-TABLE-174 (not with an
		// index creation), DDB-TABLE-456 (an index's needs a member; checked
		// before the table is looked up).
		{"UpdateTable warm throughput decrease", "UpdateTable", `{"TableName":"hash","WarmThroughput":{"ReadUnitsPerSecond":100}}`,
			invalid("One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for table is lower than current WarmThroughput, decreasing WarmThroughput is not supported")},
		{"UpdateTable warm throughput with deletion protection", "UpdateTable", `{"TableName":"hash","WarmThroughput":{"ReadUnitsPerSecond":13000},"DeletionProtectionEnabled":true}`,
			invalid("One or more parameter values were invalid: DeletionProtection modification must be the only operation in the request")},
		{"UpdateTable warm throughput with throughput", "UpdateTable", `{"TableName":"composite","WarmThroughput":{"ReadUnitsPerSecond":13000},"ProvisionedThroughput":{"ReadCapacityUnits":6,"WriteCapacityUnits":6}}`,
			invalid("One or more parameter values were invalid: WarmThroughput must be the only operation in the request")},
		{"UpdateTable warm throughput with an index creation", "UpdateTable", `{"TableName":"composite","WarmThroughput":{"ReadUnitsPerSecond":13000},` + createGSI3 + `}`,
			invalid("One or more parameter values were invalid: Create global secondary index cannot be specified when updating WarmThroughput")},
		{"UpdateTable empty index warm throughput", "UpdateTable", `{"TableName":"gsiB","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"gsib","WarmThroughput":{}}}]}`,
			invalid("One or more parameter values were invalid: WarmThroughput must have at least one of ReadUnitsPerSecond or WriteUnitsPerSecond specified for index: gsib")},
		{"UpdateTable empty index warm throughput of a missing table", "UpdateTable", `{"TableName":"no_such_table","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"ghost","WarmThroughput":{}}}]}`,
			invalid("One or more parameter values were invalid: WarmThroughput must have at least one of ReadUnitsPerSecond or WriteUnitsPerSecond specified for index: ghost")},
		{"UpdateTable index warm throughput decrease", "UpdateTable", `{"TableName":"gsiB","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"gsib","WarmThroughput":{"ReadUnitsPerSecond":100,"WriteUnitsPerSecond":100}}}]}`,
			invalid("One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for index gsib is lower than current WarmThroughput, decreasing WarmThroughput is not supported")},

		// batchWriteItem/validation.test.ts: rejects a key-less item with a 400 ValidationException, not a 500
		{"BatchWriteItem item without its key", "BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"notkey":{"S":"x"}}}}]}}`,
			invalid("One or more parameter values were invalid: Missing the key pk in the item")},

		// AWS API reference, PutItem: ReturnItemCollectionMetrics is SIZE or NONE
		// (putItem/itemCollectionMetrics.test.ts uses both).
		{"PutItem invalid ReturnItemCollectionMetrics", "PutItem", `{"TableName":"composite","Item":{"pk":{"S":"a"},"sk":{"S":"b"}},"ReturnItemCollectionMetrics":"BOGUS"}`,
			invalid("1 validation error detected: Value 'BOGUS' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]")},
		// The same enum for BatchWriteItem and TransactWriteItems.
		{"BatchWriteItem invalid ReturnItemCollectionMetrics", "BatchWriteItem", `{"RequestItems":{"composite":[{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"S":"b"}}}}]},"ReturnItemCollectionMetrics":"BOGUS"}`,
			invalid("1 validation error detected: Value 'BOGUS' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]")},
		{"TransactWriteItems invalid ReturnItemCollectionMetrics", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"composite","Item":{"pk":{"S":"a"},"sk":{"S":"b"}}}}],"ReturnItemCollectionMetrics":"BOGUS"}`,
			invalid("1 validation error detected: Value 'BOGUS' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]")},

		// Mixing legacy and expression parameters, in the form the tier3
		// putItem case above shows; Query names KeyConditionExpression too
		// (dynalite's query tests, captured from DynamoDB, list it).
		{"Query AttributesToGet with KeyConditionExpression", "Query", `{"TableName":"hash","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"AttributesToGet":["x"]}`,
			invalid("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {KeyConditionExpression}")},
		{"Scan AttributesToGet with ProjectionExpression", "Scan", `{"TableName":"hash","AttributesToGet":["x"],"ProjectionExpression":"y"}`,
			invalid("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")},

		// Key values: partition keys of at most 2048 bytes, sort keys of at
		// most 1024, counted in UTF-8 or binary bytes (DynamoDB developer
		// guide, Constraints: partition keys and sort keys). Messages
		// recorded from DynamoDB in dynalite's tests (putItem.js, getItem.js,
		// batchGetItem.js, batchWriteItem.js, deleteItem.js, updateItem.js:
		// "should return ValidationException if hash key is too big" and
		// "... range key is too big"), in ExtendDB/extenddb pull request 194
		// (GetItem, BatchGetItem, DeleteItem, UpdateItem) and for Query in
		// facebook/ThreatExchange issue 1324.
		{"PutItem hash key over 2048 bytes", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"` + a2049 + `"}}}`, invalid(hashTooBig)},
		{"PutItem multi-byte hash key over 2048 bytes", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"` + strings.Repeat("é", 1025) + `"}}}`, invalid(hashTooBig)},
		{"PutItem binary hash key over 2048 bytes", "PutItem", `{"TableName":"hashB","Item":{"pk":{"B":"` + bin2049 + `"}}}`, invalid(hashTooBig)},
		{"PutItem range key over 1024 bytes", "PutItem", `{"TableName":"composite","Item":{"pk":{"S":"a"},"sk":{"S":"` + b1025 + `"}}}`, invalid(rangeTooBig)},
		{"GetItem hash key over 2048 bytes", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"` + a2049 + `"}}}`, invalid(hashTooBig)},
		{"GetItem range key over 1024 bytes", "GetItem", `{"TableName":"composite","Key":{"pk":{"S":"a"},"sk":{"S":"` + b1025 + `"}}}`, invalid(rangeTooBig)},
		{"DeleteItem range key over 1024 bytes", "DeleteItem", `{"TableName":"composite","Key":{"pk":{"S":"a"},"sk":{"S":"` + b1025 + `"}}}`, invalid(rangeTooBig)},
		{"UpdateItem hash key over 2048 bytes", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"` + a2049 + `"}},"UpdateExpression":"SET x = :v","ExpressionAttributeValues":{":v":{"S":"v"}}}`, invalid(hashTooBig)},
		{"BatchGetItem range key over 1024 bytes", "BatchGetItem", `{"RequestItems":{"composite":{"Keys":[{"pk":{"S":"a"},"sk":{"S":"` + b1025 + `"}}]}}}`, invalid(rangeTooBig)},
		{"BatchWriteItem Put hash key over 2048 bytes", "BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"pk":{"S":"` + a2049 + `"}}}}]}}`, invalid(hashTooBig)},
		{"BatchWriteItem Delete range key over 1024 bytes", "BatchWriteItem", `{"RequestItems":{"composite":[{"DeleteRequest":{"Key":{"pk":{"S":"a"},"sk":{"S":"` + b1025 + `"}}}}]}}`, invalid(rangeTooBig)},
		{"TransactWriteItems Put hash key over 2048 bytes", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"S":"` + a2049 + `"}}}}]}`, invalid(hashTooBig)},
		{"TransactGetItems hash key over 2048 bytes", "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"pk":{"S":"` + a2049 + `"}}}}]}`, invalid(hashTooBig)},
		{"Query hash key over 2048 bytes", "Query", `{"TableName":"hash","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"` + a2049 + `"}}}`, invalid(hashTooBig)},
		// Index keys are held to the same limits, in words recorded from
		// DynamoDB in architect/dynalite issue 35 and
		// wellcomecollection/platform issue 2285 ("Size limit exceeded for
		// Index Key componentId Actual Size: 2175 bytes Max Size: 2048 bytes
		// IndexName: work-sets-index"). The API reference lists "The update
		// expression attempted to update the secondary index key beyond
		// allowed size limits" among TransactWriteItems' cancellation
		// reasons.
		{"PutItem GSI key over 2048 bytes", "PutItem", `{"TableName":"gsiB","Item":{"pk":{"S":"em-gsi-big"},"bidx":{"B":"` + bin2049 + `"}}}`,
			invalid("One or more parameter values were invalid: Size limit exceeded for Index Key bidx Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: gsib")},
		{"PutItem LSI sort key over 1024 bytes", "PutItem", `{"TableName":"composite","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"lsi1sk":{"S":"` + b1025 + `"}}}`,
			invalid("One or more parameter values were invalid: Size limit exceeded for Index Key lsi1sk Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: lsi1")},
		{"UpdateItem GSI key over 2048 bytes", "UpdateItem", `{"TableName":"gsiB","Key":{"pk":{"S":"em-gsi-big"}},"UpdateExpression":"SET bidx = :b","ExpressionAttributeValues":{":b":{"B":"` + bin2049 + `"}}}`,
			invalid("One or more parameter values were invalid: Size limit exceeded for Index Key bidx Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: gsib")},
		{"TransactWriteItems Update of a GSI key over 2048 bytes", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"gsiB","Key":{"pk":{"S":"em-gsi-big"}},"UpdateExpression":"SET bidx = :b","ExpressionAttributeValues":{":b":{"B":"` + bin2049 + `"}}}}]}`,
			cancelled("ValidationError: One or more parameter values were invalid: Size limit exceeded for Index Key bidx Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: gsib")},

		// Expressions: at most 4 KB (scylladb test/alternator/test_limits.py:
		// test_limit_expression_len, whose comments quote DynamoDB's "Invalid
		// ConditionExpression: Expression size has exceeded the maximum
		// allowed size; expression size: 200004"), 300 operators
		// (test_deeply_nested_expression_2: "The expression contains too many
		// operators; operator count: 301"), 100 operands of IN and document
		// paths of 32 levels (test_projection.py:
		// test_projection_expression_path_nesting_levels: "The document path
		// has too many nesting levels; nesting levels: 33"); developer guide,
		// Constraints: expression parameters.
		{"GetItem projection expression over 4 KB", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"` + strings.Repeat("x", 4097) + `"}`,
			invalid("Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097")},
		{"UpdateItem condition expression over 4 KB", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :v","ConditionExpression":"a` + strings.Repeat(" ", 4092) + `= :v","ExpressionAttributeValues":{":v":{"N":"1"}}}`,
			invalid("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097")},
		{"UpdateItem condition of 301 operators", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET z = :v","ConditionExpression":"` + ops301 + `","ExpressionAttributeValues":{":v":{"N":"1"}}}`,
			invalid("Invalid ConditionExpression: The expression contains too many operators; operator count: 301")},
		{"Scan filter IN of 101 operands", "Scan", `{"TableName":"hash","FilterExpression":"` + in101 + `","ExpressionAttributeValues":{":v":{"N":"1"}}}`,
			invalid("Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101")},
		{"GetItem projection path of 33 levels", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"a` + strings.Repeat(".b", 32) + `"}`,
			invalid("Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33")},
		// Values nested more than 32 levels deep, the attribute's own value
		// the first (nubo-db/dynamodb-conformance
		// tests/tier3/limits/nestingDepth: PutItem, BatchWriteItem and a
		// TransactWriteItems Put refuse the item, UpdateItem the value, and a
		// TransactWriteItems Update that writes it is cancelled).
		{"PutItem value nested 33 levels", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-nest"},"data":` + deepMap(32) + `}}`, invalid(nesting)},
		{"BatchWriteItem value nested 33 levels", "BatchWriteItem", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"pk":{"S":"em-nest"},"data":` + deepMap(32) + `}}}]}}`, invalid(nesting)},
		{"TransactWriteItems Put of a value nested 33 levels", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-nest"},"data":` + deepMap(32) + `}}}]}`, invalid(nesting)},
		{"UpdateItem condition value nested 33 levels", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"em-ccf"}},"UpdateExpression":"SET t = :t","ConditionExpression":"#d = :deep","ExpressionAttributeNames":{"#d":"data"},"ExpressionAttributeValues":{":t":{"S":"y"},":deep":` + deepMap(32) + `}}`,
			invalid(nesting)},
		{"TransactWriteItems Update writing a value nested 33 levels", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"hash","Key":{"pk":{"S":"em-ccf"}},"UpdateExpression":"SET deep = :deep","ExpressionAttributeValues":{":deep":` + deepMap(32) + `}}}]}`,
			cancelled("ValidationError: " + nesting)},

		// The aggregate size of a transaction's items is at most 4 MB (API
		// reference, TransactWriteItems; nubo-db/dynamodb-conformance
		// tests/tier3/limits/transactionLimits.test.ts: 12 items of 350,000
		// bytes are refused with ValidationException). The wording is the
		// store's best rendering.
		{"TransactWriteItems over 4 MB", "TransactWriteItems", `{"TransactItems":[` + strings.Join(over4MB, ",") + `]}`,
			invalid("Transaction request cannot be larger than 4 MB")},

		// An invalid ExpressionAttributeValues value is reported with its key,
		// once the keys are found valid (dynalite test/updateItem.js: "should
		// return ValidationException for unsupported datatype / invalid values
		// / multiple datatypes in ExpressionAttributeValues" and "... invalid
		// keys in ExpressionAttributeValues").
		{"UpdateItem empty value", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{}}}`,
			invalid("ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v")},
		{"UpdateItem null value", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":null}}`,
			invalid("ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v")},
		{"UpdateItem empty value in a map", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"M":{"a":{}}}}}`,
			invalid("ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v")},
		{"UpdateItem empty string set value", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"ADD a :v","ExpressionAttributeValues":{":v":{"SS":[]}}}`,
			invalid("ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v")},
		{"UpdateItem value of two types", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"a","N":"1"}}}`,
			invalid("ExpressionAttributeValues contains invalid value: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes for key :v")},
		{"UpdateItem invalid key before invalid value", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :b","ExpressionAttributeValues":{":b":{"a":""},"b":{"S":"a"}}}`,
			invalid(`ExpressionAttributeValues contains invalid key: Syntax error; key: "b"`)},

		// ClientRequestToken has length 1 to 36 (API reference,
		// TransactWriteItems), checked as TimeToLiveSpecification's name is.
		{"TransactWriteItems empty ClientRequestToken", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"S":"em-tok"}}}}],"ClientRequestToken":""}`,
			invalid("1 validation error detected: Value '' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 1")},

		// An Update in a transaction that grows its item past 400 KB cancels
		// the transaction (nubo-db/dynamodb-conformance
		// tests/tier3/limits/itemSizeBySurface.test.ts: "an Update one byte
		// over surfaces as a cancellation, with the update wording").
		{"TransactWriteItems Update past 400 KB", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"hash","Key":{"pk":{"S":"em-big"}},"UpdateExpression":"SET big2 = :v","ExpressionAttributeValues":{":v":{"S":"` + big + `"}}}}]}`,
			cancelled("ValidationError: Item size to update has exceeded the maximum allowed size")},

		// Key schema attribute names have at most 255 characters, as do
		// attribute definitions' (API reference, KeySchemaElement and
		// AttributeDefinition; scylladb test/alternator/test_limits.py:
		// test_limit_attribute_length_key_bad_incoherent_names and
		// test_limit_attribute_length_gsi_lsi_bad_incoherent_names, where
		// DynamoDB refuses each with a message naming 255).
		{"CreateTable key attribute name of 256 characters", "CreateTable", `{"TableName":"ct_long_key","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"` + long256 + `","KeyType":"HASH"}]}`,
			invalid("1 validation error detected: Value '" + long256 + "' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255")},
		{"CreateTable attribute definition name of 256 characters", "CreateTable", `{"TableName":"ct_long_def","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"` + long256 + `","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`,
			invalid("1 validation error detected: Value '" + long256 + "' at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255")},
		{"CreateTable GSI key attribute name of 256 characters", "CreateTable", `{"TableName":"ct_long_gsi_key","BillingMode":"PAY_PER_REQUEST",` + ctAttrs + `,
			"GlobalSecondaryIndexes":[{"IndexName":"byLong","KeySchema":[{"AttributeName":"` + long256 + `","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`,
			invalid("1 validation error detected: Value '" + long256 + "' at 'globalSecondaryIndexes.1.member.keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255")},

		// A key of one attribute takes one condition (dynalite test/query.js:
		// "should return ValidationException if querying with unsupported
		// conditions", on its hash-only table: "a = :a AND b = :a" and "y = :a
		// and z = :a").
		{"Query hash-only table with a condition on another attribute", "Query", `{"TableName":"hash","KeyConditionExpression":"pk = :p AND x = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}`,
			invalid("Query key condition not supported")},
		{"Query hash-only table with two conditions on other attributes", "Query", `{"TableName":"hash","KeyConditionExpression":"y = :p and z = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}`,
			invalid("Query key condition not supported")},

		// A member of the wrong JSON type is a SerializationException
		// naming what was found and what was expected (dynalite
		// test/helpers.js assertType, recorded against DynamoDB, by the
		// type of the member: String, Integer, Long, Boolean, Blob, List,
		// Map, ParameterizedMap and ParameterizedList, FieldStruct for a
		// structure that is a member, ValueStruct for one that is a map's
		// value or a list's member). Other observations are cited by case.
		// localstack/localstack#9412 and ca98am79/connect-dynamodb#99:
		// {"N": 123} answers NUMBER_VALUE cannot be converted to String.
		{"PutItem N as a JSON number", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"n":{"N":1}}}`,
			badType("NUMBER_VALUE cannot be converted to String")},
		{"PutItem S as a decimal", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":34.56}}}`,
			badType("DECIMAL_VALUE cannot be converted to String")},
		{"GetItem TableName as a number", "GetItem", `{"TableName":5,"Key":{"pk":{"S":"a"}}}`,
			badType("NUMBER_VALUE cannot be converted to String")},
		{"GetItem TableName as a boolean", "GetItem", `{"TableName":false,"Key":{"pk":{"S":"a"}}}`,
			badType("FALSE_VALUE cannot be converted to String")},
		// pynamodb/PynamoDB#945: a list where a string belongs.
		{"GetItem TableName as a list", "GetItem", `{"TableName":["hash"],"Key":{"pk":{"S":"a"}}}`,
			badType("Unrecognized collection type class java.lang.String")},
		{"Scan ExpressionAttributeNames value as a boolean", "Scan", `{"TableName":"hash","ExpressionAttributeNames":{"#a":true}}`,
			badType("TRUE_VALUE cannot be converted to String")},
		{"Query Limit as a string", "Query", `{"TableName":"hash","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"Limit":"5"}`,
			badType("STRING_VALUE cannot be converted to Integer")},
		{"Scan Segment as a boolean", "Scan", `{"TableName":"hash","Segment":true,"TotalSegments":2}`,
			badType("TRUE_VALUE cannot be converted to Integer")},
		{"ListTables Limit as a list", "ListTables", `{"Limit":[]}`,
			badType("Unrecognized collection type class java.lang.Integer")},
		{"CreateTable ReadCapacityUnits as a string", "CreateTable", `{"TableName":"em_ser_rcu",` + ctAttrs + `,"ProvisionedThroughput":{"ReadCapacityUnits":"5","WriteCapacityUnits":5}}`,
			badType("STRING_VALUE cannot be converted to Long")},
		{"GetItem ConsistentRead as a string", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ConsistentRead":"23"}`,
			badType("Unexpected token received from parser")},
		{"PutItem BOOL as a number", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"b":{"BOOL":1}}}`,
			badType("NUMBER_VALUE cannot be converted to Boolean")},
		{"PutItem BOOL as a string", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"b":{"BOOL":"true"}}}`,
			badType("Unexpected token received from parser")},
		{"PutItem NULL as a list", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"b":{"NULL":[]}}}`,
			badType("Unrecognized collection type class java.lang.Boolean")},
		// scylladb/scylladb#6487 quotes DynamoDB's answer, with "Message":
		// Base64 encoded length is expected a multiple of 4 bytes but
		// found: 11.
		{"PutItem B of three characters", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"b":{"B":"!!!"}}}`,
			badType("Base64 encoded length is expected a multiple of 4 bytes but found: 3")},
		{"PutItem B with bits after its last character", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"b":{"B":"+/+="}}}`,
			badType("Invalid last non-pad Base64 character dectected")},
		{"PutItem B key with a misplaced pad", "PutItem", `{"TableName":"hashB","Item":{"pk":{"B":"=+/="}}}`,
			badType("Invalid last non-pad Base64 character dectected")},
		{"PutItem BS member of five characters", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"b":{"BS":["YQ==","23456"]}}}`,
			badType("Base64 encoded length is expected a multiple of 4 bytes but found: 5")},
		{"PutItem BS member as a number", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"b":{"BS":[5]}}}`,
			badType("only base-64-encoded strings are convertible to bytes")},
		{"PutItem B as a list", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"b":{"B":["YQ=="]}}}`,
			badType("Unrecognized collection type class java.nio.ByteBuffer")},
		{"GetItem Key as a list", "GetItem", `{"TableName":"hash","Key":[]}`,
			badType("Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>")},
		{"GetItem Key as a string", "GetItem", `{"TableName":"hash","Key":"pk"}`,
			badType("Unexpected field type")},
		{"GetItem ExpressionAttributeNames as a list", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"#a","ExpressionAttributeNames":[]}`,
			badType("Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>")},
		{"GetItem AttributesToGet as a string", "GetItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"AttributesToGet":"pk"}`,
			badType("Unexpected field type")},
		{"PutItem attribute value as a string", "PutItem", `{"TableName":"hash","Item":{"pk":"em-ser"}}`,
			badType("Unexpected value type in payload")},
		{"PutItem attribute value as a list", "PutItem", `{"TableName":"hash","Item":{"pk":[{"S":"em-ser"}]}}`,
			badType("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue")},
		{"PutItem L member as a number", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"l":{"L":[{"S":"a"},5]}}}`,
			badType("Unexpected value type in payload")},
		{"PutItem SS as a string", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"s":{"SS":"a"}}}`,
			badType("Unexpected field type")},
		{"PutItem M as a list", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"m":{"M":[]}}}`,
			badType("Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>")},
		{"UpdateItem ExpressionAttributeValues value of the wrong type", "UpdateItem", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":7}}}`,
			badType("NUMBER_VALUE cannot be converted to String")},
		{"UpdateTable ProvisionedThroughput as a list", "UpdateTable", `{"TableName":"composite","ProvisionedThroughput":[]}`,
			badType("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput")},
		{"UpdateTimeToLive TimeToLiveSpecification as a string", "UpdateTimeToLive", `{"TableName":"hash","TimeToLiveSpecification":"on"}`,
			badType("Unexpected field type")},
		{"BatchGetItem Keys member as a string", "BatchGetItem", `{"RequestItems":{"hash":{"Keys":["pk"]}}}`,
			badType("class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')")},
		{"BatchGetItem table's request as a list", "BatchGetItem", `{"RequestItems":{"hash":[]}}`,
			badType("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeysAndAttributes")},
		{"BatchWriteItem table's requests as a string", "BatchWriteItem", `{"RequestItems":{"hash":"put"}}`,
			badType("class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')")},
		{"BatchWriteItem RequestItems as a list", "BatchWriteItem", `{"RequestItems":[]}`,
			badType("Unrecognized collection type java.util.Map<java.lang.String, java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>")},
		{"BatchWriteItem write request as a number", "BatchWriteItem", `{"RequestItems":{"hash":[5]}}`,
			badType("Unexpected value type in payload")},
		{"TransactWriteItems Put as a list", "TransactWriteItems", `{"TransactItems":[{"Put":[]}]}`,
			badType("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.Put")},
		// DynamoDB reads the whole body before it validates any of it, so a
		// member of the wrong type is reported before invalid values, an
		// empty table name included; among several, the first in the body
		// (as a streaming parser meets them; not observed).
		{"PutItem wrong type after an invalid value", "PutItem", `{"TableName":"hash","Item":{"pk":{"S":"em-ser"},"z":{"NULL":false}},"ReturnValues":5}`,
			badType("NUMBER_VALUE cannot be converted to String")},
		{"Query wrong type with an empty table name", "Query", `{"TableName":"","Limit":"5"}`,
			badType("STRING_VALUE cannot be converted to Integer")},
		{"Scan first wrong type in the body", "Scan", `{"TableName":"hash","Limit":"5","IndexName":5}`,
			badType("STRING_VALUE cannot be converted to Integer")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := rawCall(h, tc.op, tc.body)
			got := parseAWSError(t, status, body)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.op, diff)
			}
		})
	}
}

// numberedTags is n tags k1=v1, k2=v2, ... as JSON list members.
func numberedTags(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Key":"k%d","Value":"v%d"}`, i, i)
	}
	return b.String()
}

// numberedKeys is n tag keys k1, k2, ... as JSON list members.
func numberedKeys(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d"`, i)
	}
	return b.String()
}

// deepMap is an AttributeValue nesting a string n maps deep: as an
// attribute's value, the string is at level n+1.
func deepMap(n int) string {
	return strings.Repeat(`{"M":{"n":`, n) + `{"S":"leaf"}` + strings.Repeat("}}", n)
}
