package main

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/faasport/faasport/petstore"
)

// TestSmall runs the whole benchmark in small, on both deployments: 100
// products, a few searches and purchases bounded by count rather than
// time, and the oversell check.
func TestSmall(t *testing.T) {
	cfg := config{
		Products:      100,
		SearchWorkers: 2,
		SearchRounds:  2,
		SearchRound:   time.Minute, // MaxOps ends the rounds
		Buyers:        4,

		PurchaseRounds: 2,
		PurchaseRound:  time.Minute,
		Scarce:         []int{4, 7},
		Plenty:         1,
		PlentyStock:    1000,

		MaxOps:  5,
		Timeout: 10 * time.Second,
		Out:     t.Output(),
		Log:     slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"split", "monolith"} {
		s := rep.search[name]
		if want := cfg.SearchWorkers * cfg.SearchRounds * cfg.MaxOps; s.ok != want || len(s.errs) > 0 {
			t.Errorf("%s: %d searches succeeded, want %d; errors: %v", name, s.ok, want, s.errs)
		}
		p := rep.purchase[name]
		if want := cfg.Buyers * cfg.PurchaseRounds * cfg.MaxOps; p.ok+p.soldOut != want || len(p.errs) > 0 {
			t.Errorf("%s: %d purchases placed and %d sold out, want %d in all; errors: %v", name, p.ok, p.soldOut, want, p.errs)
		}
		// 40 purchases of 1 to 3 units (some of two products) must
		// sell out 4 and 7 units.
		if p.ok == 0 || p.soldOut == 0 {
			t.Errorf("%s: %d purchases placed, %d sold out; want some of each", name, p.ok, p.soldOut)
		}
		lines := rep.stock[name]
		if len(lines) != len(cfg.Scarce)+cfg.Plenty {
			t.Errorf("%s: checked %d products, want %d", name, len(lines), len(cfg.Scarce)+cfg.Plenty)
		}
		for _, l := range lines {
			if l.violation != "" {
				t.Errorf("%s: %s: %s", name, l.id, l.violation)
			}
		}
	}
}

// TestCheckStockCatchesOversell checks that the oversell check fails on
// a store whose stock and orders disagree.
func TestCheckStockCatchesOversell(t *testing.T) {
	ctx := context.Background()
	products := petstore.GenerateCatalog(3, 1)
	cfg := config{Scarce: []int{2, 5}, Plenty: 1, PlentyStock: 10}
	hot, initial := hotProducts(cfg, products)
	d, err := startMonolith(ctx, products, http.DefaultTransport, slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()

	lines, err := checkStock(ctx, d, initial, hot, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := violations(lines); n != 0 {
		t.Fatalf("before any change: %d violations, want 0: %+v", n, lines)
	}

	// Take a unit of the second product without an order, and drive the
	// first below zero.
	for _, c := range []struct {
		id string
		by int
	}{{hot[1], 1}, {hot[0], 3}} {
		_, err := d.store.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 aws.String(petstore.ProductsTable),
			Key:                       map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: c.id}},
			UpdateExpression:          aws.String("SET stock = stock - :q"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":q": &types.AttributeValueMemberN{Value: strconv.Itoa(c.by)}},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	lines, err = checkStock(ctx, d, initial, hot, map[string]int{hot[2]: 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range lines {
		got[l.id] = l.violation
	}
	for id, want := range map[string]string{
		hot[0]: "negative stock",
		hot[1]: "stock fell by 1, orders hold 0 units",
		hot[2]: "buyers were answered with 1 units, orders hold 0",
	} {
		if got[id] != want {
			t.Errorf("violation of %s = %q, want %q", id, got[id], want)
		}
	}
}
