package localdynamo_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/emulator/localdynamo/localdynamotest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func newClient(t *testing.T, opts *localdynamo.Options) (*localdynamo.Store, *dynamodb.Client) {
	s, cfg := localdynamotest.Open(t, opts)
	return s, dynamodb.NewFromConfig(cfg)
}

// TestNoOversell runs concurrent purchases: each decrements the stock only
// if enough is left and records an order, all or nothing.
func TestNoOversell(t *testing.T) {
	for _, kind := range []string{"memory", "file"} {
		t.Run(kind, func(t *testing.T) {
			path := ":memory:"
			if kind == "file" {
				path = filepath.Join(t.TempDir(), "store.db")
			}
			s, err := localdynamo.Open(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			c := dynamodb.NewFromConfig(localdynamotest.Config(t, s))
			ctx := ctxT(t)
			tbl := newTable(t, c, hashOnly)
			const stock, buyers = 17, 40
			if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"fish"},"stock":{"N":"`+strconv.Itoa(stock)+`"}}`)}); err != nil {
				t.Fatal(err)
			}
			var sold, cancelled atomic.Int32
			var wg sync.WaitGroup
			for i := range buyers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
						{Update: &types.Update{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"fish"}}`),
							UpdateExpression: aws.String("SET stock = stock - :q"), ConditionExpression: aws.String("stock >= :q"),
							ExpressionAttributeValues: item(t, `{":q":{"N":"1"}}`)}},
						{Put: &types.Put{TableName: aws.String(tbl), Item: item(t, fmt.Sprintf(`{"id":{"S":"order-%d"}}`, i)),
							ConditionExpression: aws.String("attribute_not_exists(id)")}},
					}})
					var tce *types.TransactionCanceledException
					switch {
					case err == nil:
						sold.Add(1)
					case errors.As(err, &tce):
						cancelled.Add(1)
					default:
						t.Errorf("TransactWriteItems: %v", err)
					}
				}()
			}
			wg.Wait()
			if sold.Load() != stock || cancelled.Load() != buyers-stock {
				t.Errorf("sold %d, cancelled %d; want %d, %d", sold.Load(), cancelled.Load(), stock, buyers-stock)
			}
			got, _ := getJS(ctx, t, c, tbl, `{"id":{"S":"fish"}}`)
			if want := `{"id":{"S":"fish"},"stock":{"N":"0"}}`; got != want {
				t.Errorf("stock item = %v, want %v", got, want)
			}
			out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), Select: types.SelectCount})
			if err != nil {
				t.Fatal(err)
			}
			if out.Count != stock+1 {
				t.Errorf("items = %d, want %d orders and the stock item", out.Count, stock+1)
			}
		})
	}
}

const childEnv = "LOCALDYNAMO_DURABILITY_CHILD"

