package spa_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/emulatortest"
	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/emulator/localdynamo"
	"github.com/faasport/faasport/petstore/spa"
	"github.com/faasport/faasport/verify"
)

// The shop the app test runs against. The tables and their keys are the
// pet store's (package petstore); the data is made here so that the test
// depends on the wire protocols only.
type testProduct struct {
	ID, Category, Name, Description string
	Price, Stock                    int
}

var testProducts = []testProduct{
	{"dog-beagle-puppy", "dogs", "Beagle puppy", "A curious hound.", 34999, 4},
	{"dog-chew-bone", "dogs", "Chew bone", "Lasts for days.", 799, 120},
	{"dog-leash", "dogs", "Leather leash", "Two metres, brass clip.", 2450, 30},
	{"dog-bed", "dogs", "Cosy dog bed", "Washable cover.", 5999, 0},
	{"dog-ball", "dogs", "Tennis balls", "A pack of three.", 499, 75},
	{"cat-tabby-kitten", "cats", "Tabby kitten", "Playful and purring.", 19999, 3},
	{"cat-scratcher", "cats", "Scratching post", "Sisal rope.", 3199, 12},
	{"cat-mouse-toy", "cats", "Catnip mouse", "Irresistible.", 350, 200},
	{"cat-litter", "cats", "Clumping litter", "10 kg.", 1299, 40},
	{"fish-goldfish", "fish", "Goldfish", "Bright orange.", 299, 50},
	{"fish-tank", "fish", "Aquarium tank", "60 litres.", 8999, 5},
	{"fish-flakes", "fish", "Fish flakes", "Daily food.", 450, 90},
	{"bird-budgie", "birds", "Budgie", "Chatty and blue.", 2999, 8},
	{"bird-cage", "birds", "Bird cage", "With two perches.", 6999, 6},
	{"small-hamster", "small-pets", "Syrian hamster", "Loves its wheel.", 1599, 10},
}

var publicAttributes = []string{"id", "category", "name", "description", "price", "stock", "image"}

const (
	testRegion      = "us-east-1"
	testUserPool    = "us-east-1_SpaTest01"
	testClient      = "spatestclient0000000000001"
	testIdentity    = "us-east-1:6f1d8a3e-1b2c-4d5e-8f90-a1b2c3d4e5f6"
	guestRole       = "arn:aws:iam::123456789012:role/petstore-guest"
	shopperRole     = "arn:aws:iam::123456789012:role/petstore-shopper"
	setupAccessKey  = "AKIASPATESTSETUP0001"
	purchasePath    = "/api/purchase"
	searchPageLimit = 12
)

type principalKey struct{}

// access is one product store access the policy allowed or denied.
type access struct {
	Action, Table, Index string
	Authenticated        bool
	Subject              string
	Denied               string
}

// shop is the serverless split as the app sees it, on one origin: the
// auth service and the product store of the emulator (DynamoDB requests
// checked with SigV4 against the identity pool's credentials, and
// decided by a policy like the split's), a stand-in API gateway for
// search and purchase, and the app itself.
type shop struct {
	t   *testing.T
	srv *httptest.Server
	db  *dynamodb.Client

	mu           sync.Mutex
	accesses     []access
	purchases    []purchaseRequest
	orders       map[string]map[string]any // by idempotency key
	stock        map[string]int
	dropAnswers  bool // answer purchases by closing the connection, after placing the order
	rejectTokens bool // answer purchases 401, as the gateway's authorizer does for a bad token
	orderSeq     int
}

type purchaseRequest struct {
	Subject        string
	Items          []purchaseItem `json:"items"`
	IdempotencyKey string         `json:"idempotencyKey"`
}

type purchaseItem struct {
	ProductID string `json:"productId"`
	Quantity  int    `json:"quantity"`
}

