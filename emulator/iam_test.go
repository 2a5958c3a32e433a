package emulator_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/emulator"
	"github.com/faasport/faasport/emulator/emulatortest"
	"github.com/faasport/faasport/emulator/localcognito"
	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/internal/awstest"
	"github.com/faasport/faasport/verify"
)

const (
	guestRole    = "arn:aws:iam::123456789012:role/guest"
	shopperRole  = "arn:aws:iam::123456789012:role/shopper"
	purchaseRole = "arn:aws:iam::123456789012:role/purchase"
	identityPool = "us-east-1:00000000-0000-4000-8000-000000000001"
)

// The pet store's rules: anyone may read product listings; a signed-in
// customer may read only their own orders; only the purchase function's
// role may write orders and stock.
var (
	readProducts = `{"Version":"2012-10-17","Statement":[{"Sid":"ReadProducts","Effect":"Allow",
		"Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:Scan","dynamodb:BatchGetItem"],
		"Resource":["arn:aws:dynamodb:us-east-1:123456789012:table/Products","arn:aws:dynamodb:us-east-1:123456789012:table/Products/index/*"]}]}`
	ownOrders = `{"Version":"2012-10-17","Statement":[{"Sid":"OwnOrders","Effect":"Allow",
		"Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:BatchGetItem"],
		"Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
		"Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${aws:PrincipalTag/username}"]}}}]}`
	writeOrders = `{"Version":"2012-10-17","Statement":[
		{"Sid":"Purchase","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:UpdateItem","dynamodb:ConditionCheckItem","dynamodb:Query"],
		 "Resource":["arn:aws:dynamodb:us-east-1:123456789012:table/Orders","arn:aws:dynamodb:us-east-1:123456789012:table/Products"]},
		{"Sid":"NoDeletes","Effect":"Deny","Action":"dynamodb:Delete*","Resource":"*"}]}`
)

func newIAMEmulator(t *testing.T) (*emulator.Emulator, *dynamodb.Client) {
	t.Helper()
	admin := verify.StaticCredentials{"AKIAADMIN": {SecretAccessKey: "admin-secret"}}
	e := emulatortest.New(t, &emulator.Options{
		Admin: admin,
		Roles: map[string][]string{
			guestRole:    {readProducts},
			shopperRole:  {readProducts, ownOrders},
			purchaseRole: {writeOrders},
		},
		Auth: shopAuth(),
	})
	db := storeClient(e, aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "admin-secret"})
	ctx := context.Background()
	for _, tbl := range []struct{ name, hash, rng string }{{"Products", "id", ""}, {"Orders", "userId", "orderId"}} {
		in := &dynamodb.CreateTableInput{
			TableName:   aws.String(tbl.name),
			BillingMode: dbtypes.BillingModePayPerRequest,
			AttributeDefinitions: []dbtypes.AttributeDefinition{
				{AttributeName: aws.String(tbl.hash), AttributeType: dbtypes.ScalarAttributeTypeS}},
			KeySchema: []dbtypes.KeySchemaElement{{AttributeName: aws.String(tbl.hash), KeyType: dbtypes.KeyTypeHash}},
		}
		if tbl.rng != "" {
			in.AttributeDefinitions = append(in.AttributeDefinitions, dbtypes.AttributeDefinition{AttributeName: aws.String(tbl.rng), AttributeType: dbtypes.ScalarAttributeTypeS})
			in.KeySchema = append(in.KeySchema, dbtypes.KeySchemaElement{AttributeName: aws.String(tbl.rng), KeyType: dbtypes.KeyTypeRange})
		}
		if _, err := db.CreateTable(ctx, in); err != nil {
			t.Fatalf("CreateTable %s as admin: %v", tbl.name, err)
		}
	}
	return e, db
}

