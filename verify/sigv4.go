package verify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// SigV4Algorithm is the only signing algorithm a [SigV4Verifier] accepts.
const SigV4Algorithm = "AWS4-HMAC-SHA256"

// Defaults of [SigV4Verifier].
const (
	// DefaultMaxSkew is how far X-Amz-Date may be from the server's clock,
	// AWS's figure for SigV4.
	DefaultMaxSkew = 15 * time.Minute

	// DefaultMaxBody is the largest request body a SigV4Verifier reads
	// to hash it.
	DefaultMaxBody = 10 << 20

	amzDateFormat   = "20060102T150405Z"
	emptyBodySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// Kinds of SigV4 verification failure. A [*SigV4Error] matches its kind
// with errors.Is.
var (
	ErrUnsigned           = errors.New("verify: request is not signed")
	ErrAuthorization      = errors.New("verify: malformed authorization")
	ErrAccessKey          = errors.New("verify: unknown access key")
	ErrSecurityToken      = errors.New("verify: invalid security token")
	ErrCredentialsExpired = errors.New("verify: security token expired")
	ErrRequestTime        = errors.New("verify: request time out of range")
	ErrPayloadHash        = errors.New("verify: payload hash mismatch")
	ErrSignatureMismatch  = errors.New("verify: signature does not match")
	ErrCredentialStore    = errors.New("verify: credential store failed")
)

// SigV4Error is a request that failed SigV4 verification.
type SigV4Error struct {
	// Kind is one of ErrUnsigned, ErrAuthorization, ErrAccessKey,
	// ErrSecurityToken, ErrCredentialsExpired, ErrRequestTime,
	// ErrPayloadHash, ErrSignatureMismatch and ErrCredentialStore.
	Kind error

	// Reason says what is wrong in words a developer can act on, such as
	// "request date is more than 15 minutes from the server time". It
	// never holds secrets.
	Reason string

	// Code and Message are what an AWS service answers for this failure:
	// the __type (such as "InvalidSignatureException") and message of a
	// JSON error body. Emulated services send them to the client.
	Code    string
	Message string

	// Err is the underlying cause, if any, for the log.
	Err error
}

func (e *SigV4Error) Error() string {
	s := "verify: " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the kind and the cause.
func (e *SigV4Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// AWS's messages, as services send them.
const (
	msgSignature = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgTokenInvalid = "The security token included in the request is invalid."
	msgTokenExpired = "The security token included in the request is expired"
)

func sigErr(kind error, reason string, cause error) *SigV4Error {
	e := &SigV4Error{Kind: kind, Reason: reason, Err: cause}
	switch kind {
	case ErrUnsigned:
		e.Code, e.Message = "MissingAuthenticationTokenException", "Missing Authentication Token"
	case ErrAuthorization:
		e.Code, e.Message = "IncompleteSignatureException", reason
	case ErrAccessKey, ErrSecurityToken:
		e.Code, e.Message = "UnrecognizedClientException", msgTokenInvalid
	case ErrCredentialsExpired:
		e.Code, e.Message = "ExpiredTokenException", msgTokenExpired
	case ErrRequestTime, ErrSignatureMismatch:
		e.Code, e.Message = "InvalidSignatureException", msgSignature
	case ErrPayloadHash:
		e.Code, e.Message = "InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed."
	default:
		e.Code, e.Message = "InternalFailure", "The request processing has failed because of an unknown error, exception or failure."
	}
	return e
}

// Credentials are an access key as a [CredentialStore] knows it.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string

	// SessionToken, for temporary credentials, must come with each
	// request as X-Amz-Security-Token. Empty for long-term keys, whose
	// requests must carry no token.
	SessionToken string

	// Expires is when temporary credentials stop working. Zero means
	// never.
	Expires time.Time

	// Principal is whatever the store says the key stands for (a role and
	// an identity, say). The verifier hands it back untouched.
	Principal any
}

// CredentialStore finds the secret of an access key.
type CredentialStore interface {
	// Lookup returns the credentials of accessKeyID. It returns an error
	// matching ErrAccessKey (errors.Is) when there is no such key; any
	// other error is a failure of the store.
	Lookup(ctx context.Context, accessKeyID string) (Credentials, error)
}

// StaticCredentials is a fixed set of credentials by access key id: a
// [CredentialStore] for administrator keys and tests.
type StaticCredentials map[string]Credentials

var _ CredentialStore = StaticCredentials(nil)

// Lookup returns s[accessKeyID].
func (s StaticCredentials) Lookup(_ context.Context, accessKeyID string) (Credentials, error) {
	c, ok := s[accessKeyID]
	if !ok {
		return Credentials{}, ErrAccessKey
	}
	c.AccessKeyID = accessKeyID
	return c, nil
}

// SigV4Authorization is a parsed SigV4 Authorization header:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20250601/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=<64 hex>
type SigV4Authorization struct {
	AccessKeyID   string
	Date          string // the scope's date, yyyymmdd
	Region        string
	Service       string
	SignedHeaders []string // lower case, sorted, including "host"
	Signature     string   // 64 lower-case hex digits
}

// String formats a as an Authorization header value.
func (a *SigV4Authorization) String() string {
	return SigV4Algorithm + " Credential=" + a.AccessKeyID + "/" + a.Date + "/" + a.Region + "/" + a.Service +
		"/aws4_request, SignedHeaders=" + strings.Join(a.SignedHeaders, ";") + ", Signature=" + a.Signature
}

// ParseSigV4Authorization parses the value of an Authorization header
// signed with SigV4. It fails with a [*SigV4Error] of kind
// [ErrAuthorization] saying what is missing or malformed.
func ParseSigV4Authorization(header string) (*SigV4Authorization, error) {
	bad := func(reason string) (*SigV4Authorization, error) {
		return nil, sigErr(ErrAuthorization, reason, nil)
	}
	alg, rest, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || alg != SigV4Algorithm {
		return bad("authorization header must start with " + SigV4Algorithm)
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return bad(fmt.Sprintf("authorization header element %.40q is not name=value", part))
		}
		k = strings.TrimSpace(k)
		switch k {
		case "Credential", "SignedHeaders", "Signature":
		default:
			return bad(fmt.Sprintf("authorization header has unknown element %.40q", k))
		}
		if _, dup := fields[k]; dup {
			return bad("authorization header repeats " + k)
		}
		fields[k] = strings.TrimSpace(v)
	}
	for _, k := range [...]string{"Credential", "SignedHeaders", "Signature"} {
		if fields[k] == "" {
			return bad("authorization header requires a '" + k + "' parameter")
		}
	}

	a := &SigV4Authorization{}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[4] != "aws4_request" {
		return bad("credential must have the form <access key id>/<yyyymmdd>/<region>/<service>/aws4_request")
	}
	a.AccessKeyID, a.Date, a.Region, a.Service = scope[0], scope[1], scope[2], scope[3]
	if a.AccessKeyID == "" || a.Region == "" || a.Service == "" {
		return bad("credential has an empty access key id, region or service")
	}
	if _, err := time.Parse("20060102", a.Date); err != nil || len(a.Date) != 8 {
		return bad("credential date must be yyyymmdd")
	}

	a.SignedHeaders = strings.Split(fields["SignedHeaders"], ";")
	for i, h := range a.SignedHeaders {
		if h == "" || h != strings.ToLower(h) || strings.ContainsAny(h, " \t:") {
			return bad("signed headers must be non-empty lower-case header names separated by ';'")
		}
		if i > 0 && a.SignedHeaders[i-1] >= h {
			return bad("signed headers must be sorted and unique")
		}
	}
	if !slices.Contains(a.SignedHeaders, "host") {
		return bad("signed headers must include host")
	}

	a.Signature = fields["Signature"]
	if len(a.Signature) != 64 || strings.ToLower(a.Signature) != a.Signature {
		return bad("signature must be 64 lower-case hex digits")
	}
	if _, err := hex.DecodeString(a.Signature); err != nil {
		return bad("signature must be 64 lower-case hex digits")
	}
	return a, nil
}

// SigV4Verifier checks requests signed with AWS Signature Version 4 in
// the Authorization header, the way AWS services do: the access key must
// be known to the store, a session token must come with temporary
// credentials and be unexpired, X-Amz-Date must be within MaxSkew of the
// clock, every x-amz-* header but x-amz-content-sha256 must be signed, the
// body must match its hash, and the signature must be the one the AWS
// SDK's own signer computes for the signed headers. Its fields
// must not change while Verify may run.
type SigV4Verifier struct {
	// Credentials finds the secrets of access keys. Required.
	Credentials CredentialStore

	// Service and Region, when set, are what the credential scope must
	// name ("cognito-idp", "us-east-1"). Empty accepts any.
	Service string
	Region  string

	// Clock tells the time. Nil means the real clock.
	Clock Clock

	// MaxSkew is how far X-Amz-Date may be from the clock. Zero means
	// DefaultMaxSkew (15 minutes).
	MaxSkew time.Duration

	// MaxBody is the most body bytes read to check the payload hash.
	// Zero means DefaultMaxBody (10 MiB).
	MaxBody int64
}

// Caller is who signed a request.
type Caller struct {
	AccessKeyID string
	Region      string // of the credential scope
	Service     string // of the credential scope
	SignedAt    time.Time

	// Principal is the Principal of the key's [Credentials].
	Principal any
}

var signer = v4.NewSigner()

// Verify checks r's signature and returns its caller. It reads r's body
// to hash it and puts back an equivalent body, so that handlers can read
// it afterwards. It fails with a [*SigV4Error].
func (v *SigV4Verifier) Verify(r *http.Request) (*Caller, error) {
	if v.Credentials == nil {
		return nil, sigErr(ErrCredentialStore, "the verifier has no credential store", nil)
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, sigErr(ErrUnsigned, "request has no Authorization header", nil)
	}
	auth, err := ParseSigV4Authorization(h)
	if err != nil {
		return nil, err
	}
	if v.Service != "" && auth.Service != v.Service {
		return nil, sigErr(ErrAuthorization, fmt.Sprintf("credential scope names service %.40q, not %q", auth.Service, v.Service), nil)
	}
	if v.Region != "" && auth.Region != v.Region {
		return nil, sigErr(ErrAuthorization, fmt.Sprintf("credential scope names region %.40q, not %q", auth.Region, v.Region), nil)
	}

	// The date.
	amzDate := r.Header.Get("X-Amz-Date")
	if amzDate == "" {
		return nil, sigErr(ErrAuthorization, "request has no X-Amz-Date header", nil)
	}
	if !slices.Contains(auth.SignedHeaders, "x-amz-date") {
		return nil, sigErr(ErrAuthorization, "signed headers must include x-amz-date", nil)
	}
	signedAt, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return nil, sigErr(ErrAuthorization, "X-Amz-Date must have the form yyyymmddThhmmssZ", nil)
	}
	if signedAt.Format("20060102") != auth.Date {
		return nil, sigErr(ErrAuthorization, "credential scope date does not match X-Amz-Date", nil)
	}
	now := now(v.Clock)
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	if d := now.Sub(signedAt); d > skew || d < -skew {
		e := sigErr(ErrRequestTime, fmt.Sprintf("request date is more than %s from the server time", fmtMinutes(skew)), nil)
		if d > 0 {
			e.Message = fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s.)",
				amzDate, now.Add(-skew).UTC().Format(amzDateFormat), now.UTC().Format(amzDateFormat), fmtMinutes(skew))
		} else {
			e.Message = fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s.)",
				amzDate, now.Add(skew).UTC().Format(amzDateFormat), now.UTC().Format(amzDateFormat), fmtMinutes(skew))
		}
		return nil, e
	}

	// The key and its token.
	creds, err := v.Credentials.Lookup(r.Context(), auth.AccessKeyID)
	switch {
	case errors.Is(err, ErrAccessKey):
		return nil, sigErr(ErrAccessKey, "unknown access key", nil)
	case err != nil:
		return nil, sigErr(ErrCredentialStore, "cannot look up the access key", err)
	}
	token := r.Header.Get("X-Amz-Security-Token")
	switch {
	case creds.SessionToken != "" && token == "":
		return nil, sigErr(ErrSecurityToken, "temporary credentials need their session token in X-Amz-Security-Token", nil)
	case creds.SessionToken == "" && token != "":
		return nil, sigErr(ErrSecurityToken, "request carries a security token but the access key is not temporary", nil)
	case subtle.ConstantTimeCompare([]byte(token), []byte(creds.SessionToken)) != 1:
		return nil, sigErr(ErrSecurityToken, "security token does not belong to the access key", nil)
	case token != "" && !slices.Contains(auth.SignedHeaders, "x-amz-security-token"):
		return nil, sigErr(ErrAuthorization, "signed headers must include x-amz-security-token", nil)
	case !creds.Expires.IsZero() && !now.Before(creds.Expires):
		return nil, sigErr(ErrCredentialsExpired, "security token expired", nil)
	}

	// Every x-amz-* header the request carries is signed, as SigV4
	// requires: one added after signing (a different X-Amz-Target, say)
	// would otherwise change what the request does and keep its
	// signature. x-amz-content-sha256 is checked against the body below.
	if name := unsignedAmzHeader(r.Header, auth.SignedHeaders); name != "" {
		return nil, sigErr(ErrAuthorization, "header "+name+" is not signed: signed headers must include every x-amz-* header", nil)
	}

	// The payload.
	payloadHash, err := v.payloadHash(r)
	if err != nil {
		return nil, err
	}

	// The signature, computed by the SDK's signer over a copy of the
	// request holding only the signed headers.
	want, err := expectedSignature(r, auth, creds, payloadHash, signedAt)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(auth.Signature)) != 1 {
		return nil, sigErr(ErrSignatureMismatch, "signature does not match", nil)
	}
	return &Caller{
		AccessKeyID: auth.AccessKeyID,
		Region:      auth.Region,
		Service:     auth.Service,
		SignedAt:    signedAt,
		Principal:   creds.Principal,
	}, nil
}