func newShop(t *testing.T) *shop {
	s := &shop{t: t, orders: map[string]map[string]any{}, stock: map[string]int{}}
	e := emulatortest.New(t, &emulator.Options{
		Region: testRegion,
		Auth: localcognito.Options{
			Pools: []localcognito.PoolConfig{{
				ID: testUserPool, Name: "spa-test", AutoConfirm: true,
				Clients: []localcognito.ClientConfig{{ID: testClient, Name: "spa"}},
			}},
			IdentityPools: []localcognito.IdentityPoolConfig{{
				ID: testIdentity, Name: "spa-test", AllowUnauthenticated: true,
				Providers:         []localcognito.IdentityProvider{{UserPoolID: testUserPool, ClientID: testClient}},
				AuthenticatedRole: shopperRole, UnauthenticatedRole: guestRole,
			}},
			BcryptCost: 4, // bcrypt.MinCost: the test signs up and in a few times
		},
		Store: localdynamo.Options{Authorizer: s.authorize},
	})
	s.db = dynamodb.NewFromConfig(aws.Config{
		Region:       testRegion,
		Credentials:  credentials.NewStaticCredentialsProvider(setupAccessKey, "setup-secret", ""),
		BaseEndpoint: aws.String(e.URL),
	})
	s.createTables()

	verifier := &verify.SigV4Verifier{Credentials: e.Auth, Service: "dynamodb", Region: testRegion}
	auth, store := e.Auth.Handler(), e.Store.Handler()
	mux := http.NewServeMux()
	var app http.Handler // set once the server's URL is known
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		target := r.Header.Get("X-Amz-Target")
		switch {
		case strings.HasPrefix(target, "AWSCognitoIdentityProviderService."), strings.HasPrefix(target, "AWSCognitoIdentityService."):
			auth.ServeHTTP(w, r)
		case strings.HasPrefix(target, "DynamoDB_20120810."):
			caller, err := verifier.Verify(r)
			if err != nil {
				var se *verify.SigV4Error
				code, msg := "UnrecognizedClientException", err.Error()
				if errors.As(err, &se) {
					code, msg = se.Code, se.Message
				}
				t.Errorf("the app's DynamoDB request failed SigV4 verification: %v", err)
				w.Header().Set("Content-Type", "application/x-amz-json-1.0")
				w.WriteHeader(http.StatusBadRequest)
				json.NewEncoder(w).Encode(map[string]string{"__type": "com.amazon.coral.service#" + code, "message": msg})
				return
			}
			p, _ := caller.Principal.(*localcognito.Principal)
			store.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
		default:
			app.ServeHTTP(w, r)
		}
	})
	mux.HandleFunc("GET /api/search", s.search)
	mux.HandleFunc("POST "+purchasePath, s.purchase)
	mux.HandleFunc("GET /static/img/{name}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><rect width="4" height="3" fill="#99f6e4"/><text x="2" y="2" font-size="1" text-anchor="middle">%s</text></svg>`,
			strings.TrimSuffix(r.PathValue("name"), ".svg")[:3])
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	app = spa.Handler(spa.Config{
		Region:         testRegion,
		AWSEndpoint:    s.srv.URL,
		APIURL:         s.srv.URL,
		UserPoolID:     testUserPool,
		ClientID:       testClient,
		IdentityPoolID: testIdentity,
	})
	return s
}

// authorize is the split's policy for the identity pool's roles: guests
// and shoppers may read the public product attributes; shoppers may read
// their own orders, the rows whose partition key is their user pool sub.
func (s *shop) authorize(ctx context.Context, a *localdynamo.Access) error {
	if a.Caller == setupAccessKey {
		return nil // the test's own setup, straight to the emulator
	}
	var p *localcognito.Principal
	if a.Request != nil {
		p, _ = a.Request.Context().Value(principalKey{}).(*localcognito.Principal)
	}
	rec := access{Action: a.Action, Table: a.Table, Index: a.Index}
	if p != nil {
		rec.Authenticated, rec.Subject = p.Authenticated, p.Subject
	}
	deny := func(reason string) error {
		rec.Denied = reason
		s.mu.Lock()
		s.accesses = append(s.accesses, rec)
		s.mu.Unlock()
		return &localdynamo.AccessDeniedError{Reason: reason}
	}
	read := a.Action == "dynamodb:Scan" || a.Action == "dynamodb:Query" || a.Action == "dynamodb:GetItem"
	switch {
	case p == nil:
		return deny("because the request was not signed with identity pool credentials")
	case a.Table == "Products" && read:
		if a.Attributes == nil {
			return deny("because dynamodb:Attributes must be limited to the public product attributes")
		}
		for _, attr := range a.Attributes {
			if !slices.Contains(publicAttributes, attr) {
				return deny("because attribute " + attr + " is not public")
			}
		}
	case a.Table == "Orders" && read && p.Authenticated:
		if len(a.LeadingKeys) != 1 || a.LeadingKeys[0] != p.Subject {
			return deny(fmt.Sprintf("because dynamodb:LeadingKeys %v is not the caller's sub", a.LeadingKeys))
		}
	default:
		return deny("because no identity-based policy allows the " + a.Action + " action")
	}
	s.mu.Lock()
	s.accesses = append(s.accesses, rec)
	s.mu.Unlock()
	return nil
}