// shopAuth is the shop's user pool and identity pool: signed-in customers
// act as the shopper role, guests as the guest role.
func shopAuth() localcognito.Options {
	return localcognito.Options{
		Pools: []localcognito.PoolConfig{{ID: poolID, Name: "shop", AutoConfirm: true,
			Clients: []localcognito.ClientConfig{{ID: clientID, Name: "web"}}}},
		IdentityPools: []localcognito.IdentityPoolConfig{{
			ID: identityPool, Name: "shop", AllowUnauthenticated: true,
			Providers:         []localcognito.IdentityProvider{{UserPoolID: poolID, ClientID: clientID}},
			AuthenticatedRole: shopperRole, UnauthenticatedRole: guestRole,
		}},
		BcryptCost: bcrypt.MinCost,
	}
}

func storeClient(e *emulator.Emulator, c aws.Credentials) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(e.URL),
		Credentials: credentials.StaticCredentialsProvider{Value: c},
		Retryer:     awstest.Retryer(),
	})
}

// identityCredentials signs in (when user is set) and returns the
// identity pool's credentials and the user pool sub.
func identityCredentials(t *testing.T, e *emulator.Emulator, user string) (aws.Credentials, string) {
	t.Helper()
	c, sub, _ := identity(t, e, user)
	return c, sub
}

// identity is identityCredentials, also returning the identity pool's
// identity id (the policy variable ${cognito-identity.amazonaws.com:sub}).
func identity(t *testing.T, e *emulator.Emulator, user string) (creds aws.Credentials, sub, identityID string) {
	t.Helper()
	ctx := context.Background()
	ident := cognitoidentity.New(cognitoidentity.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})
	in := &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(identityPool)}
	var logins map[string]string
	sub = ""
	if user != "" {
		idp := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})
		if _, err := idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String(user), Password: aws.String("Corr3ct-Horse!")}); err != nil {
			t.Fatal(err)
		}
		out, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": "Corr3ct-Horse!"}})
		if err != nil {
			t.Fatal(err)
		}
		u, err := idp.GetUser(ctx, &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range u.UserAttributes {
			if *a.Name == "sub" {
				sub = *a.Value
			}
		}
		logins = map[string]string{"cognito-idp.us-east-1.amazonaws.com/" + poolID: *out.AuthenticationResult.IdToken}
		in.Logins = logins
	}
	id, err := ident.GetId(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ident.GetCredentialsForIdentity(ctx, &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	return aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretKey, SessionToken: *c.SessionToken}, sub, *id.IdentityId
}

func s(v string) dbtypes.AttributeValue { return &dbtypes.AttributeValueMemberS{Value: v} }