// TestDurability kills a writer with SIGKILL and checks that every write
// it acknowledged is in the file.
func TestDurability(t *testing.T) {
	if path := os.Getenv(childEnv); path != "" {
		durabilityChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "durable.db")
	acked := killWriter(t, "^TestDurability$", childEnv, path)
	c := reopen(t, path)
	ctx := ctxT(t)
	for _, id := range acked {
		got, err := getJS(ctx, t, c, "durable", `{"id":{"S":"`+id+`"}}`)
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"id":{"S":"` + id + `"},"v":{"N":"` + strings.TrimPrefix(id, "item-") + `"}}`; got != want {
			t.Errorf("acknowledged item %s = %v, want %v", id, got, want)
		}
	}
	t.Logf("%d acknowledged writes survived SIGKILL", len(acked))
}

const transactChildEnv = "LOCALDYNAMO_TRANSACT_CHILD"

// transactStock is the stock the transactions of TestTransactionsSurviveKill
// sell from.
const transactStock = 1_000_000

// TestTransactionsSurviveKill kills a process whose concurrent writers
// each sell one unit in a TransactWriteItems (the stock decremented and an
// order written), and checks the file: every acknowledged order is there,
// and no transaction is there by half, so the stock sold is the number of
// orders.
func TestTransactionsSurviveKill(t *testing.T) {
	if path := os.Getenv(transactChildEnv); path != "" {
		transactChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "shop.db")
	acked := killWriter(t, "^TestTransactionsSurviveKill$", transactChildEnv, path)
	c := reopen(t, path)
	ctx := ctxT(t)
	orders := map[string]bool{}
	var stock string
	var start map[string]types.AttributeValue
	for {
		out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("shop"), ExclusiveStartKey: start, ConsistentRead: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range out.Items {
			id := it["id"].(*types.AttributeValueMemberS).Value
			if id == "stock" {
				stock = it["n"].(*types.AttributeValueMemberN).Value
			} else {
				orders[id] = true
			}
		}
		if start = out.LastEvaluatedKey; start == nil {
			break
		}
	}
	for _, id := range acked {
		if !orders[id] {
			t.Errorf("acknowledged order %s is missing", id)
		}
	}
	if want := strconv.Itoa(transactStock - len(orders)); stock != want {
		t.Errorf("stock = %s with %d orders written, want %s: a transaction was kept by half", stock, len(orders), want)
	}
	t.Logf("%d acknowledged transactions survived SIGKILL; %d orders, stock %s", len(acked), len(orders), stock)
}

// transactChild serves a store on path and sells from it with 4
// concurrent writers, printing ACK <order id> for each acknowledged
// transaction, until it is killed.
func transactChild(path string) {
	c := childClient(path, "shop")
	ctx := context.Background()
	_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("shop"), Item: map[string]types.AttributeValue{
		"id": &types.AttributeValueMemberS{Value: "stock"},
		"n":  &types.AttributeValueMemberN{Value: strconv.Itoa(transactStock)},
	}})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	var out sync.Mutex
	for w := range 4 {
		go func() {
			for i := 0; ; i++ {
				id := fmt.Sprintf("order-%d-%d", w, i)
				_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
					{Update: &types.Update{TableName: aws.String("shop"), Key: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "stock"}},
						UpdateExpression: aws.String("SET n = n - :one"), ConditionExpression: aws.String("n >= :one"),
						ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}}}},
					{Put: &types.Put{TableName: aws.String("shop"), Item: map[string]types.AttributeValue{
						"id": &types.AttributeValueMemberS{Value: id}, "pad": &types.AttributeValueMemberS{Value: strings.Repeat("x", 2000)}},
						ConditionExpression: aws.String("attribute_not_exists(id)")}},
				}})
				out.Lock()
				if err != nil {
					fmt.Println("ERR", err)
					os.Exit(1)
				}
				fmt.Println("ACK " + id)
				out.Unlock()
			}
		}()
	}
	select {}
}

// killWriter runs the test named by run in a child process, with the
// environment variable env set to path: the child writes to the store
// file at path. It reads the ids of the writes it acknowledges (lines
// "ACK <id>") until it has 200, kills it with SIGKILL in the middle of its
// writing, and returns them.
func killWriter(t *testing.T, run, env, path string) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run="+run, "-test.v")
	cmd.Env = append(os.Environ(), env+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	buf := make([]byte, 0, 4096)
	tmp := make([]byte, 1024)
	deadline := time.Now().Add(30 * time.Second)
	for len(acked) < 200 && time.Now().Before(deadline) {
		n, err := stdout.Read(tmp)
		buf = append(buf, tmp[:n]...)
		for {
			i := strings.IndexByte(string(buf), '\n')
			if i < 0 {
				break
			}
			line := string(buf[:i])
			buf = buf[i+1:]
			if id, ok := strings.CutPrefix(line, "ACK "); ok {
				acked = append(acked, id)
			} else if strings.HasPrefix(line, "ERR ") {
				t.Errorf("child: %s", line)
			}
		}
		if err != nil {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	go io.Copy(io.Discard, stdout)
	cmd.Wait()
	if len(acked) < 200 {
		t.Fatalf("child acknowledged only %d writes", len(acked))
	}
	return acked
}

// reopen opens the store file a killed child wrote, for the rest of the
// test.
func reopen(t *testing.T, path string) *dynamodb.Client {
	t.Helper()
	s, err := localdynamo.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return dynamodb.NewFromConfig(localdynamotest.Config(t, s))
}

// childClient opens a store on path, serves it on a loopback port, creates
// table (hash key id, a string) and returns a client of it: the writer
// side of killWriter.
func childClient(path, table string) *dynamodb.Client {
	s, err := localdynamo.Open(path, nil)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	srv := httptest.NewServer(s.Handler())
	c := dynamodb.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: staticCreds{}})
	_, err = c.CreateTable(context.Background(), &dynamodb.CreateTableInput{TableName: aws.String(table), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}}})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	return c
}

func durabilityChild(path string) {
	c := childClient(path, "durable")
	ctx := context.Background()
	for i := 0; ; i++ {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("durable"), Item: map[string]types.AttributeValue{
			"id": &types.AttributeValueMemberS{Value: "item-" + strconv.Itoa(i)},
			"v":  &types.AttributeValueMemberN{Value: strconv.Itoa(i)},
		}})
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		fmt.Printf("ACK item-%d\n", i)
	}
}

type staticCreds struct{}

func (staticCreds) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "AKIDCHILD", SecretAccessKey: "secret", Source: "test"}, nil
}

// TestAuthorizer checks that every access reaches the hook with its action,
// resource and leading keys, and that a denial reads as AWS's does.
func TestAuthorizer(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	auth := func(ctx context.Context, a *localdynamo.Access) error {
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%s %s %s %v %v", a.Caller, a.Action, a.Resource, a.LeadingKeys, a.Attributes))
		mu.Unlock()
		if len(a.LeadingKeys) > 0 && a.LeadingKeys[0] == "forbidden" {
			return errors.New("no")
		}
		return nil
	}
	_, c := newClient(t, &localdynamo.Options{Authorizer: auth, AccountID: "123456789012"})
	ctx := ctxT(t)
	tbl := newTable(t, c, tableSpec{key: "id:S", gsis: []indexSpec{{name: "byCat", key: "cat:S"}}})
	mu.Lock()
	seen = nil
	mu.Unlock()
	arn := "arn:aws:dynamodb:us-east-1:123456789012:table/" + tbl
	c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"},"cat":{"S":"x"}}`)})
	c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`), ProjectionExpression: aws.String("cat")})
	c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byCat"), KeyConditionExpression: aws.String("cat = :c"), ExpressionAttributeValues: item(t, `{":c":{"S":"x"}}`)})
	c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"a"}}`), ConditionExpression: aws.String("attribute_exists(id)")}},
		{Delete: &types.Delete{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"b"}}`)}},
	}})
	_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item(t, `{"id":{"S":"forbidden"}}`)})
	want := []string{
		"AKIDLOCALDYNAMO dynamodb:PutItem " + arn + " [a] [cat id]",
		"AKIDLOCALDYNAMO dynamodb:GetItem " + arn + " [a] [cat]",
		"AKIDLOCALDYNAMO dynamodb:Query " + arn + "/index/byCat [x] []",
		"AKIDLOCALDYNAMO dynamodb:ConditionCheckItem " + arn + " [a] [id]",
		"AKIDLOCALDYNAMO dynamodb:DeleteItem " + arn + " [b] []",
		"AKIDLOCALDYNAMO dynamodb:GetItem " + arn + " [forbidden] []",
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("accesses (-want +got):\n%s", diff)
	}
	wantErr := "AccessDeniedException: User: arn:aws:iam::123456789012:user/AKIDLOCALDYNAMO is not authorized to perform: dynamodb:GetItem on resource: " + arn + " because no identity-based policy allows the dynamodb:GetItem action"
	if got := apiErr(err); got != wantErr {
		t.Errorf("denied GetItem error = %q, want %q", got, wantErr)
	}
}

// TestAccessConditionKeys checks the condition keys each access carries,
// as the DynamoDB developer guide has IAM see them ("Using IAM policy
// conditions for fine-grained access control", "Using IAM with DynamoDB
// transactions"): Select and ReturnValues always have a value for the
// operations that take them, Attributes hold what a request evaluates in
// conditions and filters as well as what it reads and writes, and the
// members of a transaction name it in EnclosingOperation.
func TestAccessConditionKeys(t *testing.T) {
	var mu sync.Mutex
	var seen []localdynamo.Access
	auth := func(ctx context.Context, a *localdynamo.Access) error {
		mu.Lock()
		seen = append(seen, *a)
		mu.Unlock()
		return nil
	}
	_, c := newClient(t, &localdynamo.Options{Authorizer: auth, AccountID: "123456789012"})
	ctx := ctxT(t)
	tbl := newTable(t, c, tableSpec{key: "user:S game:S", gsis: []indexSpec{{name: "byWins", key: "game:S wins:N"}}})
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl),
		Item: item(t, `{"user":{"S":"u1"},"game":{"S":"chess"},"wins":{"N":"3"},"secret":{"S":"s"}}`)}); err != nil {
		t.Fatal(err)
	}
	const missing = "no-such-table"
	key := func(user string) map[string]types.AttributeValue {
		return item(t, `{"user":{"S":"`+user+`"},"game":{"S":"chess"}}`)
	}
	secret := map[string]string{"#s": "secret"}
	tests := []struct {
		name string
		call func() error
		want []localdynamo.Access
	}{
		{
			name: "GetItem/Select ALL_ATTRIBUTES without projection",
			call: func() error {
				_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: key("u1")})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:GetItem", Table: tbl, LeadingKeys: []string{"u1"},
				Select: "ALL_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "GetItem/Select SPECIFIC_ATTRIBUTES with ProjectionExpression",
			call: func() error {
				_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: key("u1"),
					ProjectionExpression: aws.String("wins"), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:GetItem", Table: tbl, LeadingKeys: []string{"u1"}, Attributes: []string{"wins"},
				Select: "SPECIFIC_ATTRIBUTES", ReturnConsumedCapacity: "TOTAL"}},
		},
		{
			name: "GetItem/Select SPECIFIC_ATTRIBUTES with AttributesToGet",
			call: func() error {
				_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: key("u1"), AttributesToGet: []string{"wins"}})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:GetItem", Table: tbl, LeadingKeys: []string{"u1"}, Attributes: []string{"wins"},
				Select: "SPECIFIC_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "BatchGetItem/Select ALL_ATTRIBUTES without projection",
			call: func() error {
				_, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
					tbl: {Keys: []map[string]types.AttributeValue{key("u1"), key("u2")}}}, ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
				return err
			},
			want: []localdynamo.Access{
				{Action: "dynamodb:BatchGetItem", Table: tbl, LeadingKeys: []string{"u1"}, Select: "ALL_ATTRIBUTES", ReturnConsumedCapacity: "INDEXES"},
				{Action: "dynamodb:BatchGetItem", Table: tbl, LeadingKeys: []string{"u2"}, Select: "ALL_ATTRIBUTES", ReturnConsumedCapacity: "INDEXES"},
			},
		},
		{
			name: "BatchGetItem/Select SPECIFIC_ATTRIBUTES with projection",
			call: func() error {
				_, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
					tbl: {Keys: []map[string]types.AttributeValue{key("u1")}, ProjectionExpression: aws.String("#s"), ExpressionAttributeNames: secret}}})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:BatchGetItem", Table: tbl, LeadingKeys: []string{"u1"}, Attributes: []string{"secret"},
				Select: "SPECIFIC_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "Query/Select ALL_ATTRIBUTES of a table",
			call: func() error {
				_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("#u = :u"),
					ExpressionAttributeNames: map[string]string{"#u": "user"}, ExpressionAttributeValues: item(t, `{":u":{"S":"u1"}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:Query", Table: tbl, LeadingKeys: []string{"u1"},
				Select: "ALL_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "Query/Select ALL_PROJECTED_ATTRIBUTES of an index",
			call: func() error {
				_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byWins"),
					KeyConditionExpression: aws.String("game = :g"), ExpressionAttributeValues: item(t, `{":g":{"S":"chess"}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:Query", Table: tbl, Index: "byWins", LeadingKeys: []string{"chess"},
				Select: "ALL_PROJECTED_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "Query/Select and ReturnConsumedCapacity as requested",
			call: func() error {
				_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("#u = :u"),
					ExpressionAttributeNames: map[string]string{"#u": "user"}, ExpressionAttributeValues: item(t, `{":u":{"S":"u1"}}`),
					Select: types.SelectCount, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:Query", Table: tbl, LeadingKeys: []string{"u1"},
				Select: "COUNT", ReturnConsumedCapacity: "TOTAL"}},
		},
		{
			name: "Query/Attributes include the key condition and the filter",
			call: func() error {
				_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("#u = :u AND game > :g"),
					FilterExpression: aws.String("#s = :s"), ProjectionExpression: aws.String("wins"),
					ExpressionAttributeNames: map[string]string{"#u": "user", "#s": "secret"}, ExpressionAttributeValues: item(t, `{":u":{"S":"u1"},":g":{"S":"a"},":s":{"S":"guess"}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:Query", Table: tbl, LeadingKeys: []string{"u1"}, Attributes: []string{"game", "secret", "user", "wins"},
				Select: "SPECIFIC_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "Query/Attributes stay all with a filter and no projection",
			call: func() error {
				_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("#u = :u"),
					FilterExpression:         aws.String("#s = :s"),
					ExpressionAttributeNames: map[string]string{"#u": "user", "#s": "secret"}, ExpressionAttributeValues: item(t, `{":u":{"S":"u1"},":s":{"S":"guess"}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:Query", Table: tbl, LeadingKeys: []string{"u1"},
				Select: "ALL_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "Scan/Select ALL_ATTRIBUTES of a table",
			call: func() error {
				_, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:Scan", Table: tbl, Select: "ALL_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "Scan/Select ALL_PROJECTED_ATTRIBUTES of an index",
			call: func() error {
				_, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), IndexName: aws.String("byWins"), ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:Scan", Table: tbl, Index: "byWins", Select: "ALL_PROJECTED_ATTRIBUTES", ReturnConsumedCapacity: "INDEXES"}},
		},
		{
			name: "Scan/Attributes include the filter",
			call: func() error {
				_, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), ProjectionExpression: aws.String("wins"),
					FilterExpression: aws.String("begins_with(#s, :s)"), ExpressionAttributeNames: secret, ExpressionAttributeValues: item(t, `{":s":{"S":"g"}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:Scan", Table: tbl, Attributes: []string{"secret", "wins"},
				Select: "SPECIFIC_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "PutItem/ReturnValues NONE and Attributes include the condition",
			call: func() error {
				_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"user":{"S":"u1"},"game":{"S":"chess"},"wins":{"N":"4"}}`),
					ConditionExpression: aws.String("#s = :s"), ExpressionAttributeNames: secret, ExpressionAttributeValues: item(t, `{":s":{"S":"guess"}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:PutItem", Table: tbl, LeadingKeys: []string{"u1"}, Attributes: []string{"game", "secret", "user", "wins"},
				ReturnValues: "NONE", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "PutItem/ReturnValues and ReturnConsumedCapacity as requested",
			call: func() error {
				_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"user":{"S":"u5"},"game":{"S":"chess"}}`),
					ReturnValues: types.ReturnValueAllOld, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:PutItem", Table: tbl, LeadingKeys: []string{"u5"}, Attributes: []string{"game", "user"},
				ReturnValues: "ALL_OLD", ReturnConsumedCapacity: "TOTAL"}},
		},
		{
			name: "UpdateItem/ReturnValues NONE",
			call: func() error {
				_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: key("u1"),
					UpdateExpression: aws.String("SET wins = :w"), ExpressionAttributeValues: item(t, `{":w":{"N":"5"}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:UpdateItem", Table: tbl, LeadingKeys: []string{"u1"}, Attributes: []string{"game", "user", "wins"},
				ReturnValues: "NONE", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "UpdateItem/Attributes include the condition",
			call: func() error {
				_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: key("u1"),
					UpdateExpression: aws.String("SET wins = :w"), ConditionExpression: aws.String("#s = :s"), ReturnValues: types.ReturnValueUpdatedNew,
					ExpressionAttributeNames: secret, ExpressionAttributeValues: item(t, `{":w":{"N":"5"},":s":{"S":"guess"}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:UpdateItem", Table: tbl, LeadingKeys: []string{"u1"}, Attributes: []string{"game", "secret", "user", "wins"},
				ReturnValues: "UPDATED_NEW", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "UpdateItem/Attributes include what SET reads",
			call: func() error {
				_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: key("u1"),
					UpdateExpression: aws.String("SET best = if_not_exists(#s, :z)"), ExpressionAttributeNames: secret, ExpressionAttributeValues: item(t, `{":z":{"S":""}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:UpdateItem", Table: tbl, LeadingKeys: []string{"u1"}, Attributes: []string{"best", "game", "secret", "user"},
				ReturnValues: "NONE", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "DeleteItem/ReturnValues NONE and Attributes stay all with a condition",
			call: func() error {
				_, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: key("u9"),
					ConditionExpression: aws.String("#s = :s"), ExpressionAttributeNames: secret, ExpressionAttributeValues: item(t, `{":s":{"S":"guess"}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:DeleteItem", Table: tbl, LeadingKeys: []string{"u9"},
				ReturnValues: "NONE", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "BatchWriteItem/ReturnConsumedCapacity NONE",
			call: func() error {
				_, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{tbl: {
					{PutRequest: &types.PutRequest{Item: item(t, `{"user":{"S":"u6"},"game":{"S":"chess"},"wins":{"N":"1"}}`)}},
					{DeleteRequest: &types.DeleteRequest{Key: key("u7")}},
				}}})
				return err
			},
			want: []localdynamo.Access{
				{Action: "dynamodb:BatchWriteItem", Table: tbl, LeadingKeys: []string{"u6"}, Attributes: []string{"game", "user", "wins"}, ReturnConsumedCapacity: "NONE"},
				{Action: "dynamodb:BatchWriteItem", Table: tbl, LeadingKeys: []string{"u7"}, ReturnConsumedCapacity: "NONE"},
			},
		},
		{
			name: "TransactWriteItems/EnclosingOperation and ReturnValuesOnConditionCheckFailure",
			call: func() error {
				_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal, TransactItems: []types.TransactWriteItem{
					{ConditionCheck: &types.ConditionCheck{TableName: aws.String(tbl), Key: key("u1"), ConditionExpression: aws.String("#s = :s"),
						ExpressionAttributeNames: secret, ExpressionAttributeValues: item(t, `{":s":{"S":"guess"}}`),
						ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
					{Put: &types.Put{TableName: aws.String(tbl), Item: item(t, `{"user":{"S":"u2"},"game":{"S":"chess"},"wins":{"N":"1"}}`),
						ConditionExpression: aws.String("attribute_not_exists(#s)"), ExpressionAttributeNames: secret}},
					{Update: &types.Update{TableName: aws.String(tbl), Key: key("u3"), UpdateExpression: aws.String("SET wins = :w"),
						ExpressionAttributeValues: item(t, `{":w":{"N":"2"}}`)}},
					{Delete: &types.Delete{TableName: aws.String(tbl), Key: key("u4")}},
				}})
				return err
			},
			want: []localdynamo.Access{
				{Action: "dynamodb:ConditionCheckItem", Table: tbl, LeadingKeys: []string{"u1"}, Attributes: []string{"secret"},
					ReturnValues: "ALL_OLD", ReturnConsumedCapacity: "TOTAL", EnclosingOperation: "TransactWriteItems"},
				{Action: "dynamodb:PutItem", Table: tbl, LeadingKeys: []string{"u2"}, Attributes: []string{"game", "secret", "user", "wins"},
					ReturnValues: "NONE", ReturnConsumedCapacity: "TOTAL", EnclosingOperation: "TransactWriteItems"},
				{Action: "dynamodb:UpdateItem", Table: tbl, LeadingKeys: []string{"u3"}, Attributes: []string{"game", "user", "wins"},
					ReturnValues: "NONE", ReturnConsumedCapacity: "TOTAL", EnclosingOperation: "TransactWriteItems"},
				{Action: "dynamodb:DeleteItem", Table: tbl, LeadingKeys: []string{"u4"},
					ReturnValues: "NONE", ReturnConsumedCapacity: "TOTAL", EnclosingOperation: "TransactWriteItems"},
			},
		},
		{
			name: "TransactGetItems/EnclosingOperation and Select",
			call: func() error {
				_, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
					{Get: &types.Get{TableName: aws.String(tbl), Key: key("u1")}},
					{Get: &types.Get{TableName: aws.String(tbl), Key: key("u2"), ProjectionExpression: aws.String("wins")}},
				}})
				return err
			},
			want: []localdynamo.Access{
				{Action: "dynamodb:GetItem", Table: tbl, LeadingKeys: []string{"u1"},
					Select: "ALL_ATTRIBUTES", ReturnConsumedCapacity: "NONE", EnclosingOperation: "TransactGetItems"},
				{Action: "dynamodb:GetItem", Table: tbl, LeadingKeys: []string{"u2"}, Attributes: []string{"wins"},
					Select: "SPECIFIC_ATTRIBUTES", ReturnConsumedCapacity: "NONE", EnclosingOperation: "TransactGetItems"},
			},
		},
		// A missing table is decided on its name alone, with the keys
		// that do not depend on the table.
		{
			name: "GetItem/missing table",
			call: func() error {
				_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(missing), Key: key("u1")})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:GetItem", Table: missing, Select: "ALL_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "Query/missing table's index",
			call: func() error {
				_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(missing), IndexName: aws.String("byWins"),
					KeyConditionExpression: aws.String("game = :g"), ExpressionAttributeValues: item(t, `{":g":{"S":"chess"}}`)})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:Query", Table: missing, Index: "byWins", Select: "ALL_PROJECTED_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "PutItem/missing table",
			call: func() error {
				_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(missing), Item: key("u1"), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:PutItem", Table: missing, ReturnValues: "NONE", ReturnConsumedCapacity: "TOTAL"}},
		},
		{
			name: "BatchGetItem/missing table",
			call: func() error {
				_, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
					missing: {Keys: []map[string]types.AttributeValue{key("u1")}, ProjectionExpression: aws.String("wins")}}})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:BatchGetItem", Table: missing, Select: "SPECIFIC_ATTRIBUTES", ReturnConsumedCapacity: "NONE"}},
		},
		{
			name: "TransactWriteItems/missing table",
			call: func() error {
				_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
					{Put: &types.Put{TableName: aws.String(missing), Item: key("u1"), ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
				}})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:PutItem", Table: missing,
				ReturnValues: "ALL_OLD", ReturnConsumedCapacity: "NONE", EnclosingOperation: "TransactWriteItems"}},
		},
		{
			name: "TransactGetItems/missing table",
			call: func() error {
				_, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
					{Get: &types.Get{TableName: aws.String(missing), Key: key("u1")}},
				}})
				return err
			},
			want: []localdynamo.Access{{Action: "dynamodb:GetItem", Table: missing,
				Select: "ALL_ATTRIBUTES", ReturnConsumedCapacity: "NONE", EnclosingOperation: "TransactGetItems"}},
		},
	}
	// Caller, Resource and Request are TestAuthorizer's concern.
	ignore := cmpopts.IgnoreFields(localdynamo.Access{}, "Caller", "Resource", "Request")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			err := tc.call()
			mu.Lock()
			got := seen
			mu.Unlock()
			if diff := cmp.Diff(tc.want, got, ignore); diff != "" {
				t.Errorf("accesses (-want +got), request error %v:\n%s", err, diff)
			}
		})
	}
}

func TestCORSPreflight(t *testing.T) {
	s, err := localdynamo.Open(":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	req := httptest.NewRequest(http.MethodOptions, "/", nil)
	req.Header.Set("Origin", "http://localhost:3000")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,x-amz-date,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	got := map[string]string{
		"status":  strconv.Itoa(rec.Code),
		"origin":  rec.Header().Get("Access-Control-Allow-Origin"),
		"methods": rec.Header().Get("Access-Control-Allow-Methods"),
		"headers": rec.Header().Get("Access-Control-Allow-Headers"),
	}
	want := map[string]string{
		"status":  "200",
		"origin":  "http://localhost:3000",
		"methods": "POST, GET, OPTIONS",
		"headers": "authorization,content-type,x-amz-date,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("preflight (-want +got):\n%s", diff)
	}
}

func TestWireErrors(t *testing.T) {
	s, err := localdynamo.Open(":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name, target, body string
		wantStatus         int
		wantBody           string
	}{
		{"unknown operation", "DynamoDB_20120810.Frobnicate", `{}`, 400, `{"__type":"com.amazon.coral.service#UnknownOperationException"}`},
		{"malformed JSON", "DynamoDB_20120810.GetItem", `{"TableName":`, 400, `{"Message":"Start of structure or map found where not expected","__type":"com.amazon.coral.service#SerializationException"}`},
		// DynamoDB's serialization errors carry "Message" (rusoto/rusoto#658,
		// scylladb/scylladb#6487, boto/boto#744 quote its answers).
		{"wrong type", "DynamoDB_20120810.GetItem", `{"TableName":5}`, 400, `{"Message":"NUMBER_VALUE cannot be converted to String","__type":"com.amazon.coral.service#SerializationException"}`},
		{"empty attribute value", "DynamoDB_20120810.PutItem", `{"TableName":"tbl","Item":{"id":{}}}`, 400, `{"__type":"com.amazon.coral.validate#ValidationException","message":"Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"}`},
		{"two types", "DynamoDB_20120810.PutItem", `{"TableName":"tbl","Item":{"id":{"S":"a","N":"1"}}}`, 400, `{"__type":"com.amazon.coral.validate#ValidationException","message":"Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"}`},
		{"missing table", "DynamoDB_20120810.GetItem", `{"TableName":"nope","Key":{"id":{"S":"a"}}}`, 400, `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}`},
		{"list tables", "DynamoDB_20120810.ListTables", `{}`, 200, `{"TableNames":[]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
			req.Header.Set("X-Amz-Target", tc.target)
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus || rec.Body.String() != tc.wantBody {
				t.Errorf("%s = %d %s, want %d %s", tc.target, rec.Code, rec.Body, tc.wantStatus, tc.wantBody)
			}
			if rec.Header().Get("x-amzn-RequestId") == "" || rec.Header().Get("x-amz-crc32") == "" {
				t.Errorf("missing x-amzn-RequestId or x-amz-crc32: %v", rec.Header())
			}
		})
	}
}

// TestThroughputDecreaseLimit checks DynamoDB's limit on lowering a
// table's provisioned throughput: four decreases a UTC day, then one an
// hour, refused with the LimitExceededException recorded in
// ansible-collections/community.aws#1558; and that DescribeTable counts
// them.
func TestThroughputDecreaseLimit(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	_, c := newClient(t, &localdynamo.Options{Clock: fake})
	ctx := ctxT(t)
	name := "decreases"
	if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(name),
		AttributeDefinitions:  []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:             []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(100), WriteCapacityUnits: aws.Int64(100)}}); err != nil {
		t.Fatal(err)
	}
	lower := func(units int64) error {
		_, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(name),
			ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(units), WriteCapacityUnits: aws.Int64(units)}})
		return err
	}
	for i, units := range []int64{90, 80, 70, 60} {
		fake.Advance(time.Minute)
		if err := lower(units); err != nil {
			t.Fatalf("decrease %d: %v", i+1, err)
		}
	}
	fake.Advance(time.Minute) // 09:05, the last decrease at 09:04
	err := lower(50)
	var le *types.LimitExceededException
	want := "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. " +
		"After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. " +
		"Number of decreases today: 4. Last decrease at Thursday, November 26, 2026 at 9:04:00 AM Coordinated Universal Time. " +
		"Next decrease can be made at Thursday, November 26, 2026 at 10:04:00 AM Coordinated Universal Time"
	if !errors.As(err, &le) || aws.ToString(le.Message) != want {
		t.Fatalf("fifth decrease within the hour: %v, want LimitExceededException %q", err, want)
	}
	fake.Advance(time.Hour)
	if err := lower(50); err != nil {
		t.Fatalf("a decrease an hour later: %v", err)
	}
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if n := aws.ToInt64(d.Table.ProvisionedThroughput.NumberOfDecreasesToday); n != 5 {
		t.Errorf("NumberOfDecreasesToday = %d, want 5", n)
	}
	// A new UTC day starts the count again.
	fake.Advance(24 * time.Hour)
	for i := range 4 {
		if err := lower(int64(40 - i)); err != nil {
			t.Fatalf("next day, decrease %d: %v", i+1, err)
		}
	}

	// A global index's throughput has the same limit, and its own count.
	if _, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("byG"), KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection:            &types.Projection{ProjectionType: types.ProjectionTypeAll},
			ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(100), WriteCapacityUnits: aws.Int64(100)}}}}}); err != nil {
		t.Fatal(err)
	}
	lowerIndex := func(units int64) error {
		_, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(name),
			GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Update: &types.UpdateGlobalSecondaryIndexAction{IndexName: aws.String("byG"),
				ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(units), WriteCapacityUnits: aws.Int64(units)}}}}})
		return err
	}
	for i, units := range []int64{90, 80, 70, 60} {
		if err := lowerIndex(units); err != nil {
			t.Fatalf("index decrease %d: %v", i+1, err)
		}
	}
	if err := lowerIndex(50); !errors.As(err, &le) {
		t.Errorf("fifth index decrease within the hour: %v, want LimitExceededException", err)
	}
	d, err = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	gp := d.Table.GlobalSecondaryIndexes[0].ProvisionedThroughput
	if aws.ToInt64(gp.NumberOfDecreasesToday) != 4 || gp.LastDecreaseDateTime == nil {
		t.Errorf("index throughput %+v, want 4 decreases today and a last decrease", gp)
	}
}