func (s *shop) createTables() {
	t, ctx := s.t, context.Background()
	str := types.ScalarAttributeTypeS
	_, err := s.db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String("Products"),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("id"), AttributeType: str},
			{AttributeName: aws.String("category"), AttributeType: str},
			{AttributeName: aws.String("sortName"), AttributeType: str},
		},
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName: aws.String("category-index"),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String("category"), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String("sortName"), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
	})
	if err != nil {
		t.Fatalf("CreateTable Products: %v", err)
	}
	_, err = s.db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String("Orders"),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("userId"), AttributeType: str},
			{AttributeName: aws.String("orderId"), AttributeType: str},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("userId"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("orderId"), KeyType: types.KeyTypeRange},
		},
	})
	if err != nil {
		t.Fatalf("CreateTable Orders: %v", err)
	}
	for _, p := range testProducts {
		s.stock[p.ID] = p.Stock
		_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Products"), Item: map[string]types.AttributeValue{
			"id":          &types.AttributeValueMemberS{Value: p.ID},
			"category":    &types.AttributeValueMemberS{Value: p.Category},
			"name":        &types.AttributeValueMemberS{Value: p.Name},
			"description": &types.AttributeValueMemberS{Value: p.Description},
			"price":       &types.AttributeValueMemberN{Value: strconv.Itoa(p.Price)},
			"stock":       &types.AttributeValueMemberN{Value: strconv.Itoa(p.Stock)},
			"image":       &types.AttributeValueMemberS{Value: "/static/img/" + p.ID + ".svg"},
			// Attributes the public may not read, as the pet store's items have.
			"sortName": &types.AttributeValueMemberS{Value: strings.ToLower(p.Name) + "#" + p.ID},
			"search":   &types.AttributeValueMemberS{Value: strings.ToLower(p.Name + " " + p.Description)},
		}})
		if err != nil {
			t.Fatalf("PutItem %s: %v", p.ID, err)
		}
	}
}

func productJSON(p testProduct) map[string]any {
	return map[string]any{"id": p.ID, "category": p.Category, "name": p.Name, "description": p.Description,
		"price": p.Price, "stock": p.Stock, "image": "/static/img/" + p.ID + ".svg"}
}

// search stands in for the search function: GET /api/search?q=&page=.
func (s *shop) search(w http.ResponseWriter, r *http.Request) {
	q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("q")))
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	var hits []map[string]any
	for _, p := range testProducts {
		if q != "" && strings.Contains(strings.ToLower(p.Name+" "+p.Description), q) {
			hits = append(hits, productJSON(p))
		}
	}
	results := []map[string]any{}
	if start := (page - 1) * searchPageLimit; start < len(hits) {
		results = hits[start:min(start+searchPageLimit, len(hits))]
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"results": results, "page": page, "total": len(hits)})
}

func writeAPIError(w http.ResponseWriter, status int, kind, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"kind": kind, "message": msg}})
}

// jwtClaims decodes a JWT's claims without checking it: the stand-in
// gateway only tells ID tokens from others.
func jwtClaims(token string) map[string]any {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil
	}
	var c map[string]any
	json.Unmarshal(b, &c)
	return c
}