// unsignedAmzHeader returns the first x-amz-* header of h, in lower case,
// that signed does not name, or "" if there is none.
func unsignedAmzHeader(h http.Header, signed []string) string {
	for k := range h {
		if len(k) < len("x-amz-") || !strings.EqualFold(k[:len("x-amz-")], "x-amz-") {
			continue
		}
		name := strings.ToLower(k)
		if name == "x-amz-content-sha256" {
			continue
		}
		if _, found := slices.BinarySearch(signed, name); !found {
			return name
		}
	}
	return ""
}

func fmtMinutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.Itoa(int(d/time.Minute)) + " minutes"
	}
	return d.String()
}

// payloadHash reads and restores r's body and returns its SHA-256 in hex,
// checking it against x-amz-content-sha256 when the client sent one.
func (v *SigV4Verifier) payloadHash(r *http.Request) (string, error) {
	limit := v.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		r.Body.Close()
		if err != nil {
			return "", sigErr(ErrPayloadHash, "cannot read the request body", err)
		}
		if int64(len(b)) > limit {
			return "", sigErr(ErrPayloadHash, fmt.Sprintf("request body is over %d bytes", limit), nil)
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	sum := sha256.Sum256(body)
	got := hex.EncodeToString(sum[:])
	if claimed := r.Header.Get("X-Amz-Content-Sha256"); claimed != "" {
		if claimed == "UNSIGNED-PAYLOAD" || strings.HasPrefix(claimed, "STREAMING-") {
			return "", sigErr(ErrPayloadHash, "payload must be signed: x-amz-content-sha256 "+claimed+" is not accepted", nil)
		}
		if subtle.ConstantTimeCompare([]byte(strings.ToLower(claimed)), []byte(got)) != 1 {
			return "", sigErr(ErrPayloadHash, "payload hash mismatch", nil)
		}
	}
	return got, nil
}

// expectedSignature signs a copy of r that has only the signed headers
// with the SDK's signer and returns the signature it computed.
func expectedSignature(r *http.Request, auth *SigV4Authorization, creds Credentials, payloadHash string, signedAt time.Time) (string, error) {
	u := *r.URL
	if u.Opaque != "" {
		// The SDK's signer takes a path out of an opaque URL (such as
		// "http:x/admin"), while handlers see an empty path.
		return "", sigErr(ErrSignatureMismatch, "signature does not match (the request target is not a path)", nil)
	}
	if _, err := url.ParseQuery(u.RawQuery); err != nil {
		// The SDK's signer leaves out the query parameters url.ParseQuery
		// cannot read (with a ';' or a bad escape), so its signature
		// would not cover them.
		return "", sigErr(ErrSignatureMismatch, "signature does not match (the query string has malformed parameters)", nil)
	}
	if u.Host == "" {
		u.Host = r.Host
	}
	if u.Scheme == "" {
		u.Scheme = "https"
		if r.TLS == nil {
			u.Scheme = "http"
		}
	}
	clone := &http.Request{
		Method: r.Method,
		URL:    &u,
		Host:   r.Host,
		Header: http.Header{},
	}
	for _, name := range auth.SignedHeaders {
		switch name {
		case "host":
			continue // r.Host
		case "content-length":
			n := r.ContentLength
			if s := r.Header.Get("Content-Length"); s != "" {
				n, _ = strconv.ParseInt(s, 10, 64)
			}
			if n <= 0 {
				// The SDK's signer signs content-length only when there is
				// a body; a client that signed "content-length:0" used
				// other rules.
				return "", sigErr(ErrSignatureMismatch, "signature does not match (content-length is signed but the body is empty)", nil)
			}
			clone.ContentLength = n
			continue
		}
		vals := r.Header.Values(name)
		if len(vals) == 0 {
			return "", sigErr(ErrAuthorization, fmt.Sprintf("signed header %.40q is missing from the request", name), nil)
		}
		for _, v := range vals {
			if t := strings.Trim(v, " \t"); strings.TrimSpace(t) != t {
				// The SDK's signer trims every kind of white space from
				// the ends of a value, so it would sign this one as if
				// it ended otherwise.
				return "", sigErr(ErrSignatureMismatch, fmt.Sprintf("signature does not match (signed header %.40q ends in white space other than spaces and tabs)", name), nil)
			}
		}
		clone.Header[http.CanonicalHeaderKey(name)] = slices.Clone(vals)
	}
	err := signer.SignHTTP(r.Context(), aws.Credentials{
		AccessKeyID:     creds.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		SessionToken:    creds.SessionToken,
	}, clone, payloadHash, auth.Service, auth.Region, signedAt, func(o *v4.SignerOptions) {
		// The token is already among the headers when it was signed;
		// the signer must not add one that was not.
		o.DisableSessionToken = !slices.Contains(auth.SignedHeaders, "x-amz-security-token")
	})
	if err != nil {
		return "", sigErr(ErrSignatureMismatch, "cannot compute the signature", err)
	}
	for _, name := range auth.SignedHeaders {
		if name == "host" || name == "content-length" {
			continue
		}
		if !slices.Equal(clone.Header.Values(name), r.Header.Values(name)) {
			// The signer sets X-Amz-Date (from signedAt, without
			// fractional seconds) and X-Amz-Security-Token to one value
			// of its own: it did not sign the values the request has.
			return "", sigErr(ErrSignatureMismatch, fmt.Sprintf("signature does not match (signed header %.40q has values the signer replaces)", name), nil)
		}
	}
	mine, err := ParseSigV4Authorization(clone.Header.Get("Authorization"))
	if err != nil {
		return "", sigErr(ErrSignatureMismatch, "cannot compute the signature", err)
	}
	if !slices.Equal(mine.SignedHeaders, auth.SignedHeaders) {
		// The SDK's signer leaves out headers such as user-agent and
		// expect, and adds x-amz-date; a client that signed another set
		// cannot be checked with it.
		return "", sigErr(ErrSignatureMismatch, fmt.Sprintf("signature does not match (signed headers %q are not the set an AWS SDK signs: %q)",
			strings.Join(auth.SignedHeaders, ";"), strings.Join(mine.SignedHeaders, ";")), nil)
	}
	return mine.Signature, nil
}
