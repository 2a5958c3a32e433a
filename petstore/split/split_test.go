package split_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/emulatortest"
	"github.com/faasport/faasport/internal/awstest"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/httpapi"
	"github.com/faasport/faasport/petstore/spa"
	"github.com/faasport/faasport/petstore/split"
)

const password = "corr3ct-horse"

var testProducts = []petstore.Product{
	{ID: "fish-goldfish", Category: petstore.Fish, Name: "Fancy Goldfish", Description: "A hardy goldfish.", Price: 599, Stock: 5, Image: petstore.ImagePath("fish-goldfish")},
	{ID: "dog-puzzle-feeder", Category: petstore.Dogs, Name: "Puzzle Feeder", Description: "Hidden kibble.", Price: 2499, Stock: 0, Image: petstore.ImagePath("dog-puzzle-feeder")},
	{ID: "cat-catnip-mice", Category: petstore.Cats, Name: "Catnip Mice", Description: "Felt mice with catnip.", Price: 799, Stock: 70, Image: petstore.ImagePath("cat-catnip-mice")},
}

// env is a split started for a test, with clients of its services.
type env struct {
	t     *testing.T
	e     *emulator.Emulator
	s     *split.Split
	admin *dynamodb.Client
	idp   *cip.Client
	ident *cognitoidentity.Client
}

func start(t *testing.T) *env {
	t.Helper()
	opts, admin := split.Options("")
	opts.Auth.BcryptCost = bcrypt.MinCost
	e := emulatortest.New(t, opts)
	s, err := split.Start(context.Background(), e, &split.Config{Admin: admin, Products: testProducts})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &env{
		t:     t,
		e:     e,
		s:     s,
		admin: storeClient(s, admin),
		idp:   cip.New(cip.Options{Region: s.Region, BaseEndpoint: aws.String(s.AWSURL), Credentials: aws.AnonymousCredentials{}}),
		ident: cognitoidentity.New(cognitoidentity.Options{Region: s.Region, BaseEndpoint: aws.String(s.AWSURL), Credentials: aws.AnonymousCredentials{}}),
	}
}

func storeClient(s *split.Split, c aws.Credentials) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region: s.Region, BaseEndpoint: aws.String(s.AWSURL),
		Credentials: credentials.StaticCredentialsProvider{Value: c},
		Retryer:     awstest.Retryer(),
	})
}

// user is a signed-in customer.
type user struct {
	name, sub, idToken string
	db                 *dynamodb.Client // signed with the identity pool's credentials
}

// signUp signs name up, signs in, and gets the identity pool's
// credentials, as the single-page app does.
func (e *env) signUp(name string) *user {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(e.s.ClientID), Username: aws.String(name), Password: aws.String(password)}); err != nil {
		e.t.Fatalf("SignUp(%s): %v", name, err)
	}
	out, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(e.s.ClientID),
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password},
	})
	if err != nil {
		e.t.Fatalf("InitiateAuth(%s): %v", name, err)
	}
	u := &user{name: name, idToken: aws.ToString(out.AuthenticationResult.IdToken)}
	got, err := e.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken})
	if err != nil {
		e.t.Fatalf("GetUser(%s): %v", name, err)
	}
	for _, a := range got.UserAttributes {
		if aws.ToString(a.Name) == "sub" {
			u.sub = aws.ToString(a.Value)
		}
	}
	u.db = storeClient(e.s, e.identityCredentials(map[string]string{"cognito-idp." + e.s.Region + ".amazonaws.com/" + e.s.UserPoolID: u.idToken}))
	return u
}

// guest returns a store client signed with a guest's credentials.
func (e *env) guest() *dynamodb.Client {
	e.t.Helper()
	return storeClient(e.s, e.identityCredentials(nil))
}

func (e *env) identityCredentials(logins map[string]string) aws.Credentials {
	e.t.Helper()
	ctx := context.Background()
	id, err := e.ident.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(e.s.IdentityPoolID), Logins: logins})
	if err != nil {
		e.t.Fatalf("GetId: %v", err)
	}
	out, err := e.ident.GetCredentialsForIdentity(ctx, &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
	if err != nil {
		e.t.Fatalf("GetCredentialsForIdentity: %v", err)
	}
	c := out.Credentials
	return aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretKey), SessionToken: aws.ToString(c.SessionToken)}
}