func TestStorePolicies(t *testing.T) {
	e, admin := newIAMEmulator(t)
	ctx := context.Background()
	guestCreds, _ := identityCredentials(t, e, "")
	aliceCreds, alice := identityCredentials(t, e, "alice")
	purchaseCreds, err := e.RoleCredentials(purchaseRole)
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range []map[string]dbtypes.AttributeValue{
		{"id": s("p1"), "name": s("Goldfish")},
	} {
		if _, err := admin.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Products"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	for _, owner := range []string{alice, "someone-else"} {
		if _, err := admin.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"),
			Item: map[string]dbtypes.AttributeValue{"userId": s(owner), "orderId": s("o1")}}); err != nil {
			t.Fatal(err)
		}
	}
	guest, shopper, purchase := storeClient(e, guestCreds), storeClient(e, aliceCreds), storeClient(e, purchaseCreds)
	wrongSecret := storeClient(e, aws.Credentials{AccessKeyID: aliceCreds.AccessKeyID, SecretAccessKey: "nope", SessionToken: aliceCreds.SessionToken})
	unknownKey := storeClient(e, aws.Credentials{AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: "x"})

	ordersOf := func(user string) *dynamodb.QueryInput {
		return &dynamodb.QueryInput{TableName: aws.String("Orders"), KeyConditionExpression: aws.String("userId = :u"),
			ExpressionAttributeValues: map[string]dbtypes.AttributeValue{":u": s(user)}}
	}
	tests := []struct {
		name string
		call func() error
		want string // "" for allowed, else the error code
	}{
		{"guest reads products", func() error {
			_, err := guest.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Products")})
			return err
		}, ""},
		{"guest gets a product", func() error {
			_, err := guest.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Products"), Key: map[string]dbtypes.AttributeValue{"id": s("p1")}})
			return err
		}, ""},
		{"guest writes a product", func() error {
			_, err := guest.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Products"), Item: map[string]dbtypes.AttributeValue{"id": s("p2")}})
			return err
		}, "AccessDeniedException"},
		{"guest reads orders", func() error { _, err := guest.Query(ctx, ordersOf(alice)); return err }, "AccessDeniedException"},
		{"customer reads own orders", func() error { _, err := shopper.Query(ctx, ordersOf(alice)); return err }, ""},
		{"customer reads another user's orders", func() error { _, err := shopper.Query(ctx, ordersOf("someone-else")); return err }, "AccessDeniedException"},
		{"customer scans all orders", func() error {
			_, err := shopper.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Orders")})
			return err
		}, "AccessDeniedException"},
		{"customer batch-reads own and another's order", func() error {
			_, err := shopper.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]dbtypes.KeysAndAttributes{
				"Orders": {Keys: []map[string]dbtypes.AttributeValue{
					{"userId": s(alice), "orderId": s("o1")}, {"userId": s("someone-else"), "orderId": s("o1")}}}}})
			return err
		}, "AccessDeniedException"},
		{"customer writes an order", func() error {
			_, err := shopper.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: map[string]dbtypes.AttributeValue{"userId": s(alice), "orderId": s("o2")}})
			return err
		}, "AccessDeniedException"},
		{"customer changes stock", func() error {
			_, err := shopper.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("Products"), Key: map[string]dbtypes.AttributeValue{"id": s("p1")},
				UpdateExpression: aws.String("SET stock = :z"), ExpressionAttributeValues: map[string]dbtypes.AttributeValue{":z": &dbtypes.AttributeValueMemberN{Value: "0"}}})
			return err
		}, "AccessDeniedException"},
		{"purchase function writes order and stock in one transaction", func() error {
			_, err := purchase.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dbtypes.TransactWriteItem{
				{Put: &dbtypes.Put{TableName: aws.String("Orders"), Item: map[string]dbtypes.AttributeValue{"userId": s(alice), "orderId": s("o3")}}},
				{Update: &dbtypes.Update{TableName: aws.String("Products"), Key: map[string]dbtypes.AttributeValue{"id": s("p1")},
					UpdateExpression: aws.String("SET stock = :n"), ExpressionAttributeValues: map[string]dbtypes.AttributeValue{":n": &dbtypes.AttributeValueMemberN{Value: "9"}}}},
			}})
			return err
		}, ""},
		{"purchase function deletes an order (explicit deny)", func() error {
			_, err := purchase.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("Orders"), Key: map[string]dbtypes.AttributeValue{"userId": s(alice), "orderId": s("o3")}})
			return err
		}, "AccessDeniedException"},
		{"purchase function drops a table", func() error {
			_, err := purchase.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("Orders")})
			return err
		}, "AccessDeniedException"},
		{"wrong secret", func() error { _, err := wrongSecret.Query(ctx, ordersOf(alice)); return err }, "InvalidSignatureException"},
		{"unknown key", func() error {
			_, err := unknownKey.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Products")})
			return err
		}, "UnrecognizedClientException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			got := ""
			var ae smithy.APIError
			if errors.As(err, &ae) {
				got = ae.ErrorCode()
			} else if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tc.want {
				t.Fatalf("error code = %q (%v), want %q", got, err, tc.want)
			}
			if tc.want == "AccessDeniedException" && !strings.Contains(ae.ErrorMessage(), "is not authorized to perform: dynamodb:") {
				t.Errorf("message = %q, want AWS's access-denied wording", ae.ErrorMessage())
			}
		})
	}
}

