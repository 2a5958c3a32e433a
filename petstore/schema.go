package petstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/faasport/faasport/faas"
)

// The tables and index of the pet store. See the package documentation
// for their keys.
const (
	ProductsTable    = "Products"
	OrdersTable      = "Orders"
	IdempotencyTable = "Idempotency"
	CategoryIndex    = "category-index"
)

// Schema returns the definitions of the pet store's tables, on-demand
// billed, for [Catalog.CreateTables] or for handing to an emulator or a deployment
// template. Each call returns new values the caller may change.
func Schema() []*dynamodb.CreateTableInput {
	str := types.ScalarAttributeTypeS
	key := func(name string, t types.KeyType) types.KeySchemaElement {
		return types.KeySchemaElement{AttributeName: aws.String(name), KeyType: t}
	}
	attr := func(name string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: str}
	}
	return []*dynamodb.CreateTableInput{
		{
			TableName:            aws.String(ProductsTable),
			BillingMode:          types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{attr("id"), attr("category"), attr("sortName")},
			KeySchema:            []types.KeySchemaElement{key("id", types.KeyTypeHash)},
			GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
				IndexName:  aws.String(CategoryIndex),
				KeySchema:  []types.KeySchemaElement{key("category", types.KeyTypeHash), key("sortName", types.KeyTypeRange)},
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
			}},
		},
		{
			TableName:            aws.String(OrdersTable),
			BillingMode:          types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{attr("userId"), attr("orderId")},
			KeySchema:            []types.KeySchemaElement{key("userId", types.KeyTypeHash), key("orderId", types.KeyTypeRange)},
		},
		{
			TableName:            aws.String(IdempotencyTable),
			BillingMode:          types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{attr("key")},
			KeySchema:            []types.KeySchemaElement{key("key", types.KeyTypeHash)},
		},
	}
}

// CreateTables creates the tables of [Schema] that do not exist yet, waits
// until they are active, and turns on time to live for idempotency
// records. Tables that already exist are left as they are, so it is safe
// to call on every start.
func (c *Catalog) CreateTables(ctx context.Context) error {
	if err := EnsureTables(ctx, c.db, Schema()...); err != nil {
		return err
	}
	_, err := c.db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(IdempotencyTable),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(attrExpires),
			Enabled:       aws.Bool(true),
		},
	})
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "ValidationException" {
		// DynamoDB refuses to enable time to live twice ("TimeToLive is
		// already enabled"); that is the state we want.
		err = nil
	}
	return dbError(ctx, "enable time to live on "+IdempotencyTable, err)
}

// EnsureTables creates the tables defined by schema that do not exist yet
// and waits until they are all active. It is for packages with tables of
// their own, such as the monolith's users; the catalog's own tables are
// made by [Catalog.CreateTables].
func EnsureTables(ctx context.Context, client *dynamodb.Client, schema ...*dynamodb.CreateTableInput) error {
	for _, in := range schema {
		_, err := client.CreateTable(ctx, in)
		var inUse *types.ResourceInUseException
		if err != nil && !errors.As(err, &inUse) {
			return dbError(ctx, "create table "+aws.ToString(in.TableName), err)
		}
	}
	w := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 100 * time.Millisecond
		o.MaxDelay = 2 * time.Second
	})
	for _, in := range schema {
		err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: in.TableName}, 5*time.Minute)
		if err != nil {
			return dbError(ctx, "wait for table "+aws.ToString(in.TableName), err)
		}
	}
	return nil
}

// Seed writes products to the Products table, replacing products with the
// same ids. Every product must pass [Product.Validate]; none is written
// otherwise. Writes go in batches of 25, so a failure part way leaves the
// earlier batches written: seed an empty table, or seed again.
func (c *Catalog) Seed(ctx context.Context, products []Product) error {
	seen := make(map[string]bool, len(products))
	for _, p := range products {
		if err := p.Validate(); err != nil {
			return err
		}
		if seen[p.ID] {
			return faas.Errorf(faas.Invalid, "petstore: product id %s appears twice", p.ID)
		}
		seen[p.ID] = true
	}
	const batch = 25 // BatchWriteItem's limit
	for start := 0; start < len(products); start += batch {
		end := min(start+batch, len(products))
		reqs := make([]types.WriteRequest, 0, end-start)
		for _, p := range products[start:end] {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: productItem(p)}})
		}
		pending := map[string][]types.WriteRequest{ProductsTable: reqs}
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt > 0 {
				if attempt > 10 {
					return faas.Errorf(faas.TooManyRequests, "petstore: seeding: the store kept %d writes unprocessed", len(pending[ProductsTable]))
				}
				if err := sleep(ctx, time.Duration(attempt)*50*time.Millisecond); err != nil {
					return dbError(ctx, "seed", err)
				}
			}
			out, err := c.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return dbError(ctx, fmt.Sprintf("seed products %d to %d", start, end), err)
			}
			pending = out.UnprocessedItems
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
