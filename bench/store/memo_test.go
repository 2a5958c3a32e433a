package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/faasport/faasport/emulator/localdynamo"
)

// TestMemoGetItem checks the -floor target's handler: a repeated GetItem
// gets the store's first answer without reaching the store, and every
// other request, and every error, still does.
func TestMemoGetItem(t *testing.T) {
	ctx := context.Background()
	s, err := localdynamo.Open(filepath.Join(t.TempDir(), "store.db"), &localdynamo.Options{TTLSweepInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var reached atomic.Int64 // requests that reached the store
	store := s.Handler()
	srv := httptest.NewServer(newMemoGetItem(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		store.ServeHTTP(w, r)
	})))
	defer srv.Close()
	c := newClient(srv.URL, loopbackHTTP(2))
	if err := createTables(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := seed(ctx, c, small); err != nil {
		t.Fatal(err)
	}
	get := func(table string, i int) (*dynamodb.GetItemOutput, error) {
		return c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table),
			Key: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: productID(i)}}})
	}
	ignore := cmpopts.IgnoreUnexported(dynamodb.GetItemOutput{}, types.AttributeValueMemberS{}, types.AttributeValueMemberN{}, types.AttributeValueMemberSS{})

	tests := []struct {
		name        string
		call        func() (*dynamodb.GetItemOutput, error)
		wantItem    int   // the product GetItem returns; -1 for none
		wantReached int64 // requests reaching the store
		wantErr     bool
	}{
		{"first GetItem of a key", func() (*dynamodb.GetItemOutput, error) { return get(productsTable, 7) }, 7, 1, false},
		{"the same GetItem again", func() (*dynamodb.GetItemOutput, error) { return get(productsTable, 7) }, 7, 0, false},
		{"another key", func() (*dynamodb.GetItemOutput, error) { return get(productsTable, 8) }, 8, 1, false},
		{"a PutItem", func() (*dynamodb.GetItemOutput, error) {
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(productsTable), Item: product(9)})
			return nil, err
		}, -1, 1, false},
		{"a GetItem on a missing table", func() (*dynamodb.GetItemOutput, error) { return get("missing", 7) }, -1, 1, true},
		{"the failed GetItem again", func() (*dynamodb.GetItemOutput, error) { return get("missing", 7) }, -1, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := reached.Load()
			out, err := tt.call()
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got := reached.Load() - before; got != tt.wantReached {
				t.Errorf("%d requests reached the store, want %d", got, tt.wantReached)
			}
			if tt.wantItem < 0 {
				return
			}
			if diff := cmp.Diff(product(tt.wantItem), out.Item, ignore); diff != "" {
				t.Errorf("item (-want +got):\n%s", diff)
			}
		})
	}
}
