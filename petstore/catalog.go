package petstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/faasport/faasport/faas"
)

// Catalog is the pet store: its products, purchases and orders, kept in
// DynamoDB. Its methods are safe for concurrent use. It holds no state of
// its own, so any number of Catalogs (one per function instance, say) may
// share the tables.
type Catalog struct {
	db     *dynamodb.Client
	now    func() time.Time
	log    *slog.Logger
	random func([]byte)
}

// Options configure a [Catalog]. The zero value (and nil) is ready for use.
type Options struct {
	// Now tells the time orders are placed at. Nil means time.Now.
	Now func() time.Time
	// Logger receives the causes of internal errors. Nil means
	// slog.Default().
	Logger *slog.Logger
}

// New returns a Catalog that keeps its data in the tables of [Schema],
// reached through client. opts may be nil. New does not touch the
// tables; call [Catalog.CreateTables] once to create them.
func New(client *dynamodb.Client, opts *Options) *Catalog {
	var o Options
	if opts != nil {
		o = *opts
	}
	c := &Catalog{db: client, now: o.Now, log: o.Logger, random: randomBytes}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	return c
}

// Client returns the DynamoDB client the catalog uses.
func (c *Catalog) Client() *dynamodb.Client { return c.db }

// dbError turns an error from DynamoDB into a faas error: throttling is
// TooManyRequests, a denied access Forbidden, an expired context Timeout,
// and anything else Internal, its cause kept for the log only.
func dbError(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var fe *faas.Error
	if errors.As(err, &fe) {
		return err
	}
	cause := fmt.Errorf("petstore: %s: %w", op, err)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &faas.Error{Kind: faas.Timeout, Message: "petstore: the store did not answer in time", Err: cause}
	}
	if errors.Is(err, context.Canceled) {
		return &faas.Error{Kind: faas.Timeout, Message: "petstore: the request was canceled", Err: cause}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "TransactionConflictException":
			return &faas.Error{Kind: faas.TooManyRequests, Message: "petstore: the store is busy; try again shortly", Err: cause}
		case "AccessDeniedException", "UnrecognizedClientException":
			return &faas.Error{Kind: faas.Forbidden, Message: "petstore: access to the store was denied", Err: cause}
		}
	}
	return &faas.Error{Kind: faas.Internal, Err: cause}
}

// Attribute value helpers. The domain marshals its few item shapes by
// hand: it keeps the attribute names in one place and needs no reflection.

func attrS(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func attrN[T ~int | ~int64](n T) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(int64(n), 10)}
}

func getS(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func getN(item map[string]types.AttributeValue, name string) int64 {
	if v, ok := item[name].(*types.AttributeValueMemberN); ok {
		n, err := strconv.ParseInt(v.Value, 10, 64)
		if err == nil {
			return n
		}
		// Numbers written by other tools may carry a fraction or an
		// exponent; take their integer part.
		if f, err := strconv.ParseFloat(v.Value, 64); err == nil {
			return int64(f)
		}
	}
	return 0
}
