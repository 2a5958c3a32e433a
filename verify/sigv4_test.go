package verify_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/verify"
)

var sigv4Now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// sigv4Store holds a long-term key, a temporary one and an expired one.
var sigv4Store = verify.StaticCredentials{
	"AKIDLONGTERM": {SecretAccessKey: "long-term-secret", Principal: "admin"},
	"ASIATEMPORARY": {
		SecretAccessKey: "temporary-secret", SessionToken: "session-token-1",
		Expires: sigv4Now.Add(time.Hour), Principal: "role/reader",
	},
	"ASIAEXPIRED": {
		SecretAccessKey: "expired-secret", SessionToken: "session-token-2",
		Expires: sigv4Now.Add(-time.Minute), Principal: "role/old",
	},
}

// signedRequest is a request to url signed by the AWS SDK's signer as
// akid with secret and token at signedAt; edit changes it after signing.
type signedRequest struct {
	akid, secret, token string
	signedAt            time.Time
	body                string
	contentSHA          bool // set x-amz-content-sha256 before signing
	edit                func(r *http.Request)
}

func (s signedRequest) build(t testing.TB, url string) *http.Request {
	t.Helper()
	body := s.body
	if body == "" {
		body = `{"UserPoolId":"us-east-1_abc"}`
	}
	r, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUsers")
	r.Header.Set("User-Agent", "test")
	sum := sha256.Sum256([]byte(body))
	hash := hex.EncodeToString(sum[:])
	if s.contentSHA {
		r.Header.Set("X-Amz-Content-Sha256", hash)
	}
	at := s.signedAt
	if at.IsZero() {
		at = sigv4Now
	}
	creds := aws.Credentials{AccessKeyID: s.akid, SecretAccessKey: s.secret, SessionToken: s.token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hash, "cognito-idp", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	if s.edit != nil {
		s.edit(r)
	}
	return r
}

// sigv4Server runs v on each request it receives and answers with the
// principal or the error's kind and reason; it also checks that the body
// can still be read.
func sigv4Server(t testing.TB, v *verify.SigV4Verifier) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := v.Verify(r)
		if err != nil {
			var se *verify.SigV4Error
			if !errors.As(err, &se) {
				t.Errorf("Verify error %v is not a *SigV4Error", err)
				return
			}
			fmt.Fprintf(w, "error %v: %s (%s)", se.Kind, se.Reason, se.Code)
			return
		}
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "ok %v %s %s body=%d", c.Principal, c.AccessKeyID, c.Service, len(b))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSigV4Verify(t *testing.T) {
	v := &verify.SigV4Verifier{Credentials: sigv4Store, Clock: clock.NewFake(sigv4Now), Service: "cognito-idp"}
	srv := sigv4Server(t, v)

	long := signedRequest{akid: "AKIDLONGTERM", secret: "long-term-secret"}
	temp := signedRequest{akid: "ASIATEMPORARY", secret: "temporary-secret", token: "session-token-1"}
	with := func(s signedRequest, f func(*signedRequest)) signedRequest { f(&s); return s }

	tests := []struct {
		name string
		req  signedRequest
		raw  func(r *http.Request) // applied instead of signing, for unsigned requests
		want string
	}{
		{name: "valid long-term key", req: long, want: "ok admin AKIDLONGTERM cognito-idp body=30"},
		{name: "valid temporary credentials", req: temp, want: "ok role/reader ASIATEMPORARY cognito-idp body=30"},
		{name: "valid with content sha256", req: with(long, func(s *signedRequest) { s.contentSHA = true }),
			want: "ok admin AKIDLONGTERM cognito-idp body=30"},
		{name: "signed 14 minutes ago", req: with(long, func(s *signedRequest) { s.signedAt = sigv4Now.Add(-14 * time.Minute) }),
			want: "ok admin AKIDLONGTERM cognito-idp body=30"},
		{name: "wrong secret", req: with(long, func(s *signedRequest) { s.secret = "guessed" }),
			want: "error verify: signature does not match: signature does not match (InvalidSignatureException)"},
		{name: "date more than 15 minutes old", req: with(long, func(s *signedRequest) { s.signedAt = sigv4Now.Add(-16 * time.Minute) }),
			want: "error verify: request time out of range: request date is more than 15 minutes from the server time (InvalidSignatureException)"},
		{name: "date more than 15 minutes ahead", req: with(long, func(s *signedRequest) { s.signedAt = sigv4Now.Add(16 * time.Minute) }),
			want: "error verify: request time out of range: request date is more than 15 minutes from the server time (InvalidSignatureException)"},
		{name: "changed body", req: with(long, func(s *signedRequest) {
			s.edit = func(r *http.Request) {
				b := `{"UserPoolId":"us-east-1_xyz"}`
				r.Body, r.ContentLength = io.NopCloser(strings.NewReader(b)), int64(len(b))
			}
		}), want: "error verify: signature does not match: signature does not match (InvalidSignatureException)"},
		{name: "changed body with content sha256", req: with(long, func(s *signedRequest) {
			s.contentSHA = true
			s.edit = func(r *http.Request) {
				b := `{"UserPoolId":"us-east-1_xyz"}`
				r.Body, r.ContentLength = io.NopCloser(strings.NewReader(b)), int64(len(b))
			}
		}), want: "error verify: payload hash mismatch: payload hash mismatch (InvalidSignatureException)"},
		{name: "changed signed header", req: with(long, func(s *signedRequest) {
			s.edit = func(r *http.Request) {
				r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDeleteUser")
			}
		}), want: "error verify: signature does not match: signature does not match (InvalidSignatureException)"},
		{name: "changed unsigned header", req: with(long, func(s *signedRequest) {
			s.edit = func(r *http.Request) { r.Header.Set("User-Agent", "other") }
		}), want: "ok admin AKIDLONGTERM cognito-idp body=30"},
		{name: "x-amz header added after signing", req: with(long, func(s *signedRequest) {
			s.edit = func(r *http.Request) { r.Header.Set("X-Amz-Invocation-Type", "Event") }
		}), want: "error verify: malformed authorization: header x-amz-invocation-type is not signed: signed headers must include every x-amz-* header (IncompleteSignatureException)"},
		{name: "x-amz-target left out of the signed headers", req: with(long, func(s *signedRequest) {
			s.edit = func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";x-amz-target", "", 1))
			}
		}), want: "error verify: malformed authorization: header x-amz-target is not signed: signed headers must include every x-amz-* header (IncompleteSignatureException)"},
		{name: "x-amzn header added after signing", req: with(long, func(s *signedRequest) {
			s.edit = func(r *http.Request) { r.Header.Set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793") }
		}), want: "ok admin AKIDLONGTERM cognito-idp body=30"},
		{name: "content sha256 added after signing", req: with(long, func(s *signedRequest) {
			s.edit = func(r *http.Request) {
				sum := sha256.Sum256([]byte(`{"UserPoolId":"us-east-1_abc"}`))
				r.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
			}
		}), want: "ok admin AKIDLONGTERM cognito-idp body=30"},
		{name: "expired session token", req: signedRequest{akid: "ASIAEXPIRED", secret: "expired-secret", token: "session-token-2"},
			want: "error verify: security token expired: security token expired (ExpiredTokenException)"},
		{name: "missing session token", req: with(temp, func(s *signedRequest) { s.token = "" }),
			want: "error verify: invalid security token: temporary credentials need their session token in X-Amz-Security-Token (UnrecognizedClientException)"},
		{name: "wrong session token", req: with(temp, func(s *signedRequest) { s.token = "session-token-2" }),
			want: "error verify: invalid security token: security token does not belong to the access key (UnrecognizedClientException)"},
		{name: "token with long-term key", req: with(long, func(s *signedRequest) { s.token = "session-token-1" }),
			want: "error verify: invalid security token: request carries a security token but the access key is not temporary (UnrecognizedClientException)"},
		{name: "unknown access key", req: with(long, func(s *signedRequest) { s.akid = "AKIDUNKNOWN" }),
			want: "error verify: unknown access key: unknown access key (UnrecognizedClientException)"},
		{name: "other service", req: with(long, func(s *signedRequest) {
			s.edit = func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/cognito-idp/", "/dynamodb/", 1))
			}
		}), want: `error verify: malformed authorization: credential scope names service "dynamodb", not "cognito-idp" (IncompleteSignatureException)`},
		{name: "unsigned", raw: func(r *http.Request) {},
			want: "error verify: request is not signed: request has no Authorization header (MissingAuthenticationTokenException)"},
		{name: "malformed header", raw: func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLONGTERM/20250601/us-east-1/cognito-idp, SignedHeaders=host, Signature=00")
		}, want: "error verify: malformed authorization: credential must have the form <access key id>/<yyyymmdd>/<region>/<service>/aws4_request (IncompleteSignatureException)"},
		{name: "bearer token", raw: func(r *http.Request) { r.Header.Set("Authorization", "Bearer abc") },
			want: "error verify: malformed authorization: authorization header must start with AWS4-HMAC-SHA256 (IncompleteSignatureException)"},
		{name: "missing x-amz-date", req: with(long, func(s *signedRequest) {
			s.edit = func(r *http.Request) { r.Header.Del("X-Amz-Date") }
		}), want: "error verify: malformed authorization: request has no X-Amz-Date header (IncompleteSignatureException)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r *http.Request
			if tc.raw != nil {
				var err error
				r, err = http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
				if err != nil {
					t.Fatal(err)
				}
				tc.raw(r)
			} else {
				r = tc.req.build(t, srv.URL)
			}
			resp, err := srv.Client().Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("Verify (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSigV4ErrorKinds(t *testing.T) {
	v := &verify.SigV4Verifier{Credentials: sigv4Store, Clock: clock.NewFake(sigv4Now)}
	r := signedRequest{akid: "ASIAEXPIRED", secret: "expired-secret", token: "session-token-2"}.build(t, "http://127.0.0.1:1/")
	_, err := v.Verify(r)
	if !errors.Is(err, verify.ErrCredentialsExpired) {
		t.Errorf("Verify(expired) = %v, want ErrCredentialsExpired", err)
	}
	var se *verify.SigV4Error
	if !errors.As(err, &se) || se.Message != "The security token included in the request is expired" {
		t.Errorf("Verify(expired) message = %+v", se)
	}
}

// TestSigV4StoreFailure checks that a failing store is not reported as
// an unknown key.
func TestSigV4StoreFailure(t *testing.T) {
	broken := storeFunc(func(context.Context, string) (verify.Credentials, error) {
		return verify.Credentials{}, errors.New("database is locked")
	})
	v := &verify.SigV4Verifier{Credentials: broken, Clock: clock.NewFake(sigv4Now)}
	r := signedRequest{akid: "AKIDLONGTERM", secret: "long-term-secret"}.build(t, "http://127.0.0.1:1/")
	if _, err := v.Verify(r); !errors.Is(err, verify.ErrCredentialStore) {
		t.Errorf("Verify with failing store = %v, want ErrCredentialStore", err)
	}
}

type storeFunc func(context.Context, string) (verify.Credentials, error)

func (f storeFunc) Lookup(ctx context.Context, id string) (verify.Credentials, error) {
	return f(ctx, id)
}

func TestParseSigV4Authorization(t *testing.T) {
	sig := strings.Repeat("ab", 32)
	tests := []struct {
		name, header string
		want         *verify.SigV4Authorization
		wantErr      string
	}{
		{
			name:   "sdk form",
			header: "AWS4-HMAC-SHA256 Credential=AKID/20250601/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + sig,
			want: &verify.SigV4Authorization{AccessKeyID: "AKID", Date: "20250601", Region: "us-east-1", Service: "cognito-idp",
				SignedHeaders: []string{"content-type", "host", "x-amz-date"}, Signature: sig},
		},
		{
			name:   "no spaces",
			header: "AWS4-HMAC-SHA256 Credential=AKID/20250601/eu-west-1/dynamodb/aws4_request,SignedHeaders=host,Signature=" + sig,
			want: &verify.SigV4Authorization{AccessKeyID: "AKID", Date: "20250601", Region: "eu-west-1", Service: "dynamodb",
				SignedHeaders: []string{"host"}, Signature: sig},
		},
		{name: "empty", header: "", wantErr: "must start with AWS4-HMAC-SHA256"},
		{name: "sigv2", header: "AWS AKID:c2ln", wantErr: "must start with AWS4-HMAC-SHA256"},
		{name: "no signature", header: "AWS4-HMAC-SHA256 Credential=AKID/20250601/us-east-1/s/aws4_request, SignedHeaders=host", wantErr: "requires a 'Signature' parameter"},
		{name: "duplicate", header: "AWS4-HMAC-SHA256 Credential=A/20250601/r/s/aws4_request, Credential=B/20250601/r/s/aws4_request, SignedHeaders=host, Signature=" + sig, wantErr: "repeats Credential"},
		{name: "bad date", header: "AWS4-HMAC-SHA256 Credential=A/2025-06-01/r/s/aws4_request, SignedHeaders=host, Signature=" + sig, wantErr: "yyyymmdd"},
		{name: "unsorted headers", header: "AWS4-HMAC-SHA256 Credential=A/20250601/r/s/aws4_request, SignedHeaders=x-amz-date;host, Signature=" + sig, wantErr: "sorted"},
		{name: "no host", header: "AWS4-HMAC-SHA256 Credential=A/20250601/r/s/aws4_request, SignedHeaders=x-amz-date, Signature=" + sig, wantErr: "include host"},
		{name: "short signature", header: "AWS4-HMAC-SHA256 Credential=A/20250601/r/s/aws4_request, SignedHeaders=host, Signature=abc", wantErr: "64 lower-case hex"},
		{name: "unknown element", header: "AWS4-HMAC-SHA256 Credential=A/20250601/r/s/aws4_request, SignedHeaders=host, Signature=" + sig + ", Extra=1", wantErr: "unknown element"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := verify.ParseSigV4Authorization(tc.header)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, verify.ErrAuthorization) {
					t.Errorf("ParseSigV4Authorization(%q) = %v, want error containing %q", tc.header, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseSigV4Authorization (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseSigV4Authorization: the parser never panics, and whatever it
// accepts formats back to a header it parses the same way.
func FuzzParseSigV4Authorization(f *testing.F) {
	sig := strings.Repeat("0f", 32)
	for _, s := range []string{
		"AWS4-HMAC-SHA256 Credential=AKID/20250601/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=a/20250601/r/s/aws4_request,SignedHeaders=host,Signature=" + sig,
		"AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256 ,,,", "AWS4-HMAC-SHA256 Credential==/=/=/=/=", "Bearer x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		a, err := verify.ParseSigV4Authorization(header)
		if err != nil {
			if !errors.Is(err, verify.ErrAuthorization) {
				t.Fatalf("error %v is not ErrAuthorization", err)
			}
			return
		}
		b, err := verify.ParseSigV4Authorization(a.String())
		if err != nil {
			t.Fatalf("reparse of %q: %v", a.String(), err)
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

func BenchmarkSigV4Verify(b *testing.B) {
	v := &verify.SigV4Verifier{Credentials: sigv4Store, Clock: clock.NewFake(sigv4Now)}
	signed := signedRequest{akid: "ASIATEMPORARY", secret: "temporary-secret", token: "session-token-1"}.build(b, "http://127.0.0.1/")
	body, _ := io.ReadAll(signed.Body)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/", bytes.NewReader(body))
		r.Header = signed.Header.Clone()
		r.Header.Set("Content-Length", fmt.Sprint(len(body)))
		if _, err := v.Verify(r); err != nil {
			b.Fatal(err)
		}
	}
}

// This example checks a request signed by the AWS SDK's signer with a
// key from a fixed set.
func ExampleSigV4Verifier_Verify() {
	store := verify.StaticCredentials{
		"AKIDEXAMPLE": {SecretAccessKey: "example-secret", Principal: "admin"},
	}
	v := &verify.SigV4Verifier{Credentials: store, Service: "dynamodb"}

	body := `{"TableName":"products"}`
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8000/", strings.NewReader(body))
	r.Header.Set("X-Amz-Target", "DynamoDB_20120810.Scan")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "dynamodb", "us-east-1", time.Now()); err != nil {
		panic(err)
	}
	caller, err := v.Verify(r)
	fmt.Println(caller.Principal, caller.Region, err)

	r.Header.Set("X-Amz-Target", "DynamoDB_20120810.DeleteTable") // changed after signing
	r.Body = io.NopCloser(strings.NewReader(body))
	_, err = v.Verify(r)
	var se *verify.SigV4Error
	if errors.As(err, &se) {
		fmt.Println(se.Reason, "/", se.Code)
	}
	// Output:
	// admin us-east-1 <nil>
	// signature does not match / InvalidSignatureException
}
