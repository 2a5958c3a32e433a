package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/faasport/faasport/bench/internal/harness"
	"github.com/faasport/faasport/emulator/localdynamo"
)

// The tables every target holds, created and filled the same way.
const (
	productsTable = "products" // hash key id (S)
	ordersTable   = "orders"   // hash key customer (S), range key seq (N)
)

// dataset sizes the tables: products items in products, and customers
// partitions of exactly ordersPerCustomer orders each in orders, so that a
// Query of one customer returns ordersPerCustomer items.
type dataset struct {
	products  int
	customers int
}

const ordersPerCustomer = 20

// full is the benchmark's dataset: 10,000 products, 10,000 orders.
var full = dataset{products: 10_000, customers: 500}

var kinds = [...]string{"fish", "bird", "cat", "dog"}

// product is item i of the products table, about 250 bytes.
func product(i int) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"id":       &types.AttributeValueMemberS{Value: productID(i)},
		"name":     &types.AttributeValueMemberS{Value: "Product " + strconv.Itoa(i)},
		"category": &types.AttributeValueMemberS{Value: kinds[i%len(kinds)]},
		"price":    &types.AttributeValueMemberN{Value: strconv.Itoa(i%100) + ".99"},
		"stock":    &types.AttributeValueMemberN{Value: strconv.Itoa(100 + i%50)},
		"tags":     &types.AttributeValueMemberSS{Value: []string{"pet", kinds[i%len(kinds)]}},
		"description": &types.AttributeValueMemberS{Value: "A well-behaved " + kinds[i%len(kinds)] +
			", house-trained, vaccinated and microchipped; ships in a ventilated box within two working days."},
	}
}

func productID(i int) string { return fmt.Sprintf("p%05d", i) }

// scanFilter is the Scan benchmark's filter, and scanMatches how many
// products of d it matches.
const scanFilter = "price < :p AND contains(tags, :t)"

var scanValues = map[string]types.AttributeValue{
	":p": &types.AttributeValueMemberN{Value: "10"},
	":t": &types.AttributeValueMemberS{Value: "fish"},
}

func (d dataset) scanMatches() int {
	n := 0
	for i := range d.products {
		if i%100 < 10 && i%len(kinds) == 0 {
			n++
		}
	}
	return n
}

// order is order seq of customer cust, about 120 bytes.
func order(cust string, seq int) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"customer": &types.AttributeValueMemberS{Value: cust},
		"seq":      &types.AttributeValueMemberN{Value: strconv.Itoa(seq)},
		"product":  &types.AttributeValueMemberS{Value: productID(seq * 37 % 10_000)},
		"qty":      &types.AttributeValueMemberN{Value: strconv.Itoa(1 + seq%3)},
		"total":    &types.AttributeValueMemberN{Value: strconv.Itoa(seq%100) + ".99"},
		"status":   &types.AttributeValueMemberS{Value: "PLACED"},
	}
}

func customerID(i int) string { return fmt.Sprintf("c%04d", i) }

// createTables creates both tables on c and waits until they are ACTIVE
// (dynalite answers CREATING first).
func createTables(ctx context.Context, c *dynamodb.Client) error {
	defs := []*dynamodb.CreateTableInput{{
		TableName:            aws.String(productsTable),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
	}, {
		TableName:   aws.String(ordersTable),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("customer"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("seq"), AttributeType: types.ScalarAttributeTypeN},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("customer"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("seq"), KeyType: types.KeyTypeRange},
		},
	}}
	for _, in := range defs {
		if _, err := c.CreateTable(ctx, in); err != nil {
			return fmt.Errorf("create table %s: %w", *in.TableName, err)
		}
	}
	for _, in := range defs {
		w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
			o.MinDelay, o.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
		})
		if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: in.TableName}, 30*time.Second); err != nil {
			return fmt.Errorf("wait for table %s: %w", *in.TableName, err)
		}
	}
	return nil
}

// seed fills both tables with d through BatchWriteItem, 25 items a call,
// from 8 concurrent writers.
func seed(ctx context.Context, c *dynamodb.Client, d dataset) error {
	type batch struct {
		table string
		items []map[string]types.AttributeValue
	}
	var batches []batch
	var cur []map[string]types.AttributeValue
	flush := func(table string) {
		if len(cur) > 0 {
			batches = append(batches, batch{table, cur})
			cur = nil
		}
	}
	for i := range d.products {
		cur = append(cur, product(i))
		if len(cur) == 25 {
			flush(productsTable)
		}
	}
	flush(productsTable)
	for cu := range d.customers {
		for seq := range ordersPerCustomer {
			cur = append(cur, order(customerID(cu), seq))
			if len(cur) == 25 {
				flush(ordersTable)
			}
		}
	}
	flush(ordersTable)

	var (
		next    atomic.Int64
		errOnce sync.Once
		first   error
		wg      sync.WaitGroup
	)
	for range 8 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(batches) || ctx.Err() != nil {
					return
				}
				if err := writeBatch(ctx, c, batches[i].table, batches[i].items); err != nil {
					errOnce.Do(func() { first = err })
					return
				}
			}
		})
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