// purchase stands in for the purchase function: POST /api/purchase.
func (s *shop) purchase(w http.ResponseWriter, r *http.Request) {
	claims := jwtClaims(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	s.mu.Lock()
	reject := s.rejectTokens
	s.mu.Unlock()
	if reject || claims == nil || claims["token_use"] != "id" || claims["iss"] != "https://cognito-idp."+testRegion+".amazonaws.com/"+testUserPool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Unauthorized"}`)
		return
	}
	sub, _ := claims["sub"].(string)
	var req purchaseRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields() // the client never sends a price
	if err := dec.Decode(&req); err != nil {
		writeAPIError(w, http.StatusBadRequest, "invalid", "petstore: "+err.Error())
		return
	}
	req.Subject = sub
	s.mu.Lock()
	defer s.mu.Unlock()
	s.purchases = append(s.purchases, req)
	order, ok := s.orders[sub+"/"+req.IdempotencyKey]
	if !ok {
		total := 0
		var lines []types.AttributeValue
		var jsonLines []map[string]any
		for _, it := range req.Items {
			i := slices.IndexFunc(testProducts, func(p testProduct) bool { return p.ID == it.ProductID })
			if i < 0 {
				writeAPIError(w, http.StatusNotFound, "not_found", "petstore: there is no product "+it.ProductID)
				return
			}
			p := testProducts[i]
			if it.Quantity > s.stock[p.ID] {
				writeAPIError(w, http.StatusConflict, "conflict", fmt.Sprintf("Only %d of %s are left.", s.stock[p.ID], p.Name))
				return
			}
			total += it.Quantity * p.Price
			lines = append(lines, &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
				"productId": &types.AttributeValueMemberS{Value: p.ID},
				"name":      &types.AttributeValueMemberS{Value: p.Name},
				"quantity":  &types.AttributeValueMemberN{Value: strconv.Itoa(it.Quantity)},
				"price":     &types.AttributeValueMemberN{Value: strconv.Itoa(p.Price)},
			}})
			jsonLines = append(jsonLines, map[string]any{"productId": p.ID, "name": p.Name, "quantity": it.Quantity, "price": p.Price})
		}
		for _, it := range req.Items {
			s.stock[it.ProductID] -= it.Quantity
		}
		s.orderSeq++
		now := time.Now().UTC()
		orderID := fmt.Sprintf("%s-%04d", now.Format("20060102T150405.000Z"), s.orderSeq)
		_, err := s.db.PutItem(r.Context(), &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: map[string]types.AttributeValue{
			"userId":    &types.AttributeValueMemberS{Value: sub},
			"orderId":   &types.AttributeValueMemberS{Value: orderID},
			"createdAt": &types.AttributeValueMemberS{Value: now.Format(time.RFC3339)},
			"total":     &types.AttributeValueMemberN{Value: strconv.Itoa(total)},
			"lines":     &types.AttributeValueMemberL{Value: lines},
		}})
		if err != nil {
			writeAPIError(w, http.StatusInternalServerError, "internal", "petstore: internal error")
			s.t.Errorf("writing the order: %v", err)
			return
		}
		order = map[string]any{"orderId": orderID, "userId": sub, "createdAt": now.Format(time.RFC3339), "total": total, "lines": jsonLines}
		s.orders[sub+"/"+req.IdempotencyKey] = order
	}
	if s.dropAnswers {
		// The order is placed, but the answer is lost on the way. (Every
		// answer, until the test says otherwise: a browser resends a
		// request once by itself when a reused connection closes.)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"order": order})
}

func (s *shop) setDropAnswers(drop bool) {
	s.mu.Lock()
	s.dropAnswers = drop
	s.mu.Unlock()
}

func (s *shop) setRejectTokens(reject bool) {
	s.mu.Lock()
	s.rejectTokens = reject
	s.mu.Unlock()
}

func (s *shop) orderCount(sub string) int {
	out, err := s.db.Query(context.Background(), &dynamodb.QueryInput{
		TableName:                 aws.String("Orders"),
		KeyConditionExpression:    aws.String("userId = :u"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":u": &types.AttributeValueMemberS{Value: sub}},
	})
	if err != nil {
		s.t.Fatalf("Query Orders: %v", err)
	}
	return int(out.Count)
}

// --- Driving the page ---