// call makes a request to the API and returns the status and body.
func (e *env) call(method, path, token string, body any, header ...string) (int, []byte) {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, e.s.APIURL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, b
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return "unexpected: " + err.Error()
	}
	return ""
}

func ordersOf(sub string) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		TableName:                 aws.String(petstore.OrdersTable),
		KeyConditionExpression:    aws.String("userId = :u"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":u": &types.AttributeValueMemberS{Value: sub}},
	}
}

func (e *env) stock(id string) int {
	e.t.Helper()
	p, err := petstore.New(e.admin, nil).Get(context.Background(), id)
	if err != nil {
		e.t.Fatalf("Get(%s): %v", id, err)
	}
	return p.Stock
}

func TestSplit(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	alice, bob := e.signUp("alice"), e.signUp("bob")
	guest := e.guest()

	t.Run("guest and shopper read products", func(t *testing.T) {
		for name, db := range map[string]*dynamodb.Client{"guest": guest, "shopper": alice.db} {
			out, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(petstore.ProductsTable)})
			if err != nil {
				t.Errorf("%s: Scan Products: %v", name, err)
				continue
			}
			if out.Count != int32(len(testProducts)) {
				t.Errorf("%s: Scan Products: %d items, want %d", name, out.Count, len(testProducts))
			}
			pg, err := petstore.New(db, nil).List(ctx, petstore.Fish, 1, 0)
			if err != nil || len(pg.Products) != 1 {
				t.Errorf("%s: List(fish) = %+v, %v; want the goldfish", name, pg, err)
			}
		}
	})

	t.Run("guest reads no orders", func(t *testing.T) {
		_, err := guest.Query(ctx, ordersOf(alice.sub))
		if got := errorCode(err); got != "AccessDeniedException" {
			t.Errorf("guest Query Orders: %s, want AccessDeniedException", got)
		}
	})

	t.Run("search through the gateway", func(t *testing.T) {
		status, body := e.call("GET", "/api/search?q=goldfish", "", nil)
		if status != http.StatusOK {
			t.Fatalf("GET /api/search = %d %s, want 200", status, body)
		}
		pg := decode[petstore.Page](t, body)
		if len(pg.Products) != 1 || pg.Products[0].ID != "fish-goldfish" {
			t.Errorf("search goldfish = %+v, want the goldfish", pg)
		}
	})

	t.Run("catalog routes through the gateway", func(t *testing.T) {
		status, body := e.call("GET", "/api/products?category=cats", "", nil)
		if pg := decode[petstore.Page](t, body); status != 200 || pg.Total != 1 {
			t.Errorf("GET /api/products?category=cats = %d %s, want the one cat product", status, body)
		}
		status, body = e.call("GET", "/api/products/cat-catnip-mice", "", nil)
		if diff := cmp.Diff(testProducts[2], decode[petstore.Product](t, body)); status != 200 || diff != "" {
			t.Errorf("GET /api/products/cat-catnip-mice = %d (-want +got):\n%s", status, diff)
		}
		status, body = e.call("GET", "/api/products/no-such-thing", "", nil)
		if status != http.StatusNotFound {
			t.Errorf("GET /api/products/no-such-thing = %d %s, want 404", status, body)
		}
		status, body = e.call("GET", "/static/img/fish-goldfish.svg", "", nil)
		if status != 200 || !bytes.Contains(body, []byte("<svg")) {
			t.Errorf("GET /static/img/fish-goldfish.svg = %d %.80s, want an SVG", status, body)
		}
		// The orders route is not carved into any function: the SPA reads
		// orders from the store.
		if status, body = e.call("GET", "/api/orders", alice.idToken, nil); status != http.StatusNotFound {
			t.Errorf("GET /api/orders = %d %s, want 404", status, body)
		}
	})

	var order petstore.Order
	t.Run("purchase", func(t *testing.T) {
		req := httpapi.PurchaseRequest{Items: []petstore.LineItem{{ProductID: "fish-goldfish", Quantity: 2}}}
		status, body := e.call("POST", "/api/purchase", alice.idToken, req)
		if status != http.StatusOK {
			t.Fatalf("POST /api/purchase = %d %s, want 200", status, body)
		}
		order = decode[petstore.Order](t, body)
		want := petstore.Order{UserID: alice.sub, Lines: []petstore.OrderLine{{ProductID: "fish-goldfish", Name: "Fancy Goldfish", Quantity: 2, UnitPrice: 599}}, Total: 1198}
		if diff := cmp.Diff(want, order, cmp.FilterPath(func(p cmp.Path) bool {
			return p.String() == "ID" || p.String() == "CreatedAt"
		}, cmp.Ignore())); diff != "" {
			t.Errorf("order (-want +got):\n%s", diff)
		}
		if got := e.stock("fish-goldfish"); got != 3 {
			t.Errorf("goldfish stock after buying 2 of 5 = %d, want 3", got)
		}
	})

	t.Run("purchase needs a valid token", func(t *testing.T) {
		req := httpapi.PurchaseRequest{Items: []petstore.LineItem{{ProductID: "fish-goldfish", Quantity: 1}}}
		for _, tc := range []struct{ name, token string }{
			{"no token", ""},
			{"bad token", "not.a.jwt"},
			{"tampered token", alice.idToken[:len(alice.idToken)-4] + "AAAA"},
		} {
			if status, body := e.call("POST", "/api/purchase", tc.token, req); status != http.StatusUnauthorized {
				t.Errorf("%s: POST /api/purchase = %d %s, want 401", tc.name, status, body)
			}
		}
		if got := e.stock("fish-goldfish"); got != 3 {
			t.Errorf("goldfish stock after refused purchases = %d, want 3", got)
		}
	})

	t.Run("own orders from the store", func(t *testing.T) {
		out, err := alice.db.Query(ctx, ordersOf(alice.sub))
		if err != nil {
			t.Fatalf("alice Query own Orders: %v", err)
		}
		if len(out.Items) != 1 || out.Items[0]["orderId"].(*types.AttributeValueMemberS).Value != order.ID {
			t.Errorf("alice's orders = %v, want order %s", out.Items, order.ID)
		}
		orders, err := petstore.New(alice.db, nil).Orders(ctx, alice.sub)
		if err != nil || len(orders) != 1 || orders[0].ID != order.ID {
			t.Errorf("catalog Orders as alice = %+v, %v; want order %s", orders, err, order.ID)
		}
	})

	t.Run("another user's orders are refused", func(t *testing.T) {
		_, err := bob.db.Query(ctx, ordersOf(alice.sub))
		if got := errorCode(err); got != "AccessDeniedException" {
			t.Errorf("bob Query alice's Orders: %s, want AccessDeniedException", got)
		}
		_, err = bob.db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(petstore.OrdersTable)})
		if got := errorCode(err); got != "AccessDeniedException" {
			t.Errorf("bob Scan Orders: %s, want AccessDeniedException", got)
		}
	})

	t.Run("customers cannot write", func(t *testing.T) {
		_, err := alice.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 aws.String(petstore.ProductsTable),
			Key:                       map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "fish-goldfish"}},
			UpdateExpression:          aws.String("SET price = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberN{Value: "1"}},
		})
		if got := errorCode(err); got != "AccessDeniedException" {
			t.Errorf("alice UpdateItem Products: %s, want AccessDeniedException", got)
		}
		_, err = alice.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(petstore.OrdersTable),
			Item: map[string]types.AttributeValue{
				"userId": &types.AttributeValueMemberS{Value: alice.sub}, "orderId": &types.AttributeValueMemberS{Value: "free"},
			},
		})
		if got := errorCode(err); got != "AccessDeniedException" {
			t.Errorf("alice PutItem own Orders: %s, want AccessDeniedException", got)
		}
	})

	t.Run("out of stock", func(t *testing.T) {
		req := httpapi.PurchaseRequest{Items: []petstore.LineItem{{ProductID: "dog-puzzle-feeder", Quantity: 1}}}
		status, body := e.call("POST", "/api/purchase", bob.idToken, req)
		if status != http.StatusConflict {
			t.Fatalf("POST /api/purchase of an out-of-stock product = %d %s, want 409", status, body)
		}
		if got := decode[httpapi.ErrorBody](t, body).Error.Kind; got != "conflict" {
			t.Errorf("error kind = %q, want conflict", got)
		}
	})

	t.Run("idempotent retry", func(t *testing.T) {
		req := httpapi.PurchaseRequest{Items: []petstore.LineItem{{ProductID: "cat-catnip-mice", Quantity: 3}}}
		var ids []string
		for range 3 {
			status, body := e.call("POST", "/api/purchase", bob.idToken, req, "Idempotency-Key", "cart-42")
			if status != http.StatusOK {
				t.Fatalf("POST /api/purchase = %d %s, want 200", status, body)
			}
			ids = append(ids, decode[petstore.Order](t, body).ID)
		}
		if ids[0] != ids[1] || ids[1] != ids[2] {
			t.Errorf("order ids of three tries = %q, want one order", ids)
		}
		if got := e.stock("cat-catnip-mice"); got != 67 {
			t.Errorf("catnip mice stock after a purchase of 3 tried thrice = %d, want 67", got)
		}
		// The same key for another cart is a conflict.
		other := httpapi.PurchaseRequest{Items: []petstore.LineItem{{ProductID: "cat-catnip-mice", Quantity: 4}}}
		if status, body := e.call("POST", "/api/purchase", bob.idToken, other, "Idempotency-Key", "cart-42"); status != http.StatusConflict {
			t.Errorf("reused key for another cart = %d %s, want 409", status, body)
		}
	})
}

