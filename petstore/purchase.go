package petstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/faasport/faasport/faas"
)

// Limits on purchases.
const (
	// MaxQuantity is the most units of one product an order may hold.
	MaxQuantity = 99
	// MaxLineItems is the most distinct products an order may hold.
	MaxLineItems = 25
	// MaxIdempotencyKeyLen is the longest idempotency key Purchase
	// accepts, in bytes.
	MaxIdempotencyKeyLen = 128
	// IdempotencyWindow is how long an idempotency key is remembered.
	// A retry after that is a new purchase.
	IdempotencyWindow = 24 * time.Hour
)

// LineItem is a product and a quantity the caller wants to buy. It
// carries no price: prices come from the store.
type LineItem struct {
	ProductID string `json:"productId"`
	Quantity  int    `json:"quantity"`
}

// OrderLine is a line of an [Order]: a product, how many units, and the
// price per unit charged.
type OrderLine struct {
	ProductID string `json:"productId"`
	Name      string `json:"name"`
	Quantity  int    `json:"quantity"`
	UnitPrice Cents  `json:"unitPrice"`
}

// Subtotal returns the line's price: quantity times unit price.
func (l OrderLine) Subtotal() Cents { return Cents(l.Quantity) * l.UnitPrice }

// Order is a purchase, or the quote of one ([Catalog.Quote]), which has
// no ID, user or time.
type Order struct {
	ID        string      `json:"id"` // sorts by the time the order was placed
	UserID    string      `json:"userId"`
	Lines     []OrderLine `json:"lines"`
	Total     Cents       `json:"total"`
	CreatedAt time.Time   `json:"createdAt"`
}

// Items returns the order's lines as line items, for comparing an order
// with the cart it was bought from.
func (o Order) Items() []LineItem {
	items := make([]LineItem, len(o.Lines))
	for i, l := range o.Lines {
		items[i] = LineItem{ProductID: l.ProductID, Quantity: l.Quantity}
	}
	return items
}

// normalizeCart checks items and merges lines for the same product, in
// the order products first appear.
func normalizeCart(items []LineItem) ([]LineItem, error) {
	if len(items) == 0 {
		return nil, faas.Errorf(faas.Invalid, "petstore: the cart is empty")
	}
	var cart []LineItem
	for _, it := range items {
		if !validID(it.ProductID) {
			return nil, faas.Errorf(faas.NotFound, "petstore: there is no product %q", truncate(it.ProductID, 80))
		}
		if it.Quantity < 1 || it.Quantity > MaxQuantity {
			return nil, faas.Errorf(faas.Invalid, "petstore: the quantity of %s must be 1 to %d, not %d", it.ProductID, MaxQuantity, it.Quantity)
		}
		i := slices.IndexFunc(cart, func(l LineItem) bool { return l.ProductID == it.ProductID })
		if i < 0 {
			cart = append(cart, it)
			continue
		}
		cart[i].Quantity += it.Quantity
		if cart[i].Quantity > MaxQuantity {
			return nil, faas.Errorf(faas.Invalid, "petstore: an order may hold at most %d of %s", MaxQuantity, it.ProductID)
		}
	}
	if len(cart) > MaxLineItems {
		return nil, faas.Errorf(faas.Invalid, "petstore: an order may hold at most %d different products, not %d", MaxLineItems, len(cart))
	}
	return cart, nil
}

// fingerprint identifies a normalized cart regardless of its lines'
// order, for telling a retry from a different purchase under the same
// idempotency key.
func fingerprint(cart []LineItem) string {
	lines := make([]string, len(cart))
	for i, l := range cart {
		lines[i] = l.ProductID + "*" + strconv.Itoa(l.Quantity)
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, ",")))
	return hex.EncodeToString(sum[:])
}

// Quote prices items at the store's current prices without buying them:
// the order that [Catalog.Purchase] would place now, with no ID, user or
// time. Lines for the same product are merged. It fails as Purchase does
// for an empty cart, a quantity out of range or an unknown product; it
// does not check the stock.
func (c *Catalog) Quote(ctx context.Context, items []LineItem) (Order, error) {
	cart, err := normalizeCart(items)
	if err != nil {
		return Order{}, err
	}
	return c.quote(ctx, cart)
}