// page drives the app in a browser tab.
type page struct {
	t *testing.T
	b *browser
}

func (p *page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression and decodes its value into v.
func eval[T any](p *page, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor waits until the JavaScript expression is truthy.
func (p *page) waitFor(what, expr string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.b.ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(15*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		p.t.Fatalf("waiting for %s (%s): %v\nroute %q, message %q", what, expr, err,
			eval[string](p, `document.documentElement.dataset.route || ''`),
			eval[string](p, `document.getElementById('message').textContent`))
	}
}

// act runs an action that leads to route and waits until the app has
// drawn it.
func (p *page) act(what, route string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	eval[any](p, `delete document.documentElement.dataset.route`)
	p.do(what, actions...)
	p.waitFor(what+" → "+route, fmt.Sprintf(`document.documentElement.dataset.route === %q && document.getElementById('view').getAttribute('aria-busy') === 'false'`, route))
}

// goTo navigates to a hash route and waits until it is drawn.
func (p *page) goTo(route string) {
	p.t.Helper()
	p.act("going to "+route, route, setHash(route))
}

// setHash sets location.hash, as following a link does.
func setHash(route string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](fmt.Sprintf(`location.hash = %q`, route))(ctx, t)
		return err
	})
}

func (p *page) text(sel string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`(document.querySelector(%q) || {textContent: '<no %s>'}).textContent.trim()`, sel, strings.ReplaceAll(sel, "'", "")))
}

func (p *page) texts(sel string) []string {
	p.t.Helper()
	return eval[[]string](p, fmt.Sprintf(`[...document.querySelectorAll(%q)].map((e) => e.textContent.trim())`, sel))
}