func TestSplitServesTheApp(t *testing.T) {
	e := start(t)
	resp, err := http.Get(e.s.SPAURL + "/config.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if diff := cmp.Diff(e.s.SPAConfig(), decode[spa.Config](t, b)); resp.StatusCode != 200 || diff != "" {
		t.Errorf("GET /config.json = %d (-want +got):\n%s", resp.StatusCode, diff)
	}
	if e.s.SPAConfig().APIURL != e.s.APIURL || e.s.SPAConfig().AWSEndpoint != e.s.AWSURL {
		t.Errorf("SPAConfig = %+v, want the API and the emulator", e.s.SPAConfig())
	}

	// The browser's preflight for a purchase from the app's origin.
	req, _ := http.NewRequest(http.MethodOptions, e.s.APIURL+"/api/purchase", nil)
	req.Header.Set("Origin", e.s.SPAURL)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
	pre, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pre.Body.Close()
	if got := pre.Header.Get("Access-Control-Allow-Origin"); got != e.s.SPAURL {
		t.Errorf("preflight from the app: Access-Control-Allow-Origin = %q, want %q", got, e.s.SPAURL)
	}
	if got := strings.ToLower(pre.Header.Get("Access-Control-Allow-Headers")); !strings.Contains(got, "idempotency-key") {
		t.Errorf("preflight: Access-Control-Allow-Headers = %q, want idempotency-key among them", got)
	}
	req.Header.Set("Origin", "http://evil.example")
	pre, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pre.Body.Close()
	if got := pre.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("preflight from another origin: Access-Control-Allow-Origin = %q, want none", got)
	}
}