func (c *Catalog) quote(ctx context.Context, cart []LineItem) (Order, error) {
	ids := make([]string, len(cart))
	for i, l := range cart {
		ids[i] = l.ProductID
	}
	found, err := c.getProducts(ctx, ids, true)
	if err != nil {
		return Order{}, err
	}
	var o Order
	for _, l := range cart {
		p, ok := found[l.ProductID]
		if !ok {
			return Order{}, faas.Errorf(faas.NotFound, "petstore: there is no product %q", l.ProductID)
		}
		line := OrderLine{ProductID: p.ID, Name: p.Name, Quantity: l.Quantity, UnitPrice: p.Price}
		o.Lines = append(o.Lines, line)
		o.Total += line.Subtotal()
	}
	return o, nil
}

// Purchase buys items for the user userID and returns the order placed.
//
// Prices come from the store, never from the caller. The stock of every
// product is decremented and the order written in one transaction, which
// fails as a whole when any product has too few units left: that is a
// [faas.Conflict], and nothing changes. Concurrent purchases never sell
// more units than there are.
//
// idempotencyKey makes retries safe: a purchase retried by the same user
// with the same key and the same items (in any order) returns the order
// the first attempt placed, and charges once. The same key with
// different items is a [faas.Conflict]. Keys are remembered for
// [IdempotencyWindow]. An empty key means the purchase is not to be
// deduplicated.
//
// An empty userID is [faas.Unauthenticated]; an empty cart, a quantity
// outside 1 to [MaxQuantity] or an over-long key is [faas.Invalid]; an
// unknown product is [faas.NotFound].
func (c *Catalog) Purchase(ctx context.Context, userID string, items []LineItem, idempotencyKey string) (Order, error) {
	if userID == "" {
		return Order{}, faas.Errorf(faas.Unauthenticated, "petstore: sign in to buy")
	}
	if len(userID) > 512 {
		return Order{}, faas.Errorf(faas.Invalid, "petstore: the user id is too long")
	}
	cart, err := normalizeCart(items)
	if err != nil {
		return Order{}, err
	}
	if err := checkIdempotencyKey(idempotencyKey); err != nil {
		return Order{}, err
	}
	if idempotencyKey == "" {
		idempotencyKey = "auto-" + c.randomHex(16)
	}
	rec := idempotencyRecord{
		key:     userID + "#" + idempotencyKey,
		userID:  userID,
		cart:    fingerprint(cart),
		idemKey: idempotencyKey,
	}
	// A retry of a purchase already made is answered from its record,
	// without pricing the cart again.
	if o, ok, err := c.replay(ctx, rec); ok || err != nil {
		return o, err
	}
	const attempts = 4
	for attempt := 1; ; attempt++ {
		o, retry, err := c.tryPurchase(ctx, cart, rec)
		if !retry || attempt == attempts {
			if retry {
				return Order{}, faas.Errorf(faas.TooManyRequests, "petstore: the store is busy; try the purchase again shortly")
			}
			return o, err
		}
		if err := sleep(ctx, time.Duration(attempt*attempt)*10*time.Millisecond); err != nil {
			return Order{}, dbError(ctx, "purchase", err)
		}
	}
}

func checkIdempotencyKey(k string) error {
	if len(k) > MaxIdempotencyKeyLen {
		return faas.Errorf(faas.Invalid, "petstore: an idempotency key may be at most %d characters long", MaxIdempotencyKeyLen)
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return faas.Errorf(faas.Invalid, "petstore: an idempotency key may hold printable ASCII characters only")
		}
	}
	return nil
}

// idempotencyRecord is an item of the Idempotency table: which order a
// user's idempotency key placed, and for which cart.
type idempotencyRecord struct {
	key     string // userID + "#" + idemKey: keys are scoped per user
	userID  string
	idemKey string
	cart    string // fingerprint of the normalized cart
	orderID string
}

