package localdynamo_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
)

// tableCase is one control-plane scenario: run creates the tables it needs
// (through createTable, which deletes them when the test ends) and returns
// what it observed.
type tableCase struct {
	name string
	run  func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error)
	want any
	// wantErr is "Code: message", or just "Code" where DynamoDB's wording
	// is not known and only the error code is compared.
	wantErr string
}

// TestTables checks the table-level operations against the expectations of
// the nubo-db/dynamodb-conformance suite's tests/tier1/{createTable,
// describeTable,deleteTable,listTables,updateTable} and
// tests/tier2/updateTable files (cited as file: test title).
func TestTables(t *testing.T) {
	eachTarget(t, func(t *testing.T, c *dynamodb.Client) {
		for _, tc := range tableCases() {
			t.Run(tc.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 45*time.Minute)
				defer cancel()
				got, err := tc.run(ctx, t, c)
				gotErr := apiErr(err)
				if !strings.Contains(tc.wantErr, ": ") {
					gotErr, _, _ = strings.Cut(gotErr, ": ")
				}
				if gotErr != tc.wantErr {
					t.Fatalf("error = %q, want %q", apiErr(err), tc.wantErr)
				}
				if tc.wantErr != "" {
					return
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// tableName is a name unique to the test, with a common prefix for t.
func tableName(t *testing.T, suffix string) string {
	n := fmt.Sprintf("ld-%s-%06d%s", tableNameRE.ReplaceAllString(t.Name(), "_"), rand.IntN(1000000), suffix)
	if len(n) > 200 {
		n = n[len(n)-200:]
	}
	return n
}

// createTable creates the table in (named uniquely if TableName is nil),
// waits until it is active and deletes it when the test ends.
func createTable(ctx context.Context, t *testing.T, c *dynamodb.Client, in *dynamodb.CreateTableInput) (string, *dynamodb.CreateTableOutput, error) {
	t.Helper()
	if in.TableName == nil {
		in.TableName = aws.String(tableName(t, ""))
	}
	name := *in.TableName
	out, err := c.CreateTable(ctx, in)
	if err != nil {
		return name, nil, err
	}
	t.Cleanup(func() {
		ctx := context.Background()
		c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(name), DeletionProtectionEnabled: aws.Bool(false)})
		waitActive(ctx, t, c, name)
		c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	return name, out, waitActive(ctx, t, c, name)
}

// waitActive waits until the table and its indexes are active.
func waitActive(ctx context.Context, t *testing.T, c *dynamodb.Client, name string) error {
	for {
		out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			return err
		}
		ready := out.Table.TableStatus == types.TableStatusActive
		for _, g := range out.Table.GlobalSecondaryIndexes {
			ready = ready && g.IndexStatus == types.IndexStatusActive
		}
		if ready {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

// updateTable updates a table and waits until it is active again.
func updateTable(ctx context.Context, t *testing.T, c *dynamodb.Client, in *dynamodb.UpdateTableInput) error {
	if _, err := c.UpdateTable(ctx, in); err != nil {
		return err
	}
	return waitActive(ctx, t, c, *in.TableName)
}

func keySchema(spec string) []types.KeySchemaElement {
	return parseKey(spec, map[string]types.ScalarAttributeType{})
}

func attrDefs(spec string) []types.AttributeDefinition {
	var defs []types.AttributeDefinition
	for _, f := range strings.Fields(spec) {
		name, typ, _ := strings.Cut(f, ":")
		defs = append(defs, types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: types.ScalarAttributeType(typ)})
	}
	return defs
}

// onDemand is CreateTable's input for a PAY_PER_REQUEST table with key
// schema key ("pk:S sk:N") and the further attributes attrs.
func onDemand(key, attrs string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		KeySchema:            keySchema(key),
		AttributeDefinitions: attrDefs(strings.TrimSpace(key + " " + attrs)),
		BillingMode:          types.BillingModePayPerRequest,
	}
}

func provisioned(key string, rcu, wcu int64) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		KeySchema:             keySchema(key),
		AttributeDefinitions:  attrDefs(key),
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(rcu), WriteCapacityUnits: aws.Int64(wcu)},
	}
}

func gsi(name, key, projection string, nonKey ...string) types.GlobalSecondaryIndex {
	return types.GlobalSecondaryIndex{IndexName: aws.String(name), KeySchema: keySchema(key), Projection: projectionOf(indexSpec{projection: projection, include: nonKey})}
}

// tableShape is what the cases compare of a TableDescription.
type tableShape struct {
	Status     types.TableStatus
	Key        []string // "pk HASH"
	Attrs      []string // "pk S", sorted
	Billing    types.BillingMode
	Throughput string // "5/5"
	GSIs, LSIs []indexShape
	// Identity is whether TableArn, TableId and CreationDateTime are set
	// and ItemCount and TableSizeBytes reported.
	Identity   bool
	Protected  bool
	TableClass types.TableClass // STANDARD when reported by omission
}

type indexShape struct {
	Name       string
	Status     types.IndexStatus
	Key        []string
	Projection string // "ALL", "INCLUDE a b"
}

func shapeKey(ks []types.KeySchemaElement) []string {
	var out []string
	for _, k := range ks {
		out = append(out, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
	}
	return out
}

func shapeProjection(p *types.Projection) string {
	if p == nil {
		return "<nil>"
	}
	nk := append([]string(nil), p.NonKeyAttributes...)
	sort.Strings(nk)
	return strings.TrimSpace(string(p.ProjectionType) + " " + strings.Join(nk, " "))
}

func shape(d *types.TableDescription) tableShape {
	s := tableShape{
		Status:    d.TableStatus,
		Key:       shapeKey(d.KeySchema),
		Identity:  d.TableArn != nil && aws.ToString(d.TableId) != "" && d.CreationDateTime != nil && d.ItemCount != nil && d.TableSizeBytes != nil,
		Protected: aws.ToBool(d.DeletionProtectionEnabled),
	}
	for _, a := range d.AttributeDefinitions {
		s.Attrs = append(s.Attrs, aws.ToString(a.AttributeName)+" "+string(a.AttributeType))
	}
	sort.Strings(s.Attrs)
	if d.BillingModeSummary != nil {
		s.Billing = d.BillingModeSummary.BillingMode
	}
	if tp := d.ProvisionedThroughput; tp != nil {
		s.Throughput = fmt.Sprintf("%d/%d", aws.ToInt64(tp.ReadCapacityUnits), aws.ToInt64(tp.WriteCapacityUnits))
	}
	for _, g := range d.GlobalSecondaryIndexes {
		s.GSIs = append(s.GSIs, indexShape{Name: aws.ToString(g.IndexName), Status: g.IndexStatus, Key: shapeKey(g.KeySchema), Projection: shapeProjection(g.Projection)})
	}
	for _, l := range d.LocalSecondaryIndexes {
		s.LSIs = append(s.LSIs, indexShape{Name: aws.ToString(l.IndexName), Key: shapeKey(l.KeySchema), Projection: shapeProjection(l.Projection)})
	}
	sort.Slice(s.GSIs, func(i, j int) bool { return s.GSIs[i].Name < s.GSIs[j].Name })
	sort.Slice(s.LSIs, func(i, j int) bool { return s.LSIs[i].Name < s.LSIs[j].Name })
	s.TableClass = types.TableClassStandard
	if d.TableClassSummary != nil {
		s.TableClass = d.TableClassSummary.TableClass
	}
	return s
}

func describeShape(ctx context.Context, c *dynamodb.Client, name string) (tableShape, error) {
	out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		return tableShape{}, err
	}
	return shape(out.Table), nil
}

// createAndDescribe creates the table in and describes it once active.
func createAndDescribe(ctx context.Context, t *testing.T, c *dynamodb.Client, in *dynamodb.CreateTableInput) (any, error) {
	name, _, err := createTable(ctx, t, c, in)
	if err != nil {
		return nil, err
	}
	return describeShape(ctx, c, name)
}

// listAll lists every table name, page by page with limit.
func listAll(ctx context.Context, c *dynamodb.Client, limit int32) ([]string, error) {
	var names []string
	p := dynamodb.NewListTablesPaginator(c, &dynamodb.ListTablesInput{Limit: aws.Int32(limit)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		names = append(names, out.TableNames...)
	}
	return names, nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func tableCases() []tableCase {
	const gsiAll = "gsiPk:S"
	return []tableCase{
		// createTable/basic.test.ts: creates a hash-only table with PROVISIONED billing;
		// describeTable/basic.test.ts: returns table metadata for a hash-only table.
		// A table created PROVISIONED reports no BillingModeSummary.
		{name: "CreateTable hash-only PROVISIONED", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			return createAndDescribe(ctx, t, c, provisioned("pk:S", 5, 5))
		}, want: tableShape{Status: "ACTIVE", Key: []string{"pk HASH"}, Attrs: []string{"pk S"}, Throughput: "5/5", Identity: true, TableClass: "STANDARD"}},
		// createTable/basic.test.ts: creates a composite key table; creates a table with PAY_PER_REQUEST billing
		{name: "CreateTable composite PAY_PER_REQUEST", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			return createAndDescribe(ctx, t, c, onDemand("pk:S sk:N", ""))
		}, want: tableShape{Status: "ACTIVE", Key: []string{"pk HASH", "sk RANGE"}, Attrs: []string{"pk S", "sk N"}, Billing: "PAY_PER_REQUEST", Throughput: "0/0", Identity: true, TableClass: "STANDARD"}},
		// createTable/gsi.test.ts: creates a table with a hash-only GSI; with a composite GSI;
		// with INCLUDE projection on GSI; with multiple GSIs. createTable/lsi.test.ts: creates a
		// table with an LSI (requires composite key). describeTable/basic.test.ts: returns table
		// metadata for a composite table with indexes (each GSI ACTIVE).
		{name: "CreateTable with global and local indexes", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			in := onDemand("pk:S sk:S", "gsiPk:S gsiSk:N g2:N lsiSk:N")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{
				gsi("gsi1", gsiAll, "ALL"),
				gsi("gsi2", "gsiPk:S gsiSk:N", "KEYS_ONLY"),
				gsi("gsi3", "g2:N", "INCLUDE", "attr1", "attr2"),
			}
			in.LocalSecondaryIndexes = []types.LocalSecondaryIndex{{IndexName: aws.String("lsi1"), KeySchema: keySchema("pk:S lsiSk:N"), Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}}
			return createAndDescribe(ctx, t, c, in)
		}, want: tableShape{Status: "ACTIVE", Key: []string{"pk HASH", "sk RANGE"}, Attrs: []string{"g2 N", "gsiPk S", "gsiSk N", "lsiSk N", "pk S", "sk S"},
			Billing: "PAY_PER_REQUEST", Throughput: "0/0", Identity: true, TableClass: "STANDARD",
			GSIs: []indexShape{
				{Name: "gsi1", Status: "ACTIVE", Key: []string{"gsiPk HASH"}, Projection: "ALL"},
				{Name: "gsi2", Status: "ACTIVE", Key: []string{"gsiPk HASH", "gsiSk RANGE"}, Projection: "KEYS_ONLY"},
				{Name: "gsi3", Status: "ACTIVE", Key: []string{"g2 HASH"}, Projection: "INCLUDE attr1 attr2"},
			},
			LSIs: []indexShape{{Name: "lsi1", Key: []string{"pk HASH", "lsiSk RANGE"}, Projection: "ALL"}}}},
		// createTable/basic.test.ts: returns a TableId on CreateTable that matches the subsequent
		// DescribeTable; describeTable/basic.test.ts: returns a stable TableId across repeated DescribeTable calls
		{name: "CreateTable TableId is stable", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, out, err := createTable(ctx, t, c, onDemand("pk:S", ""))
			if err != nil {
				return nil, err
			}
			ids := []string{aws.ToString(out.TableDescription.TableId)}
			for range 2 {
				d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
				if err != nil {
					return nil, err
				}
				ids = append(ids, aws.ToString(d.Table.TableId))
			}
			// A random UUID, as DynamoDB's are (the developer guide's
			// examples, such as 60abf404-1839-4917-a89b-a8b0ab2a1b87).
			v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
			return v4.MatchString(ids[0]) && ids[0] == ids[1] && ids[1] == ids[2], nil
		}, want: true},
		// The API reference's ProvisionedThroughputDescription: when the
		// throughput was last raised and lowered, and how many times it
		// was lowered this UTC day.
		{name: "UpdateTable records throughput increases and decreases", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, out, err := createTable(ctx, t, c, provisioned("pk:S", 5, 5))
			if err != nil {
				return nil, err
			}
			var got []string
			note := func(d *types.TableDescription) {
				p := d.ProvisionedThroughput
				got = append(got, fmt.Sprintf("%d/%d inc:%v dec:%v n:%d", aws.ToInt64(p.ReadCapacityUnits), aws.ToInt64(p.WriteCapacityUnits),
					p.LastIncreaseDateTime != nil, p.LastDecreaseDateTime != nil, aws.ToInt64(p.NumberOfDecreasesToday)))
			}
			note(out.TableDescription)
			for _, tp := range [][2]int64{{10, 10}, {2, 10}, {1, 1}} {
				if _, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(name),
					ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(tp[0]), WriteCapacityUnits: aws.Int64(tp[1])}}); err != nil {
					return nil, err
				}
				d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
				if err != nil {
					return nil, err
				}
				note(d.Table)
			}
			return got, nil
		}, want: []string{"5/5 inc:false dec:false n:0", "10/10 inc:true dec:false n:0", "2/10 inc:true dec:true n:1", "1/1 inc:true dec:true n:2"}},
		// createTable/basic.test.ts: returns the table in ListTables after creation;
		// listTables/basic.test.ts: respects the Limit parameter; paginates with
		// ExclusiveStartTableName; returns table names in alphabetical order
		{name: "ListTables pages in name order", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			var names []string
			for _, s := range []string{"-b", "-a", "-c"} {
				in := onDemand("pk:S", "")
				in.TableName = aws.String(tableName(t, s))
				name, _, err := createTable(ctx, t, c, in)
				if err != nil {
					return nil, err
				}
				names = append(names, name)
			}
			first, err := c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(1)})
			if err != nil {
				return nil, err
			}
			second, err := c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(1), ExclusiveStartTableName: first.LastEvaluatedTableName})
			if err != nil {
				return nil, err
			}
			all, err := listAll(ctx, c, 100)
			if err != nil {
				return nil, err
			}
			byOne, err := listAll(ctx, c, 1)
			if err != nil {
				return nil, err
			}
			return map[string]bool{
				"first page has one name":        len(first.TableNames) == 1,
				"first page has a last name":     aws.ToString(first.LastEvaluatedTableName) == first.TableNames[0],
				"second page follows the first":  len(second.TableNames) == 1 && second.TableNames[0] > first.TableNames[0],
				"names are sorted":               sort.StringsAreSorted(all),
				"all created tables are listed":  contains(all, names[0]) && contains(all, names[1]) && contains(all, names[2]),
				"pages of one list the same":     cmp.Equal(all, byOne),
				"second page starts after first": !contains(second.TableNames, first.TableNames[0]),
			}, nil
		}, want: map[string]bool{
			"first page has one name": true, "first page has a last name": true, "second page follows the first": true, "names are sorted": true,
			"all created tables are listed": true, "pages of one list the same": true, "second page starts after first": true,
		}},
		// deleteTable/basic.test.ts: deletes an existing table; removed table does not appear in ListTables
		{name: "DeleteTable removes the table", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, onDemand("pk:S", ""))
			if err != nil {
				return nil, err
			}
			out, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
			if err != nil {
				return nil, err
			}
			got := map[string]any{"TableName": aws.ToString(out.TableDescription.TableName) == name}
			w := dynamodb.NewTableNotExistsWaiter(c, func(o *dynamodb.TableNotExistsWaiterOptions) { o.MinDelay = 100 * time.Millisecond })
			if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 5*time.Minute); err != nil {
				return nil, err
			}
			_, err = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			got["DescribeTable"], _, _ = strings.Cut(apiErr(err), ":")
			all, err := listAll(ctx, c, 100)
			if err != nil {
				return nil, err
			}
			got["listed"] = contains(all, name)
			return got, nil
		}, want: map[string]any{"TableName": true, "DescribeTable": "ResourceNotFoundException", "listed": false}},
		// describeTable/basic.test.ts: returns ResourceNotFoundException for non-existent table
		{name: "DescribeTable of a missing table", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			return c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("_conformance_nonexistent_table")})
		}, wantErr: "ResourceNotFoundException: Requested resource not found: Table: _conformance_nonexistent_table not found"},
		// deleteTable/basic.test.ts: rejects deleting a non-existent table
		{name: "DeleteTable of a missing table", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			return c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("_conformance_nonexistent_table")})
		}, wantErr: "ResourceNotFoundException"},
		// createTable/basic.test.ts: rejects duplicate table creation with ResourceInUseException
		{name: "CreateTable of an existing table", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, onDemand("pk:S", ""))
			if err != nil {
				return nil, err
			}
			in := onDemand("pk:S", "")
			in.TableName = aws.String(name)
			return c.CreateTable(ctx, in)
		}, wantErr: "ResourceInUseException"},

		// createTable/config.test.ts: DeletionProtectionEnabled round-trips; TableClass
		// STANDARD_INFREQUENT_ACCESS round-trips; SSESpecification with the AWS-managed key
		// round-trips; OnDemandThroughput round-trips on a PAY_PER_REQUEST table
		{name: "CreateTable configuration round-trips", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			in := onDemand("pk:S", "")
			in.DeletionProtectionEnabled = aws.Bool(true)
			in.TableClass = types.TableClassStandardInfrequentAccess
			in.SSESpecification = &types.SSESpecification{Enabled: aws.Bool(true)}
			in.OnDemandThroughput = &types.OnDemandThroughput{MaxReadRequestUnits: aws.Int64(10), MaxWriteRequestUnits: aws.Int64(5)}
			name, _, err := createTable(ctx, t, c, in)
			if err != nil {
				return nil, err
			}
			out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				return nil, err
			}
			d := out.Table
			got := map[string]any{"DeletionProtectionEnabled": aws.ToBool(d.DeletionProtectionEnabled)}
			if d.TableClassSummary != nil {
				got["TableClass"] = string(d.TableClassSummary.TableClass)
			}
			if sse := d.SSEDescription; sse != nil {
				got["SSE"] = fmt.Sprintf("%s %s %t", sse.Status, sse.SSEType, strings.HasPrefix(aws.ToString(sse.KMSMasterKeyArn), "arn:aws:kms:"))
			}
			if od := d.OnDemandThroughput; od != nil {
				got["OnDemandThroughput"] = fmt.Sprintf("%d/%d", aws.ToInt64(od.MaxReadRequestUnits), aws.ToInt64(od.MaxWriteRequestUnits))
			}
			return got, nil
		}, want: map[string]any{"DeletionProtectionEnabled": true, "TableClass": "STANDARD_INFREQUENT_ACCESS", "SSE": "ENABLED KMS true", "OnDemandThroughput": "10/5"}},
		// createTable/config.test.ts: omitting DeletionProtectionEnabled defaults to disabled; omitting
		// TableClass defaults to STANDARD; omitting SSESpecification leaves SSEDescription absent
		{name: "CreateTable configuration defaults", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, onDemand("pk:S", ""))
			if err != nil {
				return nil, err
			}
			out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				return nil, err
			}
			s := shape(out.Table)
			return fmt.Sprintf("protected=%t class=%s sse=%t", s.Protected, s.TableClass, out.Table.SSEDescription != nil), nil
		}, want: "protected=false class=STANDARD sse=false"},

		// updateTable/basic.test.ts: changes provisioned throughput on a PROVISIONED table;
		// DescribeTable reflects updated throughput values
		{name: "UpdateTable changes provisioned throughput", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, provisioned("pk:S", 5, 5))
			if err != nil {
				return nil, err
			}
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name),
				ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(20), WriteCapacityUnits: aws.Int64(15)}}); err != nil {
				return nil, err
			}
			s, err := describeShape(ctx, c, name)
			return s.Throughput, err
		}, want: "20/15"},
		// updateTable/basic.test.ts: accepts PAY_PER_REQUEST to PAY_PER_REQUEST no-op (same billing mode)
		{name: "UpdateTable PAY_PER_REQUEST to PAY_PER_REQUEST", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, onDemand("pk:S", ""))
			if err != nil {
				return nil, err
			}
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest}); err != nil {
				return nil, err
			}
			s, err := describeShape(ctx, c, name)
			return string(s.Billing), err
		}, want: "PAY_PER_REQUEST"},
		// updateTable/basic.test.ts: switches billing mode from PROVISIONED to PAY_PER_REQUEST;
		// DescribeTable reflects updated billing mode
		{name: "UpdateTable PROVISIONED to PAY_PER_REQUEST", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, provisioned("pk:S", 5, 5))
			if err != nil {
				return nil, err
			}
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest}); err != nil {
				return nil, err
			}
			s, err := describeShape(ctx, c, name)
			return fmt.Sprintf("%s %s %s", s.Status, s.Billing, s.Throughput), err
		}, want: "ACTIVE PAY_PER_REQUEST 0/0"},
		// updateTable/basic.test.ts: switches billing mode from PAY_PER_REQUEST to PROVISIONED.
		// Once the mode has changed, DynamoDB keeps a BillingModeSummary.
		{name: "UpdateTable PAY_PER_REQUEST to PROVISIONED", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, onDemand("pk:S", ""))
			if err != nil {
				return nil, err
			}
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name), BillingMode: types.BillingModeProvisioned,
				ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)}}); err != nil {
				return nil, err
			}
			s, err := describeShape(ctx, c, name)
			return fmt.Sprintf("%s %s %s", s.Status, s.Billing, s.Throughput), err
		}, want: "ACTIVE PROVISIONED 5/5"},
		// updateTable/config.test.ts: UpdateTable enables DeletionProtectionEnabled; UpdateTable changes
		// TableClass; UpdateTable changes OnDemandThroughput
		{name: "UpdateTable configuration", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			in := onDemand("pk:S", "")
			in.OnDemandThroughput = &types.OnDemandThroughput{MaxReadRequestUnits: aws.Int64(10), MaxWriteRequestUnits: aws.Int64(5)}
			name, _, err := createTable(ctx, t, c, in)
			if err != nil {
				return nil, err
			}
			for _, u := range []*dynamodb.UpdateTableInput{
				{DeletionProtectionEnabled: aws.Bool(true)},
				{TableClass: types.TableClassStandardInfrequentAccess},
				{OnDemandThroughput: &types.OnDemandThroughput{MaxReadRequestUnits: aws.Int64(20), MaxWriteRequestUnits: aws.Int64(15)}},
			} {
				u.TableName = aws.String(name)
				if err := updateTable(ctx, t, c, u); err != nil {
					return nil, err
				}
			}
			out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				return nil, err
			}
			d := out.Table
			od := "<nil>"
			if d.OnDemandThroughput != nil {
				od = fmt.Sprintf("%d/%d", aws.ToInt64(d.OnDemandThroughput.MaxReadRequestUnits), aws.ToInt64(d.OnDemandThroughput.MaxWriteRequestUnits))
			}
			return fmt.Sprintf("protected=%t class=%s ondemand=%s", aws.ToBool(d.DeletionProtectionEnabled), shape(d).TableClass, od), nil
		}, want: "protected=true class=STANDARD_INFREQUENT_ACCESS ondemand=20/15"},
		// updateTable/config.test.ts: rejects DeleteTable while deletion protection is enabled;
		// allows DeleteTable after protection is disabled
		{name: "DeleteTable honours deletion protection", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			in := onDemand("pk:S", "")
			in.DeletionProtectionEnabled = aws.Bool(true)
			name, _, err := createTable(ctx, t, c, in)
			if err != nil {
				return nil, err
			}
			_, err = c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
			refused := apiErr(err)
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name), DeletionProtectionEnabled: aws.Bool(false)}); err != nil {
				return nil, err
			}
			_, err = c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
			return []string{refused, apiErr(err)}, nil
		}, want: []string{"ValidationException: Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.", ""}},
		// updateTable/basic.test.ts: rejects UpdateTable on a non-existent table
		{name: "UpdateTable of a missing table", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			return c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("_conformance_nonexistent_table"),
				ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(10), WriteCapacityUnits: aws.Int64(10)}})
		}, wantErr: "ResourceNotFoundException"},

		// updateTable/gsi.test.ts: adds a hash-only GSI to an existing table; adds a composite GSI;
		// adds a GSI with KEYS_ONLY projection; with INCLUDE projection and NonKeyAttributes;
		// adds multiple GSIs sequentially
		{name: "UpdateTable adds global indexes one after another", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, onDemand("pk:S sk:S", ""))
			if err != nil {
				return nil, err
			}
			for _, add := range []struct {
				attrs string
				index types.GlobalSecondaryIndex
			}{
				{"gsiPk:S", gsi("gsiHash", "gsiPk:S", "ALL")},
				{"gsiPk:S gsiSk:N", gsi("gsiComposite", "gsiPk:S gsiSk:N", "ALL")},
				{"g1:S", gsi("gsiKeysOnly", "g1:S", "KEYS_ONLY")},
				{"g2:N", gsi("gsiInclude", "g2:N", "INCLUDE", "attr1", "attr2")},
			} {
				ix := add.index
				if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name), AttributeDefinitions: attrDefs(add.attrs),
					GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection}}}}); err != nil {
					return nil, err
				}
			}
			s, err := describeShape(ctx, c, name)
			return fmt.Sprint(s.Attrs, s.GSIs), err
		}, want: fmt.Sprint([]string{"g1 S", "g2 N", "gsiPk S", "gsiSk N", "pk S", "sk S"}, []indexShape{
			{Name: "gsiComposite", Status: "ACTIVE", Key: []string{"gsiPk HASH", "gsiSk RANGE"}, Projection: "ALL"},
			{Name: "gsiHash", Status: "ACTIVE", Key: []string{"gsiPk HASH"}, Projection: "ALL"},
			{Name: "gsiInclude", Status: "ACTIVE", Key: []string{"g2 HASH"}, Projection: "INCLUDE attr1 attr2"},
			{Name: "gsiKeysOnly", Status: "ACTIVE", Key: []string{"g1 HASH"}, Projection: "KEYS_ONLY"},
		})},
		// updateTable/gsi.test.ts: can query a newly created GSI after putting items
		{name: "UpdateTable backfills a new global index", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, onDemand("pk:S sk:S", ""))
			if err != nil {
				return nil, err
			}
			for _, it := range []string{
				`{"pk":{"S":"item1"},"sk":{"S":"a"},"gsiPk":{"S":"group1"},"data":{"S":"hello"}}`,
				`{"pk":{"S":"item2"},"sk":{"S":"b"},"gsiPk":{"S":"group1"},"data":{"S":"world"}}`,
				`{"pk":{"S":"item3"},"sk":{"S":"c"},"gsiPk":{"S":"group2"},"data":{"S":"other"}}`,
			} {
				if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(name), Item: item(t, it)}); err != nil {
					return nil, err
				}
			}
			ix := gsi("gsiQuery", "gsiPk:S", "ALL")
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name), AttributeDefinitions: attrDefs("gsiPk:S"),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection}}}}); err != nil {
				return nil, err
			}
			for {
				out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(name), IndexName: aws.String("gsiQuery"),
					KeyConditionExpression: aws.String("gsiPk = :g"), ExpressionAttributeValues: vals(t, `{":g":{"S":"group1"}}`)})
				if err != nil {
					return nil, err
				}
				var pks []string
				for _, it := range out.Items {
					pks = append(pks, it["pk"].(*types.AttributeValueMemberS).Value)
				}
				sort.Strings(pks)
				if len(pks) == 2 || ctx.Err() != nil {
					return pks, nil
				}
				time.Sleep(time.Second)
			}
		}, want: []string{"item1", "item2"}},
		// updateTable/gsi.test.ts: removes a GSI from a table; base table operations still work after removing a GSI
		{name: "UpdateTable removes a global index", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			in := onDemand("pk:S sk:S", "gsiPk:S")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{gsi("existingGsi", "gsiPk:S", "ALL")}
			name, _, err := createTable(ctx, t, c, in)
			if err != nil {
				return nil, err
			}
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("existingGsi")}}}}); err != nil {
				return nil, err
			}
			s, err := describeShape(ctx, c, name)
			if err != nil {
				return nil, err
			}
			if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(name), Item: item(t, `{"pk":{"S":"afterRemove"},"sk":{"S":"1"},"data":{"S":"still works"}}`)}); err != nil {
				return nil, err
			}
			q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(name), KeyConditionExpression: aws.String("pk = :p"), ExpressionAttributeValues: vals(t, `{":p":{"S":"afterRemove"}}`)})
			if err != nil {
				return nil, err
			}
			return fmt.Sprintf("gsis=%d attrs=%v items=%v", len(s.GSIs), s.Attrs, jsItems(q.Items)), nil
			// ack-api-quirks DDB-TABLE-151: the index's key attribute leaves
			// AttributeDefinitions with it.
		}, want: `gsis=0 attrs=[pk S sk S] items=[{"data":{"S":"still works"},"pk":{"S":"afterRemove"},"sk":{"S":"1"}}]`},
		// updateTable/gsi.test.ts: rejects adding a GSI with an attribute not in AttributeDefinitions
		{name: "UpdateTable new index key without a definition", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, onDemand("pk:S sk:S", ""))
			if err != nil {
				return nil, err
			}
			ix := gsi("gsiBadAttr", "unknownAttr:S", "ALL")
			return c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(name),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection}}}})
		}, wantErr: "ValidationException"},
		// updateTable/gsi.test.ts: rejects removing a non-existent GSI
		{name: "UpdateTable removes a missing index", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, onDemand("pk:S sk:S", ""))
			if err != nil {
				return nil, err
			}
			return c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(name),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("doesNotExist")}}}})
		}, wantErr: "ResourceNotFoundException"},

		// ack-api-quirks DDB-TABLE-162 (captured from DynamoDB, 2026-10-08):
		// UpdateTable takes from AttributeDefinitions only the new index's
		// key; other entries, even one contradicting the table's key type,
		// are ignored.
		{name: "UpdateTable takes only the new key's definition", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			name, _, err := createTable(ctx, t, c, onDemand("pk:S", ""))
			if err != nil {
				return nil, err
			}
			ix := gsi("byG", "g:N", "KEYS_ONLY")
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name), AttributeDefinitions: attrDefs("pk:N g:N unused:S"),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection}}}}); err != nil {
				return nil, err
			}
			s, err := describeShape(ctx, c, name)
			return s.Attrs, err
		}, want: []string{"g N", "pk S"}},
		// ack-api-quirks DDB-TABLE-152 and DDB-TABLE-153: PAY_PER_REQUEST to
		// PROVISIONED sets every global index's throughput in the same call,
		// and drops the request-unit limits.
		{name: "UpdateTable PAY_PER_REQUEST to PROVISIONED with an index", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			in := onDemand("pk:S", "g:S")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{gsi("byG", "g:S", "ALL")}
			in.OnDemandThroughput = &types.OnDemandThroughput{MaxReadRequestUnits: aws.Int64(10), MaxWriteRequestUnits: aws.Int64(5)}
			name, _, err := createTable(ctx, t, c, in)
			if err != nil {
				return nil, err
			}
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name), BillingMode: types.BillingModeProvisioned,
				ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(4)},
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Update: &types.UpdateGlobalSecondaryIndexAction{IndexName: aws.String("byG"),
					ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(3), WriteCapacityUnits: aws.Int64(2)}}}}}); err != nil {
				return nil, err
			}
			out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				return nil, err
			}
			d := out.Table
			g := d.GlobalSecondaryIndexes[0]
			return fmt.Sprintf("%s %s index=%d/%d ondemand=%t", shape(d).Billing, shape(d).Throughput,
				aws.ToInt64(g.ProvisionedThroughput.ReadCapacityUnits), aws.ToInt64(g.ProvisionedThroughput.WriteCapacityUnits), d.OnDemandThroughput != nil), nil
		}, want: "PROVISIONED 5/4 index=3/2 ondemand=false"},
		// ack-api-quirks DDB-TABLE-164: a changed index throughput is taken.
		{name: "UpdateTable changes an index's throughput", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			ix := gsi("byG", "g:S", "ALL")
			ix.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(2), WriteCapacityUnits: aws.Int64(2)}
			name, _, err := createTable(ctx, t, c, &dynamodb.CreateTableInput{AttributeDefinitions: attrDefs("pk:S g:S"), KeySchema: keySchema("pk:S"),
				ProvisionedThroughput:  &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)},
				GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{ix}})
			if err != nil {
				return nil, err
			}
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Update: &types.UpdateGlobalSecondaryIndexAction{IndexName: aws.String("byG"),
					ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(2), WriteCapacityUnits: aws.Int64(3)}}}}}); err != nil {
				return nil, err
			}
			out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				return nil, err
			}
			g := out.Table.GlobalSecondaryIndexes[0].ProvisionedThroughput
			return fmt.Sprintf("table=%s index=%d/%d", shape(out.Table).Throughput, aws.ToInt64(g.ReadCapacityUnits), aws.ToInt64(g.WriteCapacityUnits)), nil
		}, want: "table=1/1 index=2/3"},
		// ack-api-quirks DDB-TABLE-135: a global index of a PAY_PER_REQUEST
		// table has request-unit limits of its own.
		{name: "UpdateTable sets an index's request-unit limits", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			in := onDemand("pk:S", "g:S")
			ix := gsi("byG", "g:S", "ALL")
			ix.OnDemandThroughput = &types.OnDemandThroughput{MaxReadRequestUnits: aws.Int64(50), MaxWriteRequestUnits: aws.Int64(50)}
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{ix}
			name, _, err := createTable(ctx, t, c, in)
			if err != nil {
				return nil, err
			}
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(name),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Update: &types.UpdateGlobalSecondaryIndexAction{IndexName: aws.String("byG"),
					OnDemandThroughput: &types.OnDemandThroughput{MaxReadRequestUnits: aws.Int64(5000)}}}}}); err != nil {
				return nil, err
			}
			out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				return nil, err
			}
			od := out.Table.GlobalSecondaryIndexes[0].OnDemandThroughput
			if od == nil {
				return "no OnDemandThroughput", nil
			}
			return fmt.Sprintf("table=%t index=%d/%d", out.Table.OnDemandThroughput != nil, aws.ToInt64(od.MaxReadRequestUnits), aws.ToInt64(od.MaxWriteRequestUnits)), nil
		}, want: "table=false index=5000/50"},
		// ack-api-quirks DDB-TABLE-134: an index created with its own WarmThroughput reports it.
		{name: "CreateTable takes an index's WarmThroughput", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			in := onDemand("pk:S", "g:S")
			ix := gsi("byG", "g:S", "ALL")
			ix.WarmThroughput = &types.WarmThroughput{ReadUnitsPerSecond: aws.Int64(13000), WriteUnitsPerSecond: aws.Int64(5000)}
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{ix}
			name, _, err := createTable(ctx, t, c, in)
			if err != nil {
				return nil, err
			}
			if err := waitWarm(ctx, c, name); err != nil {
				return nil, err
			}
			out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				return nil, err
			}
			w := out.Table.GlobalSecondaryIndexes[0].WarmThroughput
			return fmt.Sprintf("table=%s index=%d/%d", warmJS(out.Table.WarmThroughput), aws.ToInt64(w.ReadUnitsPerSecond), aws.ToInt64(w.WriteUnitsPerSecond)), nil
		}, want: "table=12000/4000 ACTIVE index=13000/5000"},
		// tags/basic.test.ts: adds tags to a table; lists tags and verifies they match what was
		// added; adds additional tags; removes specific tag keys with UntagResource; overwrites an
		// existing tag with the same key. ack-api-quirks DDB-TABLE-105 (untagging an absent key does
		// nothing), DDB-TABLE-106 (empty values and case-distinct keys), DDB-TABLE-110 (CreateTable's
		// Tags) and DDB-TABLE-108 (50 tags at most, after the merge). DynamoDB shows a change
		// about two seconds later, so each step waits for it.
		{name: "Tags of a table", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			in := onDemand("pk:S", "")
			in.Tags = []types.Tag{{Key: aws.String("created"), Value: aws.String("yes")}}
			_, out, err := createTable(ctx, t, c, in)
			if err != nil {
				return nil, err
			}
			arn := out.TableDescription.TableArn
			var got []string
			steps := []struct {
				tag   []types.Tag
				untag []string
				want  string
			}{
				{want: "created=yes"},
				{tag: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}, {Key: aws.String("project"), Value: aws.String("conformity")}},
					want: "created=yes env=test project=conformity"},
				{tag: []types.Tag{{Key: aws.String("team"), Value: aws.String("platform")}}, want: "created=yes env=test project=conformity team=platform"},
				{untag: []string{"team", "never-set"}, want: "created=yes env=test project=conformity"},
				{tag: []types.Tag{{Key: aws.String("env"), Value: aws.String("production")}, {Key: aws.String("Env"), Value: aws.String("")}},
					want: "Env= created=yes env=production project=conformity"},
			}
			for _, st := range steps {
				if st.tag != nil {
					if _, err := c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: arn, Tags: st.tag}); err != nil {
						return nil, err
					}
				}
				if st.untag != nil {
					if _, err := c.UntagResource(ctx, &dynamodb.UntagResourceInput{ResourceArn: arn, TagKeys: st.untag}); err != nil {
						return nil, err
					}
				}
				tags, err := waitTags(ctx, c, arn, st.want)
				if err != nil {
					return nil, err
				}
				got = append(got, tags)
			}
			// 46 more make 50; one more is refused, the 50 are kept.
			var more []types.Tag
			for i := range 46 {
				more = append(more, types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")})
			}
			if _, err := c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: arn, Tags: more}); err != nil {
				return nil, err
			}
			_, err = c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("one-too-many"), Value: aws.String("v")}}})
			got = append(got, apiErr(err))
			list, err := c.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: arn})
			if err != nil {
				return nil, err
			}
			return append(got, fmt.Sprintf("%d tags, next token %v", len(list.Tags), list.NextToken != nil)), nil
		}, want: []string{
			"created=yes",
			"created=yes env=test project=conformity",
			"created=yes env=test project=conformity team=platform",
			"created=yes env=test project=conformity",
			"Env= created=yes env=production project=conformity",
			"ValidationException: Number of Tags exceed the current limit for the provided ResourceArn",
			"50 tags, next token false",
		}},
		// ack-api-quirks DDB-TABLE-169: a 21st global index is LimitExceededException through
		// UpdateTable (CreateTable's limit is a ValidationException).
		{name: "UpdateTable refuses a 21st global index", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			in := onDemand("pk:S", "")
			for i := range 20 {
				a := fmt.Sprintf("g%d", i)
				in.AttributeDefinitions = append(in.AttributeDefinitions, attrDefs(a+":S")...)
				in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, gsi("ix"+a, a+":S", "KEYS_ONLY"))
			}
			name, _, err := createTable(ctx, t, c, in)
			if err != nil {
				return nil, err
			}
			ix := gsi("ixg20", "g20:S", "KEYS_ONLY")
			return c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(name), AttributeDefinitions: attrDefs("g20:S"),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection}}}})
		}, wantErr: "LimitExceededException: Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of 20"},
		// ack-api-quirks DDB-TABLE-134: DescribeTable reports WarmThroughput on the table and each
		// global index, 12,000/4,000 under PAY_PER_REQUEST and the provisioned units otherwise.
		// DDB-TABLE-155 and DDB-TABLE-153: a raise is kept, and survives a switch to PROVISIONED.
		{name: "DescribeTable reports WarmThroughput", run: func(ctx context.Context, t *testing.T, c *dynamodb.Client) (any, error) {
			warm := func(name string) (string, error) {
				out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
				if err != nil {
					return "", err
				}
				s := warmJS(out.Table.WarmThroughput)
				for _, g := range out.Table.GlobalSecondaryIndexes {
					s += " " + aws.ToString(g.IndexName) + "=" + func() string {
						if g.WarmThroughput == nil {
							return "<nil>"
						}
						return fmt.Sprintf("%d/%d %s", aws.ToInt64(g.WarmThroughput.ReadUnitsPerSecond), aws.ToInt64(g.WarmThroughput.WriteUnitsPerSecond), g.WarmThroughput.Status)
					}()
				}
				return s, nil
			}
			in := onDemand("pk:S", "g:S")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{gsi("byG", "g:S", "ALL")}
			ppr, _, err := createTable(ctx, t, c, in)
			if err != nil {
				return nil, err
			}
			ix := gsi("byG", "g:S", "ALL")
			ix.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}
			prov, _, err := createTable(ctx, t, c, &dynamodb.CreateTableInput{AttributeDefinitions: attrDefs("pk:S g:S"), KeySchema: keySchema("pk:S"),
				ProvisionedThroughput:  &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)},
				GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{ix}})
			if err != nil {
				return nil, err
			}
			var got []string
			for _, name := range []string{ppr, prov} {
				w, err := warm(name)
				if err != nil {
					return nil, err
				}
				got = append(got, w)
			}
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(ppr),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Update: &types.UpdateGlobalSecondaryIndexAction{IndexName: aws.String("byG"),
					WarmThroughput: &types.WarmThroughput{ReadUnitsPerSecond: aws.Int64(12001), WriteUnitsPerSecond: aws.Int64(4001)}}}}}); err != nil {
				return nil, err
			}
			if err := waitWarm(ctx, c, ppr); err != nil {
				return nil, err
			}
			if err := updateTable(ctx, t, c, &dynamodb.UpdateTableInput{TableName: aws.String(ppr), BillingMode: types.BillingModeProvisioned,
				ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(2), WriteCapacityUnits: aws.Int64(2)},
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Update: &types.UpdateGlobalSecondaryIndexAction{IndexName: aws.String("byG"),
					ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(2), WriteCapacityUnits: aws.Int64(2)}}}}}); err != nil {
				return nil, err
			}
			w, err := warm(ppr)
			return append(got, w), err
		}, want: []string{
			"12000/4000 ACTIVE byG=12000/4000 ACTIVE",
			"5/5 ACTIVE byG=1/1 ACTIVE",
			"12000/4000 ACTIVE byG=12001/4001 ACTIVE",
		}},
	}
}