func writeBatch(ctx context.Context, c *dynamodb.Client, table string, items []map[string]types.AttributeValue) error {
	reqs := make([]types.WriteRequest, len(items))
	for i, it := range items {
		reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
	}
	in := map[string][]types.WriteRequest{table: reqs}
	// Neither store leaves unprocessed items in practice; resend them a
	// bounded number of times if one does.
	for range 10 {
		out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: in})
		if err != nil {
			return fmt.Errorf("seed %s: %w", table, err)
		}
		if len(out.UnprocessedItems) == 0 {
			return nil
		}
		in = out.UnprocessedItems
	}
	return fmt.Errorf("seed %s: items still unprocessed after 10 attempts", table)
}

// worker is the state of one concurrent client.
type worker struct {
	id  int
	rng *rand.Rand
	d   dataset
	seq *atomic.Int64 // order numbers of the transactions, per target
}

// newRand returns a random source for worker i, different in every run.
func newRand(i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(i, uint64(time.Now().UnixNano())))
}

// An op is one operation of the workload. do performs one call and checks
// its answer.
type op struct {
	name string
	do   func(ctx context.Context, c *dynamodb.Client, w *worker) error
}

var ops = []op{
	{"GetItem", getItem},
	{"PutItem", putItem},
	{"Query20", query20},
	{"TransactWriteItems2", transact2},
}

// getItem reads a random product.
func getItem(ctx context.Context, c *dynamodb.Client, w *worker) error {
	id := productID(w.rng.IntN(w.d.products))
	out, err := c.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(productsTable),
		Key:       map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}},
	})
	if err != nil {
		return err
	}
	if got, ok := out.Item["id"].(*types.AttributeValueMemberS); !ok || got.Value != id || len(out.Item) != 7 {
		return fmt.Errorf("GetItem %s: got %d attributes, want the item", id, len(out.Item))
	}
	return nil
}

// putItem overwrites a random product with the same item, so that the
// table keeps its size.
func putItem(ctx context.Context, c *dynamodb.Client, w *worker) error {
	_, err := c.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(productsTable),
		Item:      product(w.rng.IntN(w.d.products)),
	})
	return err
}

// query20 reads all 20 orders of a random customer.
func query20(ctx context.Context, c *dynamodb.Client, w *worker) error {
	cust := customerID(w.rng.IntN(w.d.customers))
	out, err := c.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(ordersTable),
		KeyConditionExpression:    aws.String("customer = :c"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":c": &types.AttributeValueMemberS{Value: cust}},
	})
	if err != nil {
		return err
	}
	if out.Count != ordersPerCustomer || len(out.Items) != ordersPerCustomer {
		return fmt.Errorf("the Query of %s: %d items, want %d", cust, len(out.Items), ordersPerCustomer)
	}
	return nil
}

// transact2 places an order and takes one off a product's stock, atomically:
// a conditional Put of a new order and an Update of the product.
func transact2(ctx context.Context, c *dynamodb.Client, w *worker) error {
	seq := int(w.seq.Add(1))
	cust := "tx-" + strconv.Itoa(w.id)
	_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{
			TableName:           aws.String(ordersTable),
			Item:                order(cust, seq),
			ConditionExpression: aws.String("attribute_not_exists(customer)"),
		}},
		{Update: &types.Update{
			TableName:                 aws.String(productsTable),
			Key:                       map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: productID(w.rng.IntN(w.d.products))}},
			UpdateExpression:          aws.String("ADD stock :minus"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":minus": &types.AttributeValueMemberN{Value: "-1"}},
		}},
	}})
	return err
}

// scanAll scans the products table with scanFilter, page by page, and
// returns how many items matched.
func scanAll(ctx context.Context, c *dynamodb.Client) (int, error) {
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{
		TableName:                 aws.String(productsTable),
		FilterExpression:          aws.String(scanFilter),
		ExpressionAttributeValues: scanValues,
	})
	n := 0
	for pages := 0; p.HasMorePages(); pages++ {
		if pages > 1000 {
			return n, errors.New("scan: more than 1000 pages")
		}
		out, err := p.NextPage(ctx)
		if err != nil {
			return n, err
		}
		n += int(out.Count)
	}
	return n, nil
}