// tryPurchase makes one attempt at the purchase transaction. retry
// reports a failure worth another attempt: a transaction conflict, or a
// price that changed between the quote and the transaction.
func (c *Catalog) tryPurchase(ctx context.Context, cart []LineItem, rec idempotencyRecord) (o Order, retry bool, err error) {
	o, err = c.quote(ctx, cart)
	if err != nil {
		return Order{}, false, err
	}
	now := c.now()
	o.ID = c.newOrderID(now)
	o.UserID = rec.userID
	o.CreatedAt = now.UTC()
	rec.orderID = o.ID

	tx := make([]types.TransactWriteItem, 0, len(o.Lines)+2)
	for _, l := range o.Lines {
		tx = append(tx, types.TransactWriteItem{Update: &types.Update{
			TableName:           aws.String(ProductsTable),
			Key:                 productKey(l.ProductID),
			UpdateExpression:    aws.String("SET stock = stock - :q"),
			ConditionExpression: aws.String("attribute_exists(id) AND stock >= :q AND price = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":q": attrN(l.Quantity),
				":p": attrN(l.UnitPrice),
			},
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}})
	}
	tx = append(tx,
		types.TransactWriteItem{Put: &types.Put{
			TableName:           aws.String(OrdersTable),
			Item:                orderItem(o, rec.idemKey),
			ConditionExpression: aws.String("attribute_not_exists(orderId)"),
		}},
		types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(IdempotencyTable),
			Item: map[string]types.AttributeValue{
				attrKey:     attrS(rec.key),
				attrUserID:  attrS(rec.userID),
				attrOrderID: attrS(rec.orderID),
				attrCart:    attrS(rec.cart),
				attrExpires: attrN(now.Add(IdempotencyWindow).Unix()),
			},
			// "key" is a reserved word. An expired record may linger
			// (DynamoDB deletes them within days), and does not count.
			ConditionExpression:       aws.String("attribute_not_exists(#k) OR expiresAt <= :now"),
			ExpressionAttributeNames:  map[string]string{"#k": attrKey},
			ExpressionAttributeValues: map[string]types.AttributeValue{":now": attrN(now.Unix())},
		}},
	)
	_, err = c.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	if err == nil {
		return o, false, nil
	}
	var canceled *types.TransactionCanceledException
	if !errors.As(err, &canceled) {
		return Order{}, isConflict(err), dbError(ctx, "purchase", err)
	}
	reasons := canceled.CancellationReasons
	code := func(i int) string {
		if i < len(reasons) {
			return aws.ToString(reasons[i].Code)
		}
		return ""
	}
	// The idempotency record exists: another attempt with this key won,
	// perhaps a moment ago. Its order is the answer.
	if code(len(tx)-1) == "ConditionalCheckFailed" {
		o, ok, err := c.replay(ctx, rec)
		if err == nil && !ok {
			// The record expired between the transaction and the read.
			return Order{}, true, nil
		}
		return o, false, err
	}
	for i, l := range o.Lines {
		if code(i) != "ConditionalCheckFailed" {
			continue
		}
		if reasons[i].Item == nil {
			return Order{}, false, faas.Errorf(faas.NotFound, "petstore: there is no product %q", l.ProductID)
		}
		p := productFromItem(reasons[i].Item)
		if p.Price != l.UnitPrice {
			return Order{}, true, nil // quote again at the new price
		}
		if p.Stock <= 0 {
			return Order{}, false, faas.Errorf(faas.Conflict, "petstore: %s is out of stock", p.Name)
		}
		return Order{}, false, faas.Errorf(faas.Conflict, "petstore: only %d of %s left in stock, not %d", p.Stock, p.Name, l.Quantity)
	}
	for i := range tx {
		if code(i) == "TransactionConflict" {
			return Order{}, true, nil
		}
	}
	return Order{}, false, dbError(ctx, "purchase", err)
}

func isConflict(err error) bool {
	var tc *types.TransactionConflictException
	return errors.As(err, &tc)
}

