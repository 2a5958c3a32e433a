package monolith

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/faasport/faasport/faas"
	"golang.org/x/crypto/bcrypt"
)

// UsersTable is the monolith's own table of accounts: hash key username,
// with the user id, the bcrypt hash of the password and the time the
// account was made. The serverless split has no such table: its users
// live in the auth service.
const UsersTable = "Users"

// Schema returns the definition of [UsersTable], for deployments that
// create tables ahead of time. [New] creates it when it is missing.
func Schema() []*dynamodb.CreateTableInput {
	return []*dynamodb.CreateTableInput{{
		TableName:   aws.String(UsersTable),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("username"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("username"), KeyType: types.KeyTypeHash},
		},
	}}
}

// Limits on accounts.
const (
	MinUsernameLen = 3
	MaxUsernameLen = 32
	MinPasswordLen = 8
	// MaxPasswordLen is bcrypt's limit: it ignores bytes past the 72nd,
	// so longer passwords are refused rather than silently cut.
	MaxPasswordLen = 72
)

type user struct {
	ID       string
	Username string
}

type users struct {
	db   *dynamodb.Client
	cost int
	now  func() time.Time
	// dummy is a hash to compare against for unknown usernames, so that
	// a failed sign-in takes as long whether or not the user exists.
	dummy []byte
}

func newUsers(db *dynamodb.Client, cost int) (*users, error) {
	dummy, err := bcrypt.GenerateFromPassword([]byte("not a real password 1"), cost)
	if err != nil {
		return nil, err
	}
	return &users{db: db, cost: cost, now: time.Now, dummy: dummy}, nil
}

// normalizeUsername lower-cases and trims a typed username, so that
// "Alice " signs in as alice.
func normalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func checkUsername(name string) error {
	if len(name) < MinUsernameLen || len(name) > MaxUsernameLen {
		return faas.Errorf(faas.Invalid, "A username has %d to %d characters.", MinUsernameLen, MaxUsernameLen)
	}
	for _, c := range name {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return faas.Errorf(faas.Invalid, "A username may hold only lowercase letters, digits, _ and -.")
		}
	}
	return nil
}

func checkPassword(pw string) error {
	if len(pw) < MinPasswordLen {
		return faas.Errorf(faas.Invalid, "A password needs at least %d characters.", MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return faas.Errorf(faas.Invalid, "A password may be at most %d bytes long.", MaxPasswordLen)
	}
	// The split's user pool asks the same (Cognito's policy can require
	// a lower-case letter, not any letter), so that a password is good
	// for both deployments or for neither.
	lower, digit := false, false
	for _, c := range pw {
		lower = lower || unicode.IsLower(c)
		digit = digit || '0' <= c && c <= '9'
	}
	if !lower || !digit {
		return faas.Errorf(faas.Invalid, "A password needs at least one lower-case letter and one digit.")
	}
	return nil
}

// create makes an account. A taken username is [faas.Conflict]; the put
// is conditional, so two sign-ups racing for one name cannot both win.
func (u *users) create(ctx context.Context, username, password string) (user, error) {
	username = normalizeUsername(username)
	if err := checkUsername(username); err != nil {
		return user{}, err
	}
	if err := checkPassword(password); err != nil {
		return user{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), u.cost)
	if err != nil {
		return user{}, &faas.Error{Kind: faas.Internal, Err: fmt.Errorf("monolith: hash password: %w", err)}
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	usr := user{ID: "u-" + hex.EncodeToString(id), Username: username}
	_, err = u.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(UsersTable),
		Item: map[string]types.AttributeValue{
			"username":     &types.AttributeValueMemberS{Value: usr.Username},
			"userId":       &types.AttributeValueMemberS{Value: usr.ID},
			"passwordHash": &types.AttributeValueMemberS{Value: string(hash)},
			"createdAt":    &types.AttributeValueMemberS{Value: u.now().UTC().Format(time.RFC3339)},
		},
		ConditionExpression: aws.String("attribute_not_exists(username)"),
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return user{}, faas.Errorf(faas.Conflict, "The username %s is taken; choose another.", username)
	}
	if err != nil {
		return user{}, &faas.Error{Kind: faas.Internal, Err: fmt.Errorf("monolith: create user: %w", err)}
	}
	return usr, nil
}

var errWrongPassword = faas.Errorf(faas.Unauthenticated, "Wrong username or password.")

// authenticate returns the user whose username and password these are.
// An unknown user and a wrong password fail alike, in about the same
// time.
func (u *users) authenticate(ctx context.Context, username, password string) (user, error) {
	username = normalizeUsername(username)
	if checkUsername(username) != nil || len(password) > MaxPasswordLen {
		_ = bcrypt.CompareHashAndPassword(u.dummy, []byte(password))
		return user{}, errWrongPassword
	}
	out, err := u.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(UsersTable),
		Key:            map[string]types.AttributeValue{"username": &types.AttributeValueMemberS{Value: username}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return user{}, &faas.Error{Kind: faas.Internal, Err: fmt.Errorf("monolith: read user: %w", err)}
	}
	if out.Item == nil {
		_ = bcrypt.CompareHashAndPassword(u.dummy, []byte(password))
		return user{}, errWrongPassword
	}
	str := func(name string) string {
		v, _ := out.Item[name].(*types.AttributeValueMemberS)
		if v == nil {
			return ""
		}
		return v.Value
	}
	if bcrypt.CompareHashAndPassword([]byte(str("passwordHash")), []byte(password)) != nil {
		return user{}, errWrongPassword
	}
	return user{ID: str("userId"), Username: username}, nil
}