// TestTTL checks that expired items vanish from reads at once and from the
// table at the sweep.
func TestTTL(t *testing.T) {
	fake := clock.NewFake(time.Unix(1_700_000_000, 0))
	s, c := newClient(t, &localdynamo.Options{Clock: fake, TTLSweepInterval: -1})
	ctx := ctxT(t)
	tbl := newTable(t, c, tableSpec{key: "id:S", gsis: []indexSpec{{name: "byCat", key: "cat:S"}}})
	if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String(tbl),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("expires")}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(tbl)})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.TimeToLiveDescription.TimeToLiveStatus; got != types.TimeToLiveStatusEnabled {
		t.Errorf("TimeToLiveStatus = %v, want ENABLED", got)
	}
	for _, it := range []string{
		`{"id":{"S":"soon"},"cat":{"S":"c"},"expires":{"N":"1700000100"}}`,
		`{"id":{"S":"later"},"cat":{"S":"c"},"expires":{"N":"1700009999"}}`,
		`{"id":{"S":"never"},"cat":{"S":"c"}}`,
	} {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, it)}); err != nil {
			t.Fatal(err)
		}
	}
	visible := func() []string {
		out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byCat"), KeyConditionExpression: aws.String("cat = :c"),
			ExpressionAttributeValues: item(t, `{":c":{"S":"c"}}`), ProjectionExpression: aws.String("id")})
		if err != nil {
			t.Fatal(err)
		}
		got := jsItems(out.Items)
		sortStrings(got)
		return got
	}
	if diff := cmp.Diff([]string{`{"id":{"S":"later"}}`, `{"id":{"S":"never"}}`, `{"id":{"S":"soon"}}`}, visible()); diff != "" {
		t.Errorf("before expiry (-want +got):\n%s", diff)
	}
	fake.Advance(200 * time.Second)
	if diff := cmp.Diff([]string{`{"id":{"S":"later"}}`, `{"id":{"S":"never"}}`}, visible()); diff != "" {
		t.Errorf("after expiry (-want +got):\n%s", diff)
	}
	if got, _ := getJS(ctx, t, c, tbl, `{"id":{"S":"soon"}}`); got != "<nil>" {
		t.Errorf("GetItem of an expired item = %v, want none", got)
	}
	if err := s.SweepExpired(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(tbl)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToInt64(d.Table.ItemCount); got != 2 {
		t.Errorf("ItemCount after sweep = %d, want 2", got)
	}
}

