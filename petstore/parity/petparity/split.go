package petparity

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/httpapi"
	"github.com/faasport/faasport/petstore/spa"
)

// SplitDriver drives the serverless split as its single-page app does,
// with the AWS SDK in place of the app's fetch calls:
//
//   - sign-up and sign-in go to the user pool (SignUp, InitiateAuth with
//     USER_PASSWORD_AUTH), and AWS credentials come from the identity
//     pool (guest or signed in);
//   - listings, product detail and the customer's orders are read
//     straight from the product store, signed with those credentials,
//     by the domain's own read code (petstore.Catalog, whose reads touch
//     only what the SPA's do);
//   - search and purchase go through the API gateway, purchase with the
//     ID token as a bearer token.
//
// It needs nothing but the app's configuration, so it drives the split
// on the emulator or on AWS alike.
type SplitDriver struct {
	cfg   spa.Config
	http  *http.Client
	idp   *cip.Client
	ident *cognitoidentity.Client

	mu    sync.Mutex
	guest *petstore.Catalog // made on first use
	subs  map[string]string // user pool sub by username, of users signed in
}

var _ Driver = (*SplitDriver)(nil)

// NewSplitDriver returns a driver for the split the app configuration
// cfg describes (such as split.Split.SPAConfig). client makes the
// requests to the API gateway; nil means http.DefaultClient.
func NewSplitDriver(cfg spa.Config, client *http.Client) *SplitDriver {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if client == nil {
		client = http.DefaultClient
	}
	d := &SplitDriver{cfg: cfg, http: client, subs: map[string]string{}}
	d.idp = cip.New(cip.Options{Region: cfg.Region, BaseEndpoint: d.endpoint(), Credentials: aws.AnonymousCredentials{}, HTTPClient: client})
	d.ident = cognitoidentity.New(cognitoidentity.Options{Region: cfg.Region, BaseEndpoint: d.endpoint(), Credentials: aws.AnonymousCredentials{}, HTTPClient: client})
	return d
}

// endpoint is the AWS endpoint of every service, nil for AWS's own.
func (d *SplitDriver) endpoint() *string {
	if d.cfg.AWSEndpoint == "" {
		return nil
	}
	return aws.String(d.cfg.AWSEndpoint)
}

type splitSession struct {
	user, sub, idToken string
	cat                *petstore.Catalog // reads with the identity pool's credentials
}

func (s *splitSession) Username() string { return s.user }

// SignUp implements [Driver]: the user pool's SignUp. The pool confirms
// users at once in the emulator's split.
func (d *SplitDriver) SignUp(ctx context.Context, user, password string) error {
	_, err := d.idp.SignUp(ctx, &cip.SignUpInput{
		ClientId: aws.String(d.cfg.ClientID),
		Username: aws.String(user),
		Password: aws.String(password),
	})
	return awsError(err)
}

// SignIn implements [Driver]: InitiateAuth, GetUser for the user's sub,
// and the identity pool's credentials for the ID token.
func (d *SplitDriver) SignIn(ctx context.Context, user, password string) (Session, error) {
	out, err := d.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       ciptypes.AuthFlowTypeUserPasswordAuth,
		ClientId:       aws.String(d.cfg.ClientID),
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": password},
	})
	if err != nil {
		return nil, awsError(err)
	}
	if out.AuthenticationResult == nil {
		return nil, faas.Errorf(faas.Unauthenticated, "petparity: sign-in asks for the challenge %s", out.ChallengeName)
	}
	s := &splitSession{user: user, idToken: aws.ToString(out.AuthenticationResult.IdToken)}
	u, err := d.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken})
	if err != nil {
		return nil, awsError(err)
	}
	for _, a := range u.UserAttributes {
		if aws.ToString(a.Name) == "sub" {
			s.sub = aws.ToString(a.Value)
		}
	}
	if s.cat, err = d.catalog(ctx, map[string]string{"cognito-idp." + d.cfg.Region + ".amazonaws.com/" + d.cfg.UserPoolID: s.idToken}); err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.subs[user] = s.sub
	d.mu.Unlock()
	return s, nil
}

// catalog returns a catalog reading the product store with the identity
// pool's credentials for logins (nil for a guest).
func (d *SplitDriver) catalog(ctx context.Context, logins map[string]string) (*petstore.Catalog, error) {
	id, err := d.ident.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(d.cfg.IdentityPoolID), Logins: logins})
	if err != nil {
		return nil, awsError(err)
	}
	out, err := d.ident.GetCredentialsForIdentity(ctx, &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
	if err != nil {
		return nil, awsError(err)
	}
	c := out.Credentials
	db := dynamodb.New(dynamodb.Options{
		Region:       d.cfg.Region,
		BaseEndpoint: d.endpoint(),
		HTTPClient:   d.http,
		Credentials: credentials.StaticCredentialsProvider{Value: aws.Credentials{
			AccessKeyID:     aws.ToString(c.AccessKeyId),
			SecretAccessKey: aws.ToString(c.SecretKey),
			SessionToken:    aws.ToString(c.SessionToken),
		}},
	})
	return petstore.New(db, nil), nil
}

