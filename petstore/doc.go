// Package petstore is the pet store's domain, written once and served by
// every deployment: the catalog (listing, product detail, search),
// purchase and order history. It knows nothing of HTTP, sessions or
// Lambda; package httpapi puts it on the wire, and the monolith and the
// functions serve that.
//
// All data lives in DynamoDB and is reached only through an aws-sdk-go-v2
// [dynamodb.Client] handed to [New]: on AWS, on the faasport emulator, or
// in process with localdynamo in tests. [Schema] describes the tables,
// [Catalog.CreateTables] creates them, and [Catalog.Seed] loads a catalog
// such as [SeedProducts] or one made by [GenerateCatalog].
//
// # Tables
//
//   - Products (hash key id), with the global secondary index
//     category-index (hash category, range sortName) that listings page
//     through in name order.
//   - Orders (hash userId, range orderId): a user's history is one Query.
//     Order ids sort by the time the order was placed.
//   - Idempotency (hash key): one record per user and idempotency key,
//     written in the same transaction as the order it names, and expired
//     by DynamoDB's time to live (attribute expiresAt).
//
// The catalog reads ([Catalog.List], [Catalog.Get], [Catalog.Search],
// [Catalog.Quote]) touch only the Products table and its index, projecting
// the public product attributes, so a client allowed to read exactly that
// — such as the single-page app's guest role in the serverless split —
// can call them directly.
//
// # Purchases
//
// [Catalog.Purchase] decrements the stock of every product bought and
// writes the order and its idempotency record in one TransactWriteItems,
// each stock update conditioned on stock >= quantity: a purchase happens
// entirely or not at all, and concurrent purchases never oversell. Prices
// are read from the store, never taken from the caller.
//
// # Errors
//
// Every error is a *faas.Error whose Kind tells the caller what to do:
// [faas.Invalid] for bad input, [faas.NotFound], [faas.Conflict] when the
// stock cannot cover an order or an idempotency key is reused for another
// cart, [faas.Unauthenticated] for purchases without a user,
// [faas.TooManyRequests] when the store is busy. Messages are meant for
// the user; store failures are [faas.Internal] and keep their cause for
// the log only.
package petstore