func TestStoreRequiresSignatureWhenIAMIsOn(t *testing.T) {
	e, _ := newIAMEmulator(t)
	anon := dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}, Retryer: awstest.Retryer()})
	_, err := anon.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String("Products")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() == "" {
		t.Fatalf("unsigned Scan: err = %v, want an AWS error", err)
	}
}

// The endpoint's own refusals of store requests carry the CORS headers of
// the store's answers, so that a single-page app sees DynamoDB's error
// instead of an opaque network failure.
func TestStoreRefusalsAllowTheOrigin(t *testing.T) {
	e, _ := newIAMEmulator(t)
	const origin = "http://127.0.0.1:3000"
	tests := []struct {
		name, target, auth string
		wantType           string
	}{
		{"unsigned", "DynamoDB_20120810.Scan", "", "MissingAuthenticationTokenException"},
		{"malformed signature", "DynamoDB_20120810.Scan",
			"AWS4-HMAC-SHA256 Credential=AKIDNOTISSUED/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "IncompleteSignatureException"},
		{"no service", "NoSuchService.Op", "", "UnknownOperationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, e.URL+"/", strings.NewReader(`{"TableName":"Products"}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Origin", origin)
			req.Header.Set("X-Amz-Target", tt.target)
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			req.Header.Set("X-Amz-Date", "20260101T000000Z")
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := []string{strconv.Itoa(resp.StatusCode), resp.Header.Get("X-Amzn-Errortype"), resp.Header.Get("Access-Control-Allow-Origin")}
			if diff := cmp.Diff([]string{"400", tt.wantType, origin}, got); diff != "" {
				t.Errorf("[status, x-amzn-ErrorType, Access-Control-Allow-Origin] mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadRolePolicyIsRefused(t *testing.T) {
	_, err := emulator.New(&emulator.Options{Roles: map[string][]string{guestRole: {`{"Statement":[{"Effect":"Perhaps","Action":"*","Resource":"*"}]}`}}})
	if err == nil || !strings.Contains(err.Error(), guestRole) {
		t.Errorf("New with a malformed policy: err = %v, want an error naming the role", err)
	}
}

// TestGlobalConditionKeys checks the global condition keys a store
// request carries, which IAM puts in every request's context ("AWS global
// condition context keys"): each case is a role allowed GetItem under one
// condition, or, for "deny", allowed and then denied under it.
func TestGlobalConditionKeys(t *testing.T) {
	const table = "arn:aws:dynamodb:us-east-1:123456789012:table/Products"
	tests := []struct {
		name      string
		condition string
		deny      bool // the condition is on a Deny beside an unconditional Allow
		allowed   bool
	}{
		{"SecureTransport is false over plain HTTP", `{"Bool":{"aws:SecureTransport":"false"}}`, false, true},
		{"SecureTransport true is not met", `{"Bool":{"aws:SecureTransport":"true"}}`, false, false},
		{"deny without TLS", `{"Bool":{"aws:SecureTransport":"false"}}`, true, false},
		{"CurrentTime after 2000", `{"DateGreaterThan":{"aws:CurrentTime":"2000-01-01T00:00:00Z"}}`, false, true},
		{"CurrentTime after 2999 is not met", `{"DateGreaterThan":{"aws:CurrentTime":"2999-01-01T00:00:00Z"}}`, false, false},
		{"deny after a date gone by", `{"DateGreaterThan":{"aws:CurrentTime":"2000-01-01T00:00:00Z"}}`, true, false},
		{"EpochTime", `{"NumericGreaterThan":{"aws:EpochTime":"946684800"}}`, false, true},
		{"SourceIp on loopback", `{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}`, false, true},
		{"SourceIp elsewhere is not met", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, false, false},
		{"PrincipalArn is the role", `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/keys-ROLE"}}`, false, true},
		{"PrincipalType", `{"StringEquals":{"aws:PrincipalType":"AssumedRole"}}`, false, true},
		{"PrincipalAccount", `{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}`, false, true},
		// A role session's user id is the role's unique id and the
		// session's name, not the access key.
		{"userid is the role id", `{"StringLike":{"aws:userid":"AROA*:faasport"}}`, false, true},
		{"userid is not the access key", `{"StringLike":{"aws:userid":"ASIA*"}}`, false, false},
	}
	roles := map[string][]string{}
	roleOf := map[string]string{}
	for i, tc := range tests {
		role := "arn:aws:iam::123456789012:role/keys-" + strconv.Itoa(i)
		roleOf[tc.name] = role
		cond := strings.ReplaceAll(tc.condition, "keys-ROLE", "keys-"+strconv.Itoa(i))
		stmt := `{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"` + table + `","Condition":` + cond + `}`
		if tc.deny {
			stmt = `{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"` + table + `"},` +
				`{"Effect":"Deny","Action":"dynamodb:*","Resource":"*","Condition":` + cond + `}`
		}
		roles[role] = []string{`{"Version":"2012-10-17","Statement":[` + stmt + `]}`}
	}
	admin := verify.StaticCredentials{"AKIAADMIN": {SecretAccessKey: "admin-secret"}}
	e := emulatortest.New(t, &emulator.Options{Admin: admin, Roles: roles})
	ctx := context.Background()
	db := storeClient(e, aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "admin-secret"})
	createProducts(t, db)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			creds, err := e.RoleCredentials(roleOf[tc.name])
			if err != nil {
				t.Fatal(err)
			}
			_, err = storeClient(e, creds).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Products"), Key: map[string]dbtypes.AttributeValue{"id": s("p1")}})
			checkAllowed(t, err, tc.allowed)
		})
	}
}