// reader returns the catalog to read with for s: its own, or a guest's.
func (d *SplitDriver) reader(ctx context.Context, s Session) (*petstore.Catalog, error) {
	if ss, ok := s.(*splitSession); ok && ss != nil {
		return ss.cat, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.guest == nil {
		cat, err := d.catalog(ctx, nil)
		if err != nil {
			return nil, err
		}
		d.guest = cat
	}
	return d.guest, nil
}

// List implements [Driver], reading the product store as the SPA does.
func (d *SplitDriver) List(ctx context.Context, s Session, category string, page int) (petstore.Page, error) {
	cat, err := d.reader(ctx, s)
	if err != nil {
		return petstore.Page{}, err
	}
	return cat.List(ctx, petstore.Category(category), page, 0)
}

// Get implements [Driver], reading the product store as the SPA does.
func (d *SplitDriver) Get(ctx context.Context, s Session, id string) (petstore.Product, error) {
	cat, err := d.reader(ctx, s)
	if err != nil {
		return petstore.Product{}, err
	}
	return cat.Get(ctx, id)
}

// Search implements [Driver]: GET /api/search through the gateway.
func (d *SplitDriver) Search(ctx context.Context, _ Session, query string, page int) (petstore.Page, error) {
	q := url.Values{"q": {query}, "page": {strconv.Itoa(page)}}
	var p petstore.Page
	err := callJSON(ctx, d.http, http.MethodGet, d.api("/api/search?"+q.Encode()), nil, nil, &p)
	return p, err
}

// Purchase implements [Driver]: POST /api/purchase through the gateway,
// with the ID token when signed in.
func (d *SplitDriver) Purchase(ctx context.Context, s Session, items []petstore.LineItem, key string) (petstore.Order, error) {
	h := http.Header{}
	if ss, ok := s.(*splitSession); ok && ss != nil {
		h.Set("Authorization", "Bearer "+ss.idToken)
	}
	if key != "" {
		h.Set("Idempotency-Key", key)
	}
	var o petstore.Order
	err := callJSON(ctx, d.http, http.MethodPost, d.api("/api/purchase"), h, httpapi.PurchaseRequest{Items: items}, &o)
	return o, err
}

// Orders implements [Driver]: a Query of the Orders table with the
// customer's credentials, for the sub of ofUser when it is a user this
// driver signed in. A guest is asked to sign in (Unauthenticated)
// without a request, as the SPA does.
func (d *SplitDriver) Orders(ctx context.Context, s Session, ofUser string) ([]petstore.Order, error) {
	ss, ok := s.(*splitSession)
	if !ok || ss == nil {
		return nil, faas.Errorf(faas.Unauthenticated, "petparity: sign in to see orders")
	}
	sub := ss.sub
	if ofUser != "" && ofUser != ss.user {
		d.mu.Lock()
		other, known := d.subs[ofUser]
		d.mu.Unlock()
		if !known {
			other = ofUser // not a sub: the store refuses it as it would any other key
		}
		sub = other
	}
	return ss.cat.Orders(ctx, sub)
}

func (d *SplitDriver) api(path string) string {
	return strings.TrimRight(d.cfg.APIURL, "/") + path
}

// awsError gives an error of the auth service the kind of the monolith's
// answer to the same mistake.
func awsError(err error) error {
	if err == nil {
		return nil
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return &faas.Error{Kind: faas.Internal, Message: "petparity: " + err.Error(), Err: err}
	}
	k := faas.Internal
	switch ae.ErrorCode() {
	case "UsernameExistsException", "AliasExistsException":
		k = faas.Conflict
	case "InvalidPasswordException", "InvalidParameterException":
		k = faas.Invalid
	case "NotAuthorizedException", "UserNotFoundException", "PasswordResetRequiredException", "UserNotConfirmedException":
		k = faas.Unauthenticated
	case "AccessDeniedException":
		k = faas.Forbidden
	case "TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException":
		k = faas.TooManyRequests
	case "ResourceNotFoundException":
		k = faas.NotFound
	}
	return &faas.Error{Kind: k, Message: ae.ErrorCode() + ": " + ae.ErrorMessage(), Err: err}
}