func TestUpdateTableBackfillsIndex(t *testing.T) {
	_, c := newClient(t, nil)
	ctx := ctxT(t)
	tbl := newTable(t, c, hashOnly)
	for i := range 5 {
		c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, fmt.Sprintf(`{"id":{"S":"%d"},"color":{"S":"%s"}}`, i, []string{"red", "blue"}[i%2]))})
	}
	_, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(tbl),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("color"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("byColor"), KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("color"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}}}}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byColor"),
		KeyConditionExpression: aws.String("color = :c"), ExpressionAttributeValues: item(t, `{":c":{"S":"red"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Count != 3 {
		t.Errorf("red items in new index = %d, want 3", out.Count)
	}
	if _, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(tbl), GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{
		{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("byColor")}}}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byColor"),
		KeyConditionExpression: aws.String("color = :c"), ExpressionAttributeValues: item(t, `{":c":{"S":"red"}}`)})
	if got, want := apiErr(err), "ValidationException: The table does not have the specified index: byColor"; got != want {
		t.Errorf("Query of a deleted index: %q, want %q", got, want)
	}
}

func TestPagination(t *testing.T) {
	_, c := newClient(t, nil)
	ctx := ctxT(t)
	tbl := newTable(t, c, hashRange)
	// 30 items of ~100 KB: a Query page stops at 1 MB.
	pad := strings.Repeat("x", 100*1024)
	for i := range 30 {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "p"}, "sk": &types.AttributeValueMemberN{Value: strconv.Itoa(i)},
			"pad": &types.AttributeValueMemberS{Value: pad}}}); err != nil {
			t.Fatal(err)
		}
	}
	var pages []int
	total := 0
	p := dynamodb.NewQueryPaginator(c, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :p"),
		ExpressionAttributeValues: item(t, `{":p":{"S":"p"}}`), ProjectionExpression: aws.String("sk")})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, len(out.Items))
		for _, it := range out.Items {
			if got := it["sk"].(*types.AttributeValueMemberN).Value; got != strconv.Itoa(total) {
				t.Fatalf("item %d has sk %s", total, got)
			}
			total++
		}
	}
	if total != 30 || len(pages) < 3 {
		t.Errorf("pages %v (total %d), want 30 items over at least 3 pages of at most 1 MB", pages, total)
	}
	// ListTables pagination.
	for i := range 3 {
		newTable(t, c, hashOnly)
		_ = i
	}
	var names []string
	lp := dynamodb.NewListTablesPaginator(c, &dynamodb.ListTablesInput{Limit: aws.Int32(2)})
	for lp.HasMorePages() {
		out, err := lp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, out.TableNames...)
	}
	if len(names) != 4 {
		t.Errorf("ListTables = %v, want 4 tables", names)
	}
}

// TestBusyIsTransactionConflict holds the file's write lock from another
// connection: a write that cannot get it in time is a
// TransactionConflictException.
func TestBusyIsTransactionConflict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	s, err := localdynamo.Open(path, &localdynamo.Options{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := dynamodb.NewFromConfig(localdynamotest.Config(t, s))
	ctx := ctxT(t)
	tbl := newTable(t, c, hashOnly)

	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=50")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"}}`)})
	if got, want := apiErr(err), "TransactionConflictException: Transaction is ongoing for the item"; got != want {
		t.Errorf("PutItem while the file is locked: %q, want %q", got, want)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"}}`)}); err != nil {
		t.Errorf("PutItem after the lock is released: %v", err)
	}
}