func TestStartNeedsAdmin(t *testing.T) {
	opts, _ := split.Options("")
	opts.Auth.BcryptCost = bcrypt.MinCost
	e := emulatortest.New(t, opts)
	if _, err := split.Start(context.Background(), e, &split.Config{}); err == nil {
		t.Error("Start without Admin succeeded, want an error")
	}
}

func TestStartKeepsData(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for i, products := range [][]petstore.Product{testProducts, testProducts[:1]} {
		opts, admin := split.Options(dir)
		opts.Auth.BcryptCost = bcrypt.MinCost
		opts.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
		e, err := emulator.New(opts)
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		s, err := split.Start(ctx, e, &split.Config{Admin: admin, Products: products})
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		// The second start finds the products of the first, and does not
		// seed again.
		pg, err := petstore.New(storeClient(s, admin), nil).List(ctx, "", 1, 0)
		if err != nil || pg.Total != len(testProducts) {
			t.Errorf("start %d: List = %d products, %v; want %d", i, pg.Total, err, len(testProducts))
		}
		s.Close()
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFunctionRoles checks that each function's role allows its own work
// and nothing more.
func TestFunctionRoles(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	role := func(arn string) *dynamodb.Client {
		c, err := e.e.RoleCredentials(arn)
		if err != nil {
			t.Fatal(err)
		}
		return storeClient(e.s, c)
	}
	search, purchase := role(split.SearchRole), role(split.PurchaseRole)
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	orderKey := map[string]types.AttributeValue{"userId": s("someone"), "orderId": s("o1")}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"search scans products", func() error {
			_, err := search.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(petstore.ProductsTable)})
			return err
		}, ""},
		{"search writes a product", func() error {
			_, err := search.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(petstore.ProductsTable), Item: map[string]types.AttributeValue{"id": s("x")}})
			return err
		}, "AccessDeniedException"},
		{"search reads orders", func() error { _, err := search.Query(ctx, ordersOf("someone")); return err }, "AccessDeniedException"},
		{"purchase lists a user's orders", func() error { _, err := purchase.Query(ctx, ordersOf("someone")); return err }, "AccessDeniedException"},
		{"purchase reads an order by key", func() error {
			_, err := purchase.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(petstore.OrdersTable), Key: orderKey})
			return err
		}, ""},
		{"purchase reads a product", func() error {
			_, err := purchase.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(petstore.ProductsTable), Key: map[string]types.AttributeValue{"id": s("x")}})
			return err
		}, ""},
		{"purchase scans products", func() error {
			_, err := purchase.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(petstore.ProductsTable)})
			return err
		}, "AccessDeniedException"},
		{"purchase takes stock", func() error {
			_, err := purchase.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(petstore.ProductsTable), Key: map[string]types.AttributeValue{"id": s("x")},
				UpdateExpression: aws.String("SET stock = stock - :q"), ConditionExpression: aws.String("attribute_exists(id) AND price = :p"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":q": &types.AttributeValueMemberN{Value: "1"}, ":p": &types.AttributeValueMemberN{Value: "1"}}})
			return err
		}, "ConditionalCheckFailedException"}, // allowed; there is no product x
		{"purchase renames a product", func() error {
			_, err := purchase.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(petstore.ProductsTable), Key: map[string]types.AttributeValue{"id": s("x")},
				UpdateExpression: aws.String("SET #n = :n"), ExpressionAttributeNames: map[string]string{"#n": "name"},
				ExpressionAttributeValues: map[string]types.AttributeValue{":n": s("free fish")}})
			return err
		}, "AccessDeniedException"},
		{"purchase scans orders", func() error {
			_, err := purchase.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(petstore.OrdersTable)})
			return err
		}, "AccessDeniedException"},
		{"purchase deletes an order", func() error {
			_, err := purchase.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(petstore.OrdersTable), Key: orderKey})
			return err
		}, "AccessDeniedException"},
		{"purchase changes an order", func() error {
			_, err := purchase.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(petstore.OrdersTable), Key: orderKey,
				UpdateExpression: aws.String("SET #t = :z"), ExpressionAttributeNames: map[string]string{"#t": "total"}, ExpressionAttributeValues: map[string]types.AttributeValue{":z": &types.AttributeValueMemberN{Value: "0"}}})
			return err
		}, "AccessDeniedException"},
		{"purchase adds a product", func() error {
			_, err := purchase.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(petstore.ProductsTable), Item: map[string]types.AttributeValue{"id": s("x")}})
			return err
		}, "AccessDeniedException"},
		{"purchase drops a table", func() error {
			_, err := purchase.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(petstore.OrdersTable)})
			return err
		}, "AccessDeniedException"},
		{"purchase scans idempotency records", func() error {
			_, err := purchase.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(petstore.IdempotencyTable)})
			return err
		}, "AccessDeniedException"},
	}
	for _, tc := range tests {
		if got := errorCode(tc.call()); got != tc.want {
			t.Errorf("%s: error code %q, want %q", tc.name, got, tc.want)
		}
	}
}