// isUnsupported reports whether err is the server's refusal of an
// operation it does not implement.
func isUnsupported(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "UnknownOperationException"
}

// newClient returns the SDK client every target is driven with: static
// credentials, region us-east-1, no retries, endpoint url, over hc.
func newClient(url string, hc aws.HTTPClient) *dynamodb.Client {
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("bench", "bench", ""),
		HTTPClient:  hc,
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(url) })
}

// loopbackHTTP is the HTTP client for a server on 127.0.0.1: the SDK's
// default transport (keep-alive) with room for every concurrent client's
// connection. Idle connections are dropped after 2 s, before dynalite's
// server does (Node's 5 s keep-alive timeout), so that no request is sent
// on a connection the server is closing.
func loopbackHTTP(clients int) *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = 2 * clients
		t.MaxIdleConnsPerHost = 2 * clients
		t.IdleConnTimeout = 2 * time.Second
	}).WithTimeout(30 * time.Second)
}

// ours is a localdynamo store served by net/http on a loopback listener.
type ours struct {
	store *localdynamo.Store
	srv   *http.Server
	URL   string
	done  chan struct{}
}

// startOurs opens a store at path (":memory:" for memory) and serves it on
// 127.0.0.1, behind memoGetItem if memo is set. Callers must call Close.
func startOurs(path string, memo bool) (*ours, error) {
	s, err := localdynamo.Open(path, &localdynamo.Options{TTLSweepInterval: -1})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.Close()
		return nil, err
	}
	h := s.Handler()
	if memo {
		h = newMemoGetItem(h)
	}
	o := &ours{store: s, srv: &http.Server{Handler: h}, URL: "http://" + ln.Addr().String(), done: make(chan struct{})}
	go func() {
		defer close(o.done)
		if err := o.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "store: serve:", err)
		}
	}()
	return o, nil
}

// Close stops serving, waits (up to 5 s) for requests in flight, and closes
// the store.
func (o *ours) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if o.srv.Shutdown(ctx) != nil {
		o.srv.Close()
	}
	<-o.done
	return o.store.Close()
}

// sample is what one timed run of an op against one target measured.
type sample struct {
	ops     int
	elapsed time.Duration
	cpu     time.Duration // CPU time of this process (the clients) during the run
	srvCPU  time.Duration // CPU time of the server processes during the run
	lat     []time.Duration
	err     error // the first error, if any
	errs    int
}

func (s *sample) add(o sample) {
	s.ops += o.ops
	s.elapsed += o.elapsed
	s.cpu += o.cpu
	s.srvCPU += o.srvCPU
	s.lat = append(s.lat, o.lat...)
	s.errs += o.errs
	if s.err == nil {
		s.err = o.err
	}
}

func (s *sample) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.ops) / s.elapsed.Seconds()
}

func (s *sample) percentile(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	slices.Sort(s.lat)
	return s.lat[min(len(s.lat)-1, int(float64(len(s.lat))*p))]
}

// drive runs o against c from n concurrent workers for d, or until maxOps
// calls were made, whichever comes first, and stops at the first error.
// srvCPU, if not nil, tells the CPU time used so far by the server
// processes, as harness.CPUTime does for this one.
func drive(ctx context.Context, c *dynamodb.Client, o op, ds dataset, seq *atomic.Int64, n int, d time.Duration, maxOps int, srvCPU func() time.Duration) sample {
	var (
		mu     sync.Mutex
		s      sample
		wg     sync.WaitGroup
		issued atomic.Int64
		failed atomic.Bool
	)
	cpu0 := harness.CPUTime()
	var srv0 time.Duration
	if srvCPU != nil {
		srv0 = srvCPU()
	}
	start := time.Now()
	end := start.Add(d)
	for i := range n {
		wg.Go(func() {
			w := &worker{id: i, rng: newRand(uint64(i)), d: ds, seq: seq}
			lat := make([]time.Duration, 0, 4096)
			var err error
			for !failed.Load() && ctx.Err() == nil && issued.Add(1) <= int64(maxOps) {
				t0 := time.Now()
				if t0.After(end) {
					break
				}
				if err = o.do(ctx, c, w); err != nil {
					failed.Store(true)
					break
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			s.lat = append(s.lat, lat...)
			if err != nil {
				s.errs++
				if s.err == nil {
					s.err = fmt.Errorf("%s: %w", o.name, err)
				}
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	s.elapsed = time.Since(start)
	s.cpu = harness.CPUTime() - cpu0
	if srvCPU != nil {
		s.srvCPU = srvCPU() - srv0
	}
	s.ops = len(s.lat)
	if s.err == nil && ctx.Err() != nil {
		s.err = ctx.Err()
	}
	return s
}