// TestTTLRewriteExpired overwrites an expired, unswept item whose index
// key changes: the old index entry must not come back.
func TestTTLRewriteExpired(t *testing.T) {
	fake := clock.NewFake(time.Unix(1_700_000_000, 0))
	_, c := newClient(t, &localdynamo.Options{Clock: fake, TTLSweepInterval: -1})
	ctx := ctxT(t)
	tbl := newTable(t, c, tableSpec{key: "id:S", gsis: []indexSpec{{name: "byCat", key: "cat:S"}}})
	c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String(tbl),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("exp")}})
	c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"},"cat":{"S":"old"},"exp":{"N":"1700000001"}}`)})
	fake.Advance(time.Hour)
	c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item(t, `{"id":{"S":"a"},"cat":{"S":"new"}}`)})
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(tbl)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToInt64(d.Table.GlobalSecondaryIndexes[0].ItemCount); got != 1 {
		t.Errorf("index ItemCount = %d, want 1 (a stale entry was left behind)", got)
	}
	for cat, want := range map[string]int32{"old": 0, "new": 1} {
		out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byCat"),
			KeyConditionExpression: aws.String("cat = :c"), ExpressionAttributeValues: item(t, `{":c":{"S":"`+cat+`"}}`)})
		if err != nil {
			t.Fatal(err)
		}
		if out.Count != want {
			t.Errorf("items under %q = %d, want %d", cat, out.Count, want)
		}
	}
}