// replay returns the order that rec's idempotency key placed, if it did:
// ok reports whether the key was used. A key used for another cart is a
// [faas.Conflict].
func (c *Catalog) replay(ctx context.Context, rec idempotencyRecord) (o Order, ok bool, err error) {
	out, err := c.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(IdempotencyTable),
		Key:            map[string]types.AttributeValue{attrKey: attrS(rec.key)},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Order{}, false, dbError(ctx, "read idempotency record", err)
	}
	if out.Item == nil || getN(out.Item, attrExpires) <= c.now().Unix() {
		// DynamoDB deletes expired items within days, not at once.
		return Order{}, false, nil
	}
	if getS(out.Item, attrUserID) != rec.userID || getS(out.Item, attrCart) != rec.cart {
		return Order{}, true, faas.Errorf(faas.Conflict, "petstore: the idempotency key %q was already used for a different order", rec.idemKey)
	}
	orderID := getS(out.Item, attrOrderID)
	got, err := c.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(OrdersTable),
		Key:            map[string]types.AttributeValue{attrUserID: attrS(rec.userID), attrOrderID: attrS(orderID)},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Order{}, true, dbError(ctx, "read order "+orderID, err)
	}
	if got.Item == nil {
		return Order{}, true, &faas.Error{Kind: faas.Internal, Err: errors.New("petstore: idempotency record names missing order " + orderID)}
	}
	return orderFromItem(got.Item), true, nil
}

// Orders returns the orders of the user userID, newest first. An empty
// userID is [faas.Unauthenticated].
func (c *Catalog) Orders(ctx context.Context, userID string) ([]Order, error) {
	if userID == "" {
		return nil, faas.Errorf(faas.Unauthenticated, "petstore: sign in to see your orders")
	}
	p := dynamodb.NewQueryPaginator(c.db, &dynamodb.QueryInput{
		TableName:                 aws.String(OrdersTable),
		KeyConditionExpression:    aws.String("userId = :u"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":u": attrS(userID)},
		ScanIndexForward:          aws.Bool(false),
	})
	orders := []Order{}
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, dbError(ctx, "list orders", err)
		}
		for _, item := range out.Items {
			orders = append(orders, orderFromItem(item))
		}
	}
	return orders, nil
}

// newOrderID returns an order id that sorts by t: the UTC time to the
// microsecond, then random digits against collisions.
func (c *Catalog) newOrderID(t time.Time) string {
	return t.UTC().Format("20060102T150405.000000Z") + "-" + c.randomHex(4)
}

func (c *Catalog) randomHex(n int) string {
	b := make([]byte, n)
	c.random(b)
	return hex.EncodeToString(b)
}

func orderItem(o Order, idemKey string) map[string]types.AttributeValue {
	lines := make([]types.AttributeValue, len(o.Lines))
	for i, l := range o.Lines {
		lines[i] = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
			"productId":  attrS(l.ProductID),
			attrName:     attrS(l.Name),
			attrQuantity: attrN(l.Quantity),
			"unitPrice":  attrN(l.UnitPrice),
		}}
	}
	return map[string]types.AttributeValue{
		attrUserID:  attrS(o.UserID),
		attrOrderID: attrS(o.ID),
		attrLines:   &types.AttributeValueMemberL{Value: lines},
		attrTotal:   attrN(o.Total),
		attrCreated: attrS(o.CreatedAt.UTC().Format(time.RFC3339Nano)),
		attrIdemKey: attrS(idemKey),
	}
}

func orderFromItem(item map[string]types.AttributeValue) Order {
	o := Order{
		ID:     getS(item, attrOrderID),
		UserID: getS(item, attrUserID),
		Total:  Cents(getN(item, attrTotal)),
	}
	o.CreatedAt, _ = time.Parse(time.RFC3339Nano, getS(item, attrCreated))
	if l, ok := item[attrLines].(*types.AttributeValueMemberL); ok {
		for _, v := range l.Value {
			m, ok := v.(*types.AttributeValueMemberM)
			if !ok {
				continue
			}
			o.Lines = append(o.Lines, OrderLine{
				ProductID: getS(m.Value, "productId"),
				Name:      getS(m.Value, attrName),
				Quantity:  int(getN(m.Value, attrQuantity)),
				UnitPrice: Cents(getN(m.Value, "unitPrice")),
			})
		}
	}
	return o
}
