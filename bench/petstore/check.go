package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/faasport/faasport/petstore"
)

// stockLine is the accounting of one hot product after the purchases.
type stockLine struct {
	id             string
	initial, final int
	stored         int // units in the Orders table
	acked          int // units in the orders the buyers were answered with
	violation      string
}

// checkStock reads the final stock of every hot product and every order
// in d's Orders table, and checks, for each product, that
//
//   - the final stock is not negative;
//   - initial − final equals the units of the product in the Orders table
//     (the transaction's stock decrement and order write went together);
//   - the units in the orders the buyers were answered with equal those
//     in the table (no acknowledged order lost, none placed unseen) —
//     or, when some purchases got no answer, are no more than those.
//
// It returns one line per hot product; those with a violation say which.
func checkStock(ctx context.Context, d *deployment, initial map[string]int, hot []string, acked map[string]int, ambiguous int) ([]stockLine, error) {
	stored := map[string]int{}
	p := dynamodb.NewScanPaginator(d.store, &dynamodb.ScanInput{
		TableName:      aws.String(petstore.OrdersTable),
		ConsistentRead: aws.Bool(true),
	})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: reading the orders: %w", d.name, err)
		}
		for _, item := range out.Items {
			lines, _ := item["lines"].(*types.AttributeValueMemberL)
			if lines == nil {
				return nil, fmt.Errorf("%s: an order without lines: %v", d.name, item)
			}
			for _, v := range lines.Value {
				m, _ := v.(*types.AttributeValueMemberM)
				if m == nil {
					return nil, fmt.Errorf("%s: an order line that is not a map: %v", d.name, v)
				}
				id, _ := m.Value["productId"].(*types.AttributeValueMemberS)
				q, _ := m.Value["quantity"].(*types.AttributeValueMemberN)
				if id == nil || q == nil {
					return nil, fmt.Errorf("%s: an order line without product or quantity: %v", d.name, m.Value)
				}
				n, err := strconv.Atoi(q.Value)
				if err != nil {
					return nil, fmt.Errorf("%s: quantity %q: %w", d.name, q.Value, err)
				}
				stored[id.Value] += n
			}
		}
	}
	var out []stockLine
	for _, id := range hot {
		got, err := d.store.GetItem(ctx, &dynamodb.GetItemInput{
			TableName:      aws.String(petstore.ProductsTable),
			Key:            map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}},
			ConsistentRead: aws.Bool(true),
		})
		if err != nil {
			return nil, fmt.Errorf("%s: reading %s: %w", d.name, id, err)
		}
		sv, _ := got.Item["stock"].(*types.AttributeValueMemberN)
		if sv == nil {
			return nil, fmt.Errorf("%s: %s has no stock attribute", d.name, id)
		}
		final, err := strconv.Atoi(sv.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: stock of %s %q: %w", d.name, id, sv.Value, err)
		}
		l := stockLine{id: id, initial: initial[id], final: final, stored: stored[id], acked: acked[id]}
		switch {
		case l.final < 0:
			l.violation = "negative stock"
		case l.initial-l.final != l.stored:
			l.violation = fmt.Sprintf("stock fell by %d, orders hold %d units", l.initial-l.final, l.stored)
		case ambiguous == 0 && l.acked != l.stored:
			l.violation = fmt.Sprintf("buyers were answered with %d units, orders hold %d", l.acked, l.stored)
		case l.acked > l.stored:
			l.violation = fmt.Sprintf("buyers were answered with %d units, orders hold only %d", l.acked, l.stored)
		}
		out = append(out, l)
	}
	// Orders of products outside the hot set would mean the buyers'
	// carts were misread.
	for id, n := range stored {
		if _, ok := initial[id]; !ok {
			out = append(out, stockLine{id: id, stored: n, violation: "ordered, but not a hot product"})
		}
	}
	return out, nil
}

func violations(lines []stockLine) int {
	n := 0
	for _, l := range lines {
		if l.violation != "" {
			n++
		}
	}
	return n
}