// TestMissingTableAccess checks that a caller learns a table is missing
// only when it may use that table name: others are denied, as DynamoDB
// decides access before it looks the table up.
func TestMissingTableAccess(t *testing.T) {
	auth := func(ctx context.Context, a *localdynamo.Access) error {
		if strings.HasPrefix(a.Table, "mine") {
			return nil
		}
		return errors.New("no")
	}
	_, c := newClient(t, &localdynamo.Options{Authorizer: auth, AccountID: "123456789012"})
	ctx := ctxT(t)
	const denied = "AccessDeniedException: User: arn:aws:iam::123456789012:user/AKIDLOCALDYNAMO is not authorized to perform: dynamodb:%s on resource: arn:aws:dynamodb:us-east-1:123456789012:table/%s because no identity-based policy allows the dynamodb:%s action"
	key := item(t, `{"id":{"S":"a"}}`)
	tests := []struct {
		name string
		call func(table string) error
		op   string
	}{
		{"DescribeTable", func(tbl string) error {
			_, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(tbl)})
			return err
		}, "DescribeTable"},
		{"GetItem", func(tbl string) error {
			_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: key})
			return err
		}, "GetItem"},
		{"PutItem", func(tbl string) error {
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: key})
			return err
		}, "PutItem"},
		{"Query", func(tbl string) error {
			_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("id = :i"),
				ExpressionAttributeValues: item(t, `{":i":{"S":"a"}}`)})
			return err
		}, "Query"},
		{"DeleteTable", func(tbl string) error {
			_, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(tbl)})
			return err
		}, "DeleteTable"},
		{"BatchGetItem", func(tbl string) error {
			_, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{tbl: {Keys: []map[string]types.AttributeValue{key}}}})
			return err
		}, "BatchGetItem"},
		{"BatchWriteItem", func(tbl string) error {
			_, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{tbl: {{PutRequest: &types.PutRequest{Item: key}}}}})
			return err
		}, "BatchWriteItem"},
		{"TransactGetItems", func(tbl string) error {
			_, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{{Get: &types.Get{TableName: aws.String(tbl), Key: key}}}})
			return err
		}, "GetItem"},
		{"TransactWriteItems/Put", func(tbl string) error {
			_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{{Put: &types.Put{TableName: aws.String(tbl), Item: key}}}})
			return err
		}, "PutItem"},
		{"TransactWriteItems/ConditionCheck", func(tbl string) error {
			_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{{ConditionCheck: &types.ConditionCheck{
				TableName: aws.String(tbl), Key: key, ConditionExpression: aws.String("attribute_exists(id)")}}}})
			return err
		}, "ConditionCheckItem"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]string{"theirs": apiErr(tc.call("theirs")), "mine": strings.SplitN(apiErr(tc.call("mine-missing")), ":", 2)[0]}
			want := map[string]string{"theirs": fmt.Sprintf(denied, tc.op, "theirs", tc.op), "mine": "ResourceNotFoundException"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("errors for missing tables (-want +got):\n%s", diff)
			}
		})
	}
}