// TestAttributePolicy runs the DynamoDB guide's "allow access to specific
// attributes" policy end to end: the role may read id and name of
// Products, and nothing it does may reveal, or test a guess about, the
// hidden cost attribute.
func TestAttributePolicy(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/catalog-reader"
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:Scan","dynamodb:BatchGetItem"],
		"Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/Products",
		"Condition":{"ForAllValues:StringEquals":{"dynamodb:Attributes":["id","name"]},
		             "StringEqualsIfExists":{"dynamodb:Select":"SPECIFIC_ATTRIBUTES"}}}]}`
	admin := verify.StaticCredentials{"AKIAADMIN": {SecretAccessKey: "admin-secret"}}
	e := emulatortest.New(t, &emulator.Options{Admin: admin, Roles: map[string][]string{role: {policy}}})
	ctx := context.Background()
	adminDB := storeClient(e, aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "admin-secret"})
	createProducts(t, adminDB)
	if _, err := adminDB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Products"),
		Item: map[string]dbtypes.AttributeValue{"id": s("p1"), "name": s("Bowl"), "cost": &dbtypes.AttributeValueMemberN{Value: "3"}}}); err != nil {
		t.Fatal(err)
	}
	creds, err := e.RoleCredentials(role)
	if err != nil {
		t.Fatal(err)
	}
	db := storeClient(e, creds)
	key := map[string]dbtypes.AttributeValue{"id": s("p1")}
	tests := []struct {
		name    string
		call    func() error
		allowed bool
	}{
		{"GetItem of the allowed attributes", func() error {
			_, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Products"), Key: key, ProjectionExpression: aws.String("id, #n"), ExpressionAttributeNames: map[string]string{"#n": "name"}})
			return err
		}, true},
		{"GetItem of every attribute", func() error {
			_, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Products"), Key: key})
			return err
		}, false},
		{"GetItem of the hidden attribute", func() error {
			_, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Products"), Key: key, ProjectionExpression: aws.String("cost")})
			return err
		}, false},
		{"Scan of every attribute", func() error {
			_, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Products")})
			return err
		}, false},
		{"Scan filtering on the hidden attribute", func() error {
			_, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Products"), ProjectionExpression: aws.String("id"),
				FilterExpression: aws.String("cost > :c"), ExpressionAttributeValues: map[string]dbtypes.AttributeValue{":c": &dbtypes.AttributeValueMemberN{Value: "1"}}})
			return err
		}, false},
		{"Scan of the allowed attributes", func() error {
			_, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Products"), ProjectionExpression: aws.String("id")})
			return err
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkAllowed(t, tc.call(), tc.allowed)
		})
	}
}

// createProducts creates the table Products (hash key id) through db, an
// administrator's client.
func createProducts(t *testing.T, db *dynamodb.Client) {
	t.Helper()
	if _, err := db.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName: aws.String("Products"), BillingMode: dbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []dbtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: dbtypes.ScalarAttributeTypeS}},
		KeySchema:            []dbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: dbtypes.KeyTypeHash}},
	}); err != nil {
		t.Fatal(err)
	}
}

// checkAllowed fails t unless err, a store call's error, is nil when
// allowed is set and AccessDeniedException otherwise.
func checkAllowed(t *testing.T, err error, allowed bool) {
	t.Helper()
	var ae smithy.APIError
	denied := errors.As(err, &ae) && ae.ErrorCode() == "AccessDeniedException"
	if err != nil && !denied {
		t.Fatal(err)
	}
	if denied == allowed {
		t.Errorf("allowed = %v (%v), want %v", !denied, err, allowed)
	}
}

// Emulator.HTTPClient reaches the endpoint in process with its checks:
// the administrator's key may do anything, a signed-in customer may read
// only the orders under their own identity (the policy variable
// ${cognito-identity.amazonaws.com:sub}), and an unsigned request is
// refused as over HTTP.
func TestInProcessClientEnforcesPolicies(t *testing.T) {
	const ownOrdersBySub = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query"],
		"Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
		"Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${cognito-identity.amazonaws.com:sub}"]}}}]}`
	admin := verify.StaticCredentials{"AKIAADMIN": {SecretAccessKey: "admin-secret"}}
	e := emulatortest.New(t, &emulator.Options{
		Admin: admin,
		Roles: map[string][]string{guestRole: {readProducts}, shopperRole: {ownOrdersBySub}},
		Auth:  shopAuth(),
	})
	client := func(c aws.Credentials) *dynamodb.Client {
		return dynamodb.New(dynamodb.Options{
			Region: "us-east-1", BaseEndpoint: aws.String("http://emulator.invalid"),
			Credentials: credentials.StaticCredentialsProvider{Value: c}, Retryer: awstest.Retryer(),
			HTTPClient: e.HTTPClient(),
		})
	}
	ctx := context.Background()
	adminDB := client(aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "admin-secret"})
	if _, err := adminDB.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("Orders"), BillingMode: dbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []dbtypes.AttributeDefinition{
			{AttributeName: aws.String("identityId"), AttributeType: dbtypes.ScalarAttributeTypeS},
			{AttributeName: aws.String("orderId"), AttributeType: dbtypes.ScalarAttributeTypeS}},
		KeySchema: []dbtypes.KeySchemaElement{
			{AttributeName: aws.String("identityId"), KeyType: dbtypes.KeyTypeHash},
			{AttributeName: aws.String("orderId"), KeyType: dbtypes.KeyTypeRange}},
	}); err != nil {
		t.Fatalf("CreateTable as admin in process: %v", err)
	}
	// The identity pool's identity id is what the policy variable holds.
	creds, _, id := identity(t, e, "ana")
	for _, o := range []struct{ owner, order string }{{id, "o-1"}, {"us-east-1:someone-else", "o-2"}} {
		if _, err := adminDB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: map[string]dbtypes.AttributeValue{
			"identityId": &dbtypes.AttributeValueMemberS{Value: o.owner}, "orderId": &dbtypes.AttributeValueMemberS{Value: o.order}}}); err != nil {
			t.Fatalf("PutItem as admin: %v", err)
		}
	}
	ana := client(creds)
	get := func(c *dynamodb.Client, owner, order string) string {
		_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Orders"), Key: map[string]dbtypes.AttributeValue{
			"identityId": &dbtypes.AttributeValueMemberS{Value: owner}, "orderId": &dbtypes.AttributeValueMemberS{Value: order}}})
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode()
		}
		if err != nil {
			return err.Error()
		}
		return "ok"
	}
	got := []string{
		get(ana, id, "o-1"),
		get(ana, "us-east-1:someone-else", "o-2"),
		get(client(aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "wrong"}), id, "o-1"),
		get(adminDB, "us-east-1:someone-else", "o-2"),
	}
	want := []string{"ok", "AccessDeniedException", "InvalidSignatureException", "ok"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("[own order, another's, bad secret, admin] mismatch (-want +got):\n%s", diff)
	}
}

