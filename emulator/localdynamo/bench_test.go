package localdynamo_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/emulator/localdynamo/localdynamotest"
)

// benchClient opens an in-memory store with a table "bench" (pk S, sk N)
// and an SDK client reaching it in process.
func benchClient(b *testing.B) *dynamodb.Client {
	b.Helper()
	s, err := localdynamo.Open(":memory:", &localdynamo.Options{TTLSweepInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	c := dynamodb.NewFromConfig(localdynamotest.Config(b, s))
	_, err = c.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:   aws.String("bench"),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func benchItem(pk string, sk int) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk":    &types.AttributeValueMemberS{Value: pk},
		"sk":    &types.AttributeValueMemberN{Value: strconv.Itoa(sk)},
		"name":  &types.AttributeValueMemberS{Value: "Goldfish " + strconv.Itoa(sk)},
		"price": &types.AttributeValueMemberN{Value: strconv.Itoa(sk%100) + ".99"},
		"tags":  &types.AttributeValueMemberSS{Value: []string{"fish", "water"}},
	}
}

func seedBench(b *testing.B, c *dynamodb.Client, pk string, n int) {
	b.Helper()
	ctx := context.Background()
	for i := 0; i < n; i += 25 {
		var reqs []types.WriteRequest
		for j := i; j < i+25 && j < n; j++ {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: benchItem(pk, j)}})
		}
		if _, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"bench": reqs}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetItem(b *testing.B) {
	c := benchClient(b)
	seedBench(b, c, "p", 100)
	ctx := context.Background()
	key := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "p"}, "sk": &types.AttributeValueMemberN{Value: "42"}}
	b.ResetTimer()
	for b.Loop() {
		out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("bench"), Key: key})
		if err != nil || out.Item == nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPutItem(b *testing.B) {
	c := benchClient(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("bench"), Item: benchItem("p", i)}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkQuery20(b *testing.B) {
	c := benchClient(b)
	seedBench(b, c, "p", 200)
	ctx := context.Background()
	in := &dynamodb.QueryInput{TableName: aws.String("bench"),
		KeyConditionExpression:    aws.String("pk = :p AND sk BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "p"}, ":lo": &types.AttributeValueMemberN{Value: "100"}, ":hi": &types.AttributeValueMemberN{Value: "119"}}}
	b.ResetTimer()
	for b.Loop() {
		out, err := c.Query(ctx, in)
		if err != nil || out.Count != 20 {
			b.Fatal(err, out.Count)
		}
	}
}

func BenchmarkTransactWriteItems2(b *testing.B) {
	c := benchClient(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: aws.String("bench"), Item: benchItem("order", i), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
			{Update: &types.Update{TableName: aws.String("bench"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "stock"}, "sk": &types.AttributeValueMemberN{Value: "0"}},
				UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}}}},
		}})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkScanFilter10k(b *testing.B) {
	c := benchClient(b)
	for p := range 100 {
		seedBench(b, c, fmt.Sprintf("p%d", p), 100)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String("bench"),
			FilterExpression:          aws.String("price < :p AND contains(tags, :t)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberN{Value: "10"}, ":t": &types.AttributeValueMemberS{Value: "fish"}}})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n += int(out.Count)
		}
		if n != 1000 {
			b.Fatalf("matched %d, want 1000", n)
		}
	}
}

// handlerBench is a store on a file, as the emulator serves it, with a
// products table (id S) of 1,000 items and an orders table (customer S,
// seq N) of 50 customers with 20 orders each, reached by calling its
// handler directly with DynamoDB JSON: the cost of the store alone, without
// an SDK client or a network.
type handlerBench struct {
	h http.Handler
}

func newHandlerBench(b *testing.B) *handlerBench {
	b.Helper()
	s, err := localdynamo.Open(filepath.Join(b.TempDir(), "bench.db"), &localdynamo.Options{TTLSweepInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	hb := &handlerBench{h: s.Handler()}
	hb.call(b, "CreateTable", `{"TableName":"products","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}`)
	hb.call(b, "CreateTable", `{"TableName":"orders","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"customer","AttributeType":"S"},{"AttributeName":"seq","AttributeType":"N"}],"KeySchema":[{"AttributeName":"customer","KeyType":"HASH"},{"AttributeName":"seq","KeyType":"RANGE"}]}`)
	var reqs []string
	flush := func(table string) {
		if len(reqs) > 0 {
			hb.call(b, "BatchWriteItem", `{"RequestItems":{"`+table+`":[`+strings.Join(reqs, ",")+`]}}`)
			reqs = reqs[:0]
		}
	}
	for i := range 1000 {
		reqs = append(reqs, `{"PutRequest":{"Item":`+productJSON(i)+`}}`)
		if len(reqs) == 25 {
			flush("products")
		}
	}
	flush("products")
	for c := range 50 {
		for seq := range 20 {
			reqs = append(reqs, fmt.Sprintf(`{"PutRequest":{"Item":{"customer":{"S":"c%04d"},"seq":{"N":"%d"},"product":{"S":"p%05d"},"qty":{"N":"%d"},"total":{"N":"%d.99"},"status":{"S":"PLACED"}}}}`,
				c, seq, seq*37%1000, 1+seq%3, seq%100))
			if len(reqs) == 25 {
				flush("orders")
			}
		}
	}
	flush("orders")
	return hb
}

// productJSON is product i in DynamoDB JSON, about 250 bytes.
func productJSON(i int) string {
	kind := [...]string{"fish", "bird", "cat", "dog"}[i%4]
	return fmt.Sprintf(`{"id":{"S":"p%05d"},"name":{"S":"Product %d"},"category":{"S":"%s"},"price":{"N":"%d.99"},"stock":{"N":"%d"},"tags":{"SS":["pet","%s"]},"description":{"S":"A well-behaved %s, house-trained, vaccinated and microchipped; ships in a ventilated box within two working days."}}`,
		i, i, kind, i%100, 100+i%50, kind, kind)
}

// call sends one request to the handler and fails b unless it succeeds.
func (hb *handlerBench) call(b *testing.B, op, body string) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	w := httptest.NewRecorder()
	hb.h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", op, w.Code, w.Body)
	}
}

// run calls op with the bodies body(i) from 8 goroutines, and reports the
// process's CPU time (user and system) per call as cpu-ns/op: on a busy
// machine a steadier measure than the elapsed time.
func (hb *handlerBench) run(b *testing.B, op string, body func(i int) string) {
	b.SetParallelism((8 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	var n atomic.Int64
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			hb.call(b, op, body(int(n.Add(1))))
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkHandler(b *testing.B) {
	b.Run("GetItem", func(b *testing.B) {
		hb := newHandlerBench(b)
		hb.run(b, "GetItem", func(i int) string {
			return fmt.Sprintf(`{"TableName":"products","Key":{"id":{"S":"p%05d"}}}`, i*7919%1000)
		})
	})
	b.Run("PutItem", func(b *testing.B) {
		hb := newHandlerBench(b)
		hb.run(b, "PutItem", func(i int) string {
			return `{"TableName":"products","Item":` + productJSON(i*7919%1000) + `}`
		})
	})
	b.Run("Query20", func(b *testing.B) {
		hb := newHandlerBench(b)
		hb.run(b, "Query", func(i int) string {
			return fmt.Sprintf(`{"TableName":"orders","KeyConditionExpression":"customer = :c","ExpressionAttributeValues":{":c":{"S":"c%04d"}}}`, i*7919%50)
		})
	})
}
