package localdynamo_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/emulator/localdynamo/localdynamotest"
)

// openShared opens a store on the file at path, one of several on it, as
// a process of its own would, for the rest of the test.
func openShared(t *testing.T, path string, opts *localdynamo.Options) (*localdynamo.Store, *dynamodb.Client) {
	t.Helper()
	s, err := localdynamo.Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dynamodb.NewFromConfig(localdynamotest.Config(t, s))
}

// Two stores on one file, as two processes would open it: each holds the
// tables' metadata in memory, and sees the other's changes to tables
// before it writes by them, and within moments for its reads.
func TestTablesChangedByAnotherStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	_, a := openShared(t, path, nil)
	_, b := openShared(t, path, nil)
	ctx := ctxT(t)
	code := func(err error) string {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode()
		}
		if err != nil {
			return err.Error()
		}
		return "ok"
	}
	put := func(c *dynamodb.Client, js string) string {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("shared"), Item: item(t, js)})
		return code(err)
	}
	queryG := func(c *dynamodb.Client) (string, int32) {
		out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("shared"), IndexName: aws.String("byG"),
			KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: item(t, `{":g":{"S":"G"}}`)})
		if err != nil {
			return code(err), 0
		}
		return "ok", out.Count
	}
	// eventually waits (up to 5 s) for f to return want: a read sees
	// another store's table changes within a poll of the tables.
	eventually := func(what, want string, f func() string) {
		t.Helper()
		got := f()
		for deadline := time.Now().Add(5 * time.Second); got != want && time.Now().Before(deadline); got = f() {
			time.Sleep(20 * time.Millisecond)
		}
		if got != want {
			t.Errorf("%s: %s, want %s", what, got, want)
		}
	}

	// a knows the file before b creates the table.
	_, err := b.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("shared"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := put(a, `{"pk":{"S":"1"},"g":{"S":"G"}}`); got != "ok" {
		t.Errorf("a writes to the table b created: %s", got)
	}

	// b adds an index; a's next write maintains it, and checks its key type.
	_, err = b.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("shared"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("byG"), KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}}}})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{
		put(a, `{"pk":{"S":"2"},"g":{"S":"G"}}`),
		put(a, `{"pk":{"S":"3"},"g":{"N":"7"}}`),
	}
	if diff := cmp.Diff([]string{"ok", "ValidationException"}, got); diff != "" {
		t.Errorf("a's writes after b added an index on g, a string (-want +got):\n%s", diff)
	}
	if st, n := queryG(b); st != "ok" || n != 2 {
		t.Errorf("b's Query on the new index: %s, %d items, want 2 (the backfilled one and a's)", st, n)
	}
	eventually("a's Query on b's new index", "ok", func() string { st, _ := queryG(a); return st })

	// b deletes the table: a's writes fail at once, its reads soon.
	if _, err := b.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("shared")}); err != nil {
		t.Fatal(err)
	}
	if got := put(a, `{"pk":{"S":"4"}}`); got != "ResourceNotFoundException" {
		t.Errorf("a writes to the table b deleted: %s, want ResourceNotFoundException", got)
	}
	eventually("a describes the table b deleted", "ResourceNotFoundException", func() string {
		_, err := a.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String("shared")})
		return code(err)
	})
}

// While one store adds an index, another keeps writing to the table from
// several goroutines: every item ends up in the index, whichever store's
// metadata each write began with.
func TestIndexAddedUnderConcurrentWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("writes for a while")
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	_, a := openShared(t, path, nil)
	_, b := openShared(t, path, nil)
	ctx := ctxT(t)
	if _, err := a.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("busy"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}}}); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				item := item(t, fmt.Sprintf(`{"pk":{"S":"w%d-%d"},"g":{"S":"G"}}`, w, i))
				if _, err := a.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("busy"), Item: item}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	time.Sleep(100 * time.Millisecond) // some items before the index, some after
	if _, err := b.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("busy"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("byG"), KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}}}}}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("a writer failed: %v", err)
	}
	// total adds up the Count of every page.
	total := func(more func() bool, next func() (int32, error)) int32 {
		var n int32
		for more() {
			c, err := next()
			if err != nil {
				t.Fatal(err)
			}
			n += c
		}
		return n
	}
	scan := dynamodb.NewScanPaginator(a, &dynamodb.ScanInput{TableName: aws.String("busy"), Select: types.SelectCount, ConsistentRead: aws.Bool(true)})
	items := total(scan.HasMorePages, func() (int32, error) {
		out, err := scan.NextPage(ctx)
		if err != nil {
			return 0, err
		}
		return out.Count, nil
	})
	query := dynamodb.NewQueryPaginator(b, &dynamodb.QueryInput{TableName: aws.String("busy"), IndexName: aws.String("byG"),
		KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: item(t, `{":g":{"S":"G"}}`)})
	indexed := total(query.HasMorePages, func() (int32, error) {
		out, err := query.NextPage(ctx)
		if err != nil {
			return 0, err
		}
		return out.Count, nil
	})
	if items == 0 || indexed != items {
		t.Errorf("%d items in the table, %d in the index; want all indexed", items, indexed)
	}
	t.Logf("%d items written, all in the index", items)
}

// SweepExpired sweeps by the current tables when another store has just
// changed them, instead of failing.
func TestSweepAfterAnotherStoreChangedTables(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	sa, a := openShared(t, path, &localdynamo.Options{TTLSweepInterval: -1})
	_, b := openShared(t, path, &localdynamo.Options{TTLSweepInterval: -1})
	ctx := ctxT(t)
	create := func(c *dynamodb.Client, name string) {
		t.Helper()
		if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}}}); err != nil {
			t.Fatal(err)
		}
	}
	create(a, "expiring")
	if _, err := a.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("expiring"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		create(b, "other"+strconv.Itoa(i)) // and a sweeps at once, before its reads would notice
		if err := sa.SweepExpired(ctx); err != nil {
			t.Fatalf("SweepExpired after another store created a table: %v", err)
		}
	}
}