func warmJS(w *types.TableWarmThroughputDescription) string {
	if w == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%d/%d %s", aws.ToInt64(w.ReadUnitsPerSecond), aws.ToInt64(w.WriteUnitsPerSecond), w.Status)
}

// waitWarm waits until the table's and its indexes' WarmThroughput are
// ACTIVE (DynamoDB takes minutes to raise it).
func waitWarm(ctx context.Context, c *dynamodb.Client, name string) error {
	for {
		out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			return err
		}
		ready := out.Table.WarmThroughput == nil || out.Table.WarmThroughput.Status == types.TableStatusActive
		for _, g := range out.Table.GlobalSecondaryIndexes {
			ready = ready && (g.WarmThroughput == nil || g.WarmThroughput.Status == types.IndexStatusActive)
		}
		if ready {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Second):
		}
	}
}

// waitTags lists the tags of arn, sorted as "k=v" and space separated,
// until they are want (DynamoDB shows a change about two seconds late) or
// 20 seconds have passed.
func waitTags(ctx context.Context, c *dynamodb.Client, arn *string, want string) (string, error) {
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := c.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: arn})
		if err != nil {
			return "", err
		}
		var kv []string
		for _, t := range out.Tags {
			kv = append(kv, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
		}
		sort.Strings(kv)
		got := strings.Join(kv, " ")
		if got == want || time.Now().After(deadline) {
			return got, nil
		}
		time.Sleep(500 * time.Millisecond)
	}
}
