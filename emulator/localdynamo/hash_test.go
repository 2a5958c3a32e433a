package localdynamo_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/mattn/go-sqlite3"

	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/emulator/localdynamo/localdynamotest"
)

// Scan segments share a table's items about evenly, whatever its keys
// look like (DynamoDB's hash partitioning does), also for short keys that
// differ in their last characters.
func TestScanSegmentsEven(t *testing.T) {
	tests := []struct {
		name     string
		keyType  types.ScalarAttributeType
		key      func(i int) types.AttributeValue
		items    int
		segments int32
	}{
		{"numbered strings", types.ScalarAttributeTypeS,
			func(i int) types.AttributeValue { return &types.AttributeValueMemberS{Value: fmt.Sprintf("k%04d", i)} }, 300, 7},
		{"numbers", types.ScalarAttributeTypeN,
			func(i int) types.AttributeValue { return &types.AttributeValueMemberN{Value: strconv.Itoa(i)} }, 2000, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cfg := localdynamotest.Open(t, nil)
			c := dynamodb.NewFromConfig(cfg)
			ctx := ctxT(t)
			if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("tbl"), BillingMode: types.BillingModePayPerRequest,
				AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: tt.keyType}},
				KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}}}); err != nil {
				t.Fatal(err)
			}
			for i := range tt.items {
				if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("tbl"),
					Item: map[string]types.AttributeValue{"pk": tt.key(i)}}); err != nil {
					t.Fatal(err)
				}
			}
			want := float64(tt.items) / float64(tt.segments)
			total := 0
			for seg := range tt.segments {
				out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("tbl"), Segment: aws.Int32(seg), TotalSegments: aws.Int32(tt.segments)})
				if err != nil {
					t.Fatal(err)
				}
				n := int(out.Count)
				total += n
				// Far beyond chance for a uniform hash: about 5 standard
				// deviations either way.
				if float64(n) < want/2 || float64(n) > want*1.6 {
					t.Errorf("segment %d of %d holds %d items, want about %.0f", seg, tt.segments, n, want)
				}
			}
			if total != tt.items {
				t.Errorf("segments hold %d items together, want %d", total, tt.items)
			}
		})
	}
}

// fnv1a is the key hash of store files before hash version 1.
func fnv1a(h []byte) int64 {
	x := uint32(2166136261)
	for _, c := range h {
		x ^= uint32(c)
		x *= 16777619
	}
	return int64(x)
}

func init() {
	sql.Register("sqlite3-old-hash", &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		return c.RegisterFunc("old_hash", fnv1a, true)
	}})
}

// A store file whose rows hold the hashes of an earlier version is
// rewritten when opened: every item is found again, by key and through
// its index.
func TestOldHashesMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := localdynamo.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := dynamodb.NewFromConfig(localdynamotest.Config(t, s))
	ctx := ctxT(t)
	if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("tbl"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{IndexName: aws.String("byG"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}}}); err != nil {
		t.Fatal(err)
	}
	const n = 50
	for i := range n {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("tbl"), Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: fmt.Sprintf("k%03d", i)}, "g": &types.AttributeValueMemberS{Value: "G" + strconv.Itoa(i%5)}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Make it a file of hash version 0.
	db, err := sql.Open("sqlite3-old-hash", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"UPDATE ddb_items SET hh = old_hash(h)", "UPDATE ddb_index_items SET hh = old_hash(h)", "PRAGMA user_version = 0"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err = localdynamo.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c = dynamodb.NewFromConfig(localdynamotest.Config(t, s))
	for i := range n {
		out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("tbl"), Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: fmt.Sprintf("k%03d", i)}}})
		if err != nil || out.Item == nil {
			t.Fatalf("GetItem(k%03d) after the migration = %v, %v", i, out.Item, err)
		}
	}
	indexed := 0
	for g := range 5 {
		out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("tbl"), IndexName: aws.String("byG"),
			KeyConditionExpression:    aws.String("g = :g"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":g": &types.AttributeValueMemberS{Value: "G" + strconv.Itoa(g)}}})
		if err != nil {
			t.Fatal(err)
		}
		indexed += int(out.Count)
	}
	if indexed != n {
		t.Errorf("index queries found %d items after the migration, want %d", indexed, n)
	}
}

// A file of a newer store format than this faasport knows is refused,
// rather than misread.
func TestNewerFormatRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	s, err := localdynamo.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite3-old-hash", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := localdynamo.Open(path, nil); err == nil {
		s.Close()
		t.Fatal("Open of a file of store format 99 succeeded")
	} else if !strings.Contains(err.Error(), "written by a newer one") {
		t.Errorf("Open = %v, want a newer-format error", err)
	}
}