func (p *page) count(sel string) int {
	p.t.Helper()
	return eval[int](p, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

func (p *page) visible(sel string) bool {
	p.t.Helper()
	return eval[bool](p, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && !e.hidden && e.getClientRects().length > 0; })()`, sel))
}

func (p *page) click(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel))
}

// fill types value into the input sel, replacing what it held.
func (p *page) fill(sel, value string) chromedp.Action[chromedp.Void] {
	clear := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](fmt.Sprintf(`document.querySelector(%q).value = ''`, sel))(ctx, t)
		return err
	})
	return chromedp.Steps(clear, chromedp.SendKeys(chromedp.CSS(sel), value))
}

func (p *page) screenshot(name string) {
	dir := os.Getenv("SPA_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(p.b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 means PNG
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	if err != nil {
		p.t.Errorf("screenshot %s: %v", name, err)
	}
}

func (p *page) wantText(sel, want string) {
	p.t.Helper()
	if got := p.text(sel); got != want {
		p.t.Errorf("%s = %q, want %q", sel, got, want)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestApp runs the app in headless Chromium against the emulator's auth
// service and product store, with a stand-in API gateway: browsing,
// search, the cart, sign-up and sign-in, purchase (with a retry after a
// lost answer, and a refused one) and order history, checking the element
// contract documented in app.js along the way.
func TestApp(t *testing.T) {
	b := newBrowser(t)
	s := newShop(t)
	p := &page{t: t, b: b}

	// Home: a Scan of the Products table, 12 to a page, as a guest.
	p.act("opening the shop", "#/", chromedp.Navigate(s.srv.URL+"/"))
	p.waitFor("the app to start", `document.documentElement.dataset.ready === 'true'`)
	p.screenshot("home")
	if n := p.count("#product-grid .product-card"); n != 12 {
		t.Fatalf("home shows %d product cards, want 12", n)
	}
	page1 := eval[[]string](p, `[...document.querySelectorAll('.product-card')].map((c) => c.dataset.productId)`)
	for _, price := range p.texts(".product-card .product-price") {
		if !regexp.MustCompile(`^\$\d+\.\d\d$`).MatchString(price) {
			t.Errorf("card price %q is not like $12.34", price)
		}
	}
	img := eval[string](p, `document.querySelector('.product-card .product-image').src`)
	if !strings.HasPrefix(img, s.srv.URL+"/static/img/") {
		t.Errorf("card image %q is not served by the API at %s", img, s.srv.URL)
	}
	if p.count("#prev-page") != 0 || p.count("#next-page") != 1 {
		t.Errorf("page 1 has #prev-page ×%d, #next-page ×%d; want 0 and 1", p.count("#prev-page"), p.count("#next-page"))
	}
	p.wantText("#cart-count", "0")
	if !p.visible("#signin-link") || p.visible("#signout-button") {
		t.Errorf("a guest sees #signin-link %v, #signout-button %v; want true, false", p.visible("#signin-link"), p.visible("#signout-button"))
	}

	p.act("next page", "#/?page=2", p.click("#next-page"))
	page2 := eval[[]string](p, `[...document.querySelectorAll('.product-card')].map((c) => c.dataset.productId)`)
	all := append(append([]string(nil), page1...), page2...)
	sort.Strings(all)
	var want []string
	for _, tp := range testProducts {
		want = append(want, tp.ID)
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("pages 1 and 2 list (-want +got):\n%s", diff)
	}
	if p.count("#prev-page") != 1 || p.count("#next-page") != 0 {
		t.Errorf("page 2 has #prev-page ×%d, #next-page ×%d; want 1 and 0", p.count("#prev-page"), p.count("#next-page"))
	}

	// A category: a Query of category-index, in name order.
	p.act("the dogs category", "#/category/dogs", p.click(`#category-nav a[data-category="dogs"]`))
	if diff := cmp.Diff([]string{"Beagle puppy", "Chew bone", "Cosy dog bed", "Leather leash", "Tennis balls"}, p.texts(".product-card .product-name")); diff != "" {
		t.Errorf("dogs (-want +got):\n%s", diff)
	}
	if got := eval[string](p, `document.querySelector('#category-nav [aria-current="page"]').dataset.category`); got != "dogs" {
		t.Errorf("current category link = %q, want dogs", got)
	}
	p.wantText(".product-card[data-product-id=dog-bed] .product-stock", "Out of stock")

	// A product: GetItem.
	p.act("a product", "#/product/dog-beagle-puppy", p.click(`.product-card[data-product-id="dog-beagle-puppy"] a.product-link`))
	p.screenshot("product")
	p.wantText("#product-detail .product-name", "Beagle puppy")
	p.wantText("#product-detail .product-price", "$349.99")
	p.wantText("#product-detail .product-stock", "4 in stock")
	p.goTo("#/product/dog-bed")
	if !eval[bool](p, `document.getElementById('add-to-cart').disabled`) {
		t.Error("#add-to-cart is enabled for a product out of stock")
	}
	p.goTo("#/product/no-such-thing")
	if p.count("#not-found") != 1 {
		t.Error("an unknown product does not show #not-found")
	}

	// Search, through the API.
	p.act("searching", "#/search?q=goldfish", p.fill("#search-input", "goldfish"), p.click("#search-button"))
	if diff := cmp.Diff([]string{"fish-goldfish"}, eval[[]string](p, `[...document.querySelectorAll('.product-card')].map((c) => c.dataset.productId)`)); diff != "" {
		t.Errorf("search results (-want +got):\n%s", diff)
	}
	p.wantText("#search-summary", "1 product found.")
	p.goTo("#/search?q=zebra")
	if p.count("#no-products") != 1 {
		t.Error("a search with no results does not show #no-products")
	}

	// The cart.
	p.goTo("#/product/dog-beagle-puppy")
	p.do("adding 2 to the cart", p.fill("#quantity", "2"), p.click("#add-to-cart"))
	p.waitFor("the cart count", `document.getElementById('cart-count').textContent === '2'`)
	if got := eval[string](p, `document.getElementById('message').dataset.kind`); got != "success" {
		t.Errorf("#message kind after adding = %q, want success", got)
	}
	p.goTo("#/cart")
	p.wantText("#cart-total", "$699.98")
	p.wantText("#checkout-button", "Sign in to check out")
	p.act("checking out as a guest", "#/signin?next=%2Fcart", p.click("#checkout-button"))

	// Sign up: Cognito's own error message first, then an account.
	p.act("to sign-up", "#/signup?next=%2Fcart", p.click(`#signin-form a[href^="#/signup"]`))
	p.do("a weak password", p.fill("#signup-username", "alice"), p.fill("#signup-password", "password"), p.click("#signup-submit"))
	p.waitFor("the sign-up error", `document.getElementById('message').dataset.kind === 'error'`)
	if msg := p.text("#message"); !strings.Contains(msg, "Password did not conform with policy") {
		t.Errorf("#message after a weak password = %q, want Cognito's InvalidPasswordException message", msg)
	}
	p.act("signing up", "#/cart", p.fill("#signup-password", "Corr3ct-Horse"), p.click("#signup-submit"))
	p.wantText("#user-name", "Hi, alice")
	if !p.visible("#signout-button") || !p.visible("#orders-link") || p.visible("#signin-link") {
		t.Error("after signing in, the header does not show #signout-button and #orders-link instead of #signin-link")
	}
	session := eval[map[string]string](p, `JSON.parse(sessionStorage.getItem('petstore.session'))`)
	for _, k := range []string{"idToken", "accessToken", "refreshToken"} {
		if session[k] == "" {
			t.Errorf("sessionStorage has no %s", k)
		}
	}
	sub, _ := jwtClaims(session["idToken"])["sub"].(string)

	// Purchase. The first answer is lost after the order is placed; the
	// retry sends the same idempotency key and gets the same order.
	p.wantText("#checkout-button", "Place order")
	s.setDropAnswers(true)
	p.do("placing the order", p.click("#checkout-button"))
	p.waitFor("the network error", `document.getElementById('message').dataset.kind === 'error' && !document.getElementById('checkout-button').disabled`)
	s.setDropAnswers(false)
	p.wantText("#cart-count", "2")
	p.act("placing the order again", "#/orders", p.click("#checkout-button"))
	p.screenshot("orders")
	s.mu.Lock()
	purchases := append([]purchaseRequest(nil), s.purchases...)
	s.mu.Unlock()
	if len(purchases) < 2 {
		t.Fatalf("the API got %d purchases, want at least 2 (a lost one and a retry)", len(purchases))
	}
	for _, pr := range purchases {
		if pr.IdempotencyKey != purchases[0].IdempotencyKey || !uuidRE.MatchString(pr.IdempotencyKey) {
			t.Errorf("idempotency key %q, want the same UUID in every attempt (the first was %q)", pr.IdempotencyKey, purchases[0].IdempotencyKey)
		}
		if diff := cmp.Diff([]purchaseItem{{"dog-beagle-puppy", 2}}, pr.Items); diff != "" {
			t.Errorf("purchased items (-want +got):\n%s", diff)
		}
	}
	if n := s.orderCount(sub); n != 1 {
		t.Errorf("the Orders table has %d orders for the user, want 1", n)
	}
	if got := eval[string](p, `document.getElementById('message').dataset.kind`); got != "success" {
		t.Errorf("#message kind after the order = %q (%s), want success", got, p.text("#message"))
	}
	p.wantText("#cart-count", "0")
	if n := p.count("#order-list .order"); n != 1 {
		t.Fatalf("#order-list has %d orders, want 1", n)
	}
	p.wantText("#order-list .order .order-total", "$699.98")
	if diff := cmp.Diff([]string{"2 × Beagle puppy$349.99"}, p.texts("#order-list .order .order-line")); diff != "" {
		t.Errorf("order lines (-want +got):\n%s", diff)
	}

	// A purchase the store refuses: its message is shown, the cart kept.
	p.goTo("#/product/cat-tabby-kitten")
	p.do("adding a kitten", p.fill("#quantity", "3"), p.click("#add-to-cart"))
	p.goTo("#/cart")
	eval[any](p, `(() => { const i = document.querySelector('.cart-item[data-product-id="cat-tabby-kitten"] .cart-quantity'); i.value = '5'; i.dispatchEvent(new Event('change')); })()`)
	p.waitFor("the new quantity", `document.getElementById('cart-count').textContent === '5'`)
	p.do("ordering too many", p.click("#checkout-button"))
	p.waitFor("the conflict", `document.getElementById('message').dataset.kind === 'error'`)
	p.wantText("#message", "Only 3 of Tabby kitten are left.")
	p.wantText("#cart-count", "5")
	p.screenshot("conflict")

	// The gateway refuses the token: the session ends and the app asks
	// the user to sign in again, and back to the cart.
	s.setRejectTokens(true)
	p.act("checking out with a refused token", "#/signin?next=%2Fcart", p.click("#checkout-button"))
	s.setRejectTokens(false)
	p.wantText("#message", "Your session has ended. Please sign in again to check out.")
	if !p.visible("#signin-link") || p.visible("#user-name") {
		t.Error("after a 401, the header still shows the user")
	}
	p.do("a wrong password", p.fill("#signin-username", "alice"), p.fill("#signin-password", "Wrong-Horse1"), p.click("#signin-submit"))
	p.waitFor("the sign-in error", `document.getElementById('message').dataset.kind === 'error'`)
	p.wantText("#message", "Incorrect username or password.")
	p.act("signing in", "#/cart", p.fill("#signin-password", "Corr3ct-Horse"), p.click("#signin-submit"))
	p.wantText("#message", "Welcome back, alice.")
	p.wantText("#cart-count", "5")
	// An ID token past its expiry is renewed with the refresh token
	// (REFRESH_TOKEN_AUTH) before it is used.
	forged := eval[string](p, `(() => {
		const s = JSON.parse(sessionStorage.getItem('petstore.session'));
		const [head, payload, sig] = s.idToken.split('.');
		const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
		claims.exp = Math.floor(Date.now() / 1000) - 10;
		const b64 = btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
		s.idToken = [head, b64, sig].join('.');
		sessionStorage.setItem('petstore.session', JSON.stringify(s));
		sessionStorage.removeItem('petstore.credentials');
		return s.idToken;
	})()`)
	p.act("to the orders", "#/orders", p.click("#orders-link"))
	renewed := eval[string](p, `JSON.parse(sessionStorage.getItem('petstore.session')).idToken`)
	if exp, _ := jwtClaims(renewed)["exp"].(float64); renewed == forged || time.Unix(int64(exp), 0).Before(time.Now()) {
		t.Errorf("the expired ID token was not renewed (exp %v)", exp)
	}
	if n := p.count("#order-list .order"); n != 1 {
		t.Errorf("after signing in again, #order-list has %d orders, want 1", n)
	}

	// Sign out: the session is gone, and the orders page asks to sign in.
	p.act("signing out", "#/", p.click("#signout-button"))
	p.wantText("#message", "You are signed out.")
	if !p.visible("#signin-link") || p.visible("#user-name") || p.visible("#orders-link") {
		t.Error("after signing out, the header still shows the user")
	}
	if eval[string](p, `sessionStorage.getItem('petstore.session') || ''`) != "" {
		t.Error("signing out left the session in sessionStorage")
	}
	p.act("orders, signed out", "#/signin?next=%2Forders", setHash("#/orders"))
	p.wantText("#message", "Please sign in to see your orders.")

	// A deep link without a hash, served index.html by the SPA fallback,
	// becomes its route.
	p.act("a deep link", "#/cart", chromedp.Navigate(s.srv.URL+"/cart"))
	p.wantText("#cart-count", "5")

	// The store saw guests and the shopper where the policy expects them,
	// and refused nothing.
	s.mu.Lock()
	defer s.mu.Unlock()
	var guestScans, shopperOrderReads int
	for _, a := range s.accesses {
		if a.Denied != "" {
			t.Errorf("the store refused %s on %s (authenticated %v): %s", a.Action, a.Table, a.Authenticated, a.Denied)
		}
		if a.Action == "dynamodb:Scan" && !a.Authenticated {
			guestScans++
		}
		if a.Table == "Orders" && a.Authenticated && a.Subject == sub {
			shopperOrderReads++
		}
	}
	if guestScans == 0 || shopperOrderReads == 0 {
		t.Errorf("the store saw %d guest scans and %d order reads by the shopper; want some of each", guestScans, shopperOrderReads)
	}
	for _, line := range b.consoleLines() {
		if strings.HasPrefix(line, "exception") || strings.Contains(line, "Uncaught") || strings.Contains(line, "Content Security Policy") {
			t.Errorf("browser console: %s", line)
		}
	}
}