// With IAM on, the Lambda Invoke API asks for a signature and
// lambda:InvokeFunction, as Lambda does: the gateway's functions cannot be
// called around the gateway and its authorizer.
func TestInvokeAPIRequiresPermission(t *testing.T) {
	const invokerRole = "arn:aws:iam::123456789012:role/invoker"
	admin := verify.StaticCredentials{"AKIAADMIN": {SecretAccessKey: "admin-secret"}}
	e := emulatortest.New(t, &emulator.Options{
		Admin: admin,
		Roles: map[string][]string{
			guestRole: {readProducts},
			invokerRole: {`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction",
				"Resource":"arn:aws:lambda:us-east-1:123456789012:function:public"}]}`},
		},
		Auth: shopAuth(),
	})
	for _, name := range []string{"public", "purchase"} {
		if err := e.Register(faas.Config{Name: name}, faas.FunctionFunc(func(_ context.Context, p []byte) ([]byte, error) { return p, nil })); err != nil {
			t.Fatal(err)
		}
	}
	guest, _, _ := identity(t, e, "")
	invokerCreds, err := e.RoleCredentials(invokerRole)
	if err != nil {
		t.Fatal(err)
	}
	client := func(c aws.CredentialsProvider) *lambda.Client {
		return lambda.New(lambda.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.URL), Credentials: c, Retryer: awstest.Retryer()})
	}
	static := func(c aws.Credentials) aws.CredentialsProvider {
		return credentials.StaticCredentialsProvider{Value: c}
	}
	tests := []struct {
		name     string
		creds    aws.CredentialsProvider
		function string
		want     string // "ok", or the error code
	}{
		{"administrator", static(aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "admin-secret"}), "purchase", "ok"},
		{"allowed role", static(invokerCreds), "public", "ok"},
		{"allowed role, other function", static(invokerCreds), "purchase", "AccessDeniedException"},
		{"identity pool guest", static(guest), "purchase", "AccessDeniedException"},
		{"wrong secret", static(aws.Credentials{AccessKeyID: "AKIAADMIN", SecretAccessKey: "guess"}), "purchase", "InvalidSignatureException"},
		{"unknown key", static(aws.Credentials{AccessKeyID: "AKIDNOBODY", SecretAccessKey: "x"}), "purchase", "UnrecognizedClientException"},
		{"unsigned", aws.AnonymousCredentials{}, "purchase", "MissingAuthenticationTokenException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := client(tt.creds).Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String(tt.function), Payload: []byte(`{"n":1}`)})
			got := "ok"
			var ae smithy.APIError
			switch {
			case errors.As(err, &ae):
				got = ae.ErrorCode()
			case err != nil:
				got = err.Error()
			case string(out.Payload) != `{"n":1}`:
				got = "payload " + string(out.Payload)
			}
			if got != tt.want {
				t.Errorf("Invoke(%s) = %s, want %s", tt.function, got, tt.want)
			}
			if tt.want == "AccessDeniedException" && !strings.Contains(ae.ErrorMessage(), "is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:"+tt.function) {
				t.Errorf("message %q, want AWS's wording", ae.ErrorMessage())
			}
		})
	}
}
