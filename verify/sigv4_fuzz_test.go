package verify_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/emulator/clock"
	"github.com/faasport/faasport/verify"
)

// sigv4Parts are the parts of a request, as it travels, that
// FuzzSigV4Verify alters. An empty header field leaves the header out.
type sigv4Parts struct {
	Method, Target, Host string
	Auth, Date, Token    string // Authorization, X-Amz-Date, X-Amz-Security-Token
	ContentSHA           string // X-Amz-Content-Sha256
	ContentType          string
	AmzTarget            string // X-Amz-Target
	Extra                string // more header lines, each ending in "\r\n"
	Body                 []byte
}

func (p sigv4Parts) equal(q sigv4Parts) bool {
	return p.Method == q.Method && p.Target == q.Target && p.Host == q.Host &&
		p.Auth == q.Auth && p.Date == q.Date && p.Token == q.Token && p.ContentSHA == q.ContentSHA &&
		p.ContentType == q.ContentType && p.AmzTarget == q.AmzTarget && p.Extra == q.Extra &&
		bytes.Equal(p.Body, q.Body)
}

// wire is p as an HTTP/1.1 request. It carries a Content-Length when the
// body is not empty, as Go's client sends it.
func (p sigv4Parts) wire() []byte {
	var b bytes.Buffer
	b.WriteString(p.Method + " " + p.Target + " HTTP/1.1\r\n")
	header := func(name, value string) {
		if value != "" {
			b.WriteString(name + ": " + value + "\r\n")
		}
	}
	header("Host", p.Host)
	header("Authorization", p.Auth)
	header("X-Amz-Date", p.Date)
	header("X-Amz-Security-Token", p.Token)
	header("X-Amz-Content-Sha256", p.ContentSHA)
	header("Content-Type", p.ContentType)
	header("X-Amz-Target", p.AmzTarget)
	b.WriteString(p.Extra)
	if len(p.Body) > 0 {
		header("Content-Length", strconv.Itoa(len(p.Body)))
	}
	b.WriteString("\r\n")
	b.Write(p.Body)
	return b.Bytes()
}

// request parses p's wire form as net/http's server does before it calls
// a handler. It returns false for requests the server answers with 400
// itself.
func (p sigv4Parts) request() (*http.Request, bool) {
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(p.wire())))
	if err != nil || r.Host == "" || !validHost(r.Host) {
		return nil, false
	}
	for _, vs := range r.Header {
		for _, v := range vs {
			if strings.ContainsFunc(v, func(c rune) bool { return (c < ' ' && c != '\t') || c == 0x7f }) {
				return nil, false
			}
		}
	}
	return r.WithContext(context.Background()), true
}

// validHost reports whether the server's Host check (httpguts.ValidHostHeader)
// passes h.
func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || strings.IndexByte("!$%&()*+,-.:;=['_~]", c) >= 0) {
			return false
		}
	}
	return true
}

// sigv4Ref is a request the AWS SDK's signer signed at sigv4Now, and what
// the fuzz verifier answers for it unaltered within the allowed skew.
type sigv4Ref struct {
	name   string
	parts  sigv4Parts
	req    *http.Request // parts as the server parses them; its body is unread
	signed []string      // the signed header names; nil when not header-signed

	// want is the caller Verify returns for the request until expires
	// (zero: ever), and kind its refusal otherwise.
	want    *verify.Caller
	expires time.Time
	kind    error
}

// valid reports whether Verify accepts ref unaltered with its clock at
// now, within the skew.
func (ref sigv4Ref) valid(now time.Time) bool {
	return ref.want != nil && (ref.expires.IsZero() || now.Before(ref.expires))
}

// sigv4FuzzVerifier is the verifier FuzzSigV4Verify runs, its clock at
// sigv4Now plus skew.
func sigv4FuzzVerifier(skew time.Duration) *verify.SigV4Verifier {
	return &verify.SigV4Verifier{Credentials: sigv4Store, Region: "us-east-1", Clock: clock.NewFake(sigv4Now.Add(skew))}
}

// sigv4Refs signs the requests FuzzSigV4Verify starts from.
func sigv4Refs(t testing.TB) []sigv4Ref {
	t.Helper()
	type header struct{ name, value string }
	sign := func(method, target, body string, headers []header, akid, secret, token, service, region string, contentSHA bool) sigv4Parts {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		r, err := http.NewRequestWithContext(context.Background(), method, "http://127.0.0.1:8000"+target, rd)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range headers {
			r.Header.Set(h.name, h.value)
		}
		sum := sha256.Sum256([]byte(body))
		hash := hex.EncodeToString(sum[:])
		if contentSHA {
			r.Header.Set("X-Amz-Content-Sha256", hash)
		}
		creds := aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: token}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hash, service, region, sigv4Now); err != nil {
			t.Fatal(err)
		}
		p := sigv4Parts{
			Method: r.Method, Target: r.URL.RequestURI(), Host: r.Host, Body: []byte(body),
			Auth: r.Header.Get("Authorization"), Date: r.Header.Get("X-Amz-Date"),
			Token: r.Header.Get("X-Amz-Security-Token"), ContentSHA: r.Header.Get("X-Amz-Content-Sha256"),
			ContentType: r.Header.Get("Content-Type"), AmzTarget: r.Header.Get("X-Amz-Target"),
		}
		for name := range r.Header {
			switch name {
			case "Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256", "Content-Type", "X-Amz-Target":
			default:
				t.Fatalf("signed request has header %s, which sigv4Parts does not hold", name)
			}
		}
		return p
	}
	presign := func(target, akid, secret string) sigv4Parts {
		t.Helper()
		r, err := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://127.0.0.1:8000"+target, nil)
		if err != nil {
			t.Fatal(err)
		}
		creds := aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}
		signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, emptySHA256, "execute-api", "us-east-1", sigv4Now)
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(signed)
		if err != nil {
			t.Fatal(err)
		}
		return sigv4Parts{Method: http.MethodGet, Target: u.RequestURI(), Host: u.Host}
	}
	caller := func(akid, service, principal string) *verify.Caller {
		return &verify.Caller{AccessKeyID: akid, Region: "us-east-1", Service: service, SignedAt: sigv4Now, Principal: principal}
	}
	dynamo := []header{{"Content-Type", "application/x-amz-json-1.0"}, {"X-Amz-Target", "DynamoDB_20120810.GetItem"}}
	cognito := []header{{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "AWSCognitoIdentityProviderService.ListUsers"}}
	refs := []sigv4Ref{
		{
			name:  "GET with query",
			parts: sign(http.MethodGet, "/items?limit=10&name=a%20b&name=c&empty=", "", nil, "AKIDLONGTERM", "long-term-secret", "", "execute-api", "us-east-1", false),
			want:  caller("AKIDLONGTERM", "execute-api", "admin"),
		},
		{
			name:  "POST with JSON body",
			parts: sign(http.MethodPost, "/", `{"TableName":"products","Key":{"id":{"S":"1"}}}`, dynamo, "AKIDLONGTERM", "long-term-secret", "", "dynamodb", "us-east-1", false),
			want:  caller("AKIDLONGTERM", "dynamodb", "admin"),
		},
		{
			name:  "session token and content sha256",
			parts: sign(http.MethodPost, "/", `{"UserPoolId":"us-east-1_abc"}`, cognito, "ASIATEMPORARY", "temporary-secret", "session-token-1", "cognito-idp", "us-east-1", true),
			want:  caller("ASIATEMPORARY", "cognito-idp", "role/reader"),
		},
		{
			name:  "escaped path with body",
			parts: sign(http.MethodPut, "/a%20b/c%2Fd/%C3%A9?x=%2B&y=1", "hello", []header{{"Content-Type", "text/plain"}}, "AKIDLONGTERM", "long-term-secret", "", "lambda", "us-east-1", false),
			want:  caller("AKIDLONGTERM", "lambda", "admin"),
		},
		{
			name:    "expired session token",
			parts:   sign(http.MethodPost, "/", `{"UserPoolId":"us-east-1_abc"}`, cognito, "ASIAEXPIRED", "expired-secret", "session-token-2", "cognito-idp", "us-east-1", false),
			want:    caller("ASIAEXPIRED", "cognito-idp", "role/old"),
			expires: sigv4Store["ASIAEXPIRED"].Expires,
			kind:    verify.ErrCredentialsExpired,
		},
		{
			name:  "other region",
			parts: sign(http.MethodPost, "/", `{"TableName":"products"}`, dynamo, "AKIDLONGTERM", "long-term-secret", "", "dynamodb", "eu-west-1", false),
			kind:  verify.ErrAuthorization,
		},
		{
			name:  "presigned URL",
			parts: presign("/items?limit=10", "AKIDLONGTERM", "long-term-secret"),
			kind:  verify.ErrUnsigned,
		},
	}
	for i := range refs {
		ref := &refs[i]
		r, ok := ref.parts.request()
		if !ok {
			t.Fatalf("%s: the server refuses the signed request:\n%s", ref.name, ref.parts.wire())
		}
		ref.req = r
		if ref.parts.Auth != "" {
			a, err := verify.ParseSigV4Authorization(ref.parts.Auth)
			if err != nil {
				t.Fatal(err)
			}
			ref.signed = a.SignedHeaders
		}
	}
	return refs
}

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// sigv4Codes are the AWS error codes of each kind of SigV4Error that
// Verify returns with a StaticCredentials store, as services send them in
// __type.
var sigv4Codes = map[error]string{
	verify.ErrUnsigned:           "MissingAuthenticationTokenException",
	verify.ErrAuthorization:      "IncompleteSignatureException",
	verify.ErrAccessKey:          "UnrecognizedClientException",
	verify.ErrSecurityToken:      "UnrecognizedClientException",
	verify.ErrCredentialsExpired: "ExpiredTokenException",
	verify.ErrRequestTime:        "InvalidSignatureException",
	verify.ErrPayloadHash:        "InvalidSignatureException",
	verify.ErrSignatureMismatch:  "InvalidSignatureException",
}

// sameSigned says how r differs from ref in a part ref's signature covers,
// or returns "" if it differs in none. Parts compare as SigV4 canonicalizes
// them: query parameters in any order, header values with runs of spaces
// as one and several header lines as one value joined by commas, and the
// host without a default port.
func sameSigned(r *http.Request, body []byte, ref sigv4Ref) string {
	s := ref.req
	if r.Method != s.Method {
		return "method"
	}
	if p := r.URL.Path; r.URL.Opaque != "" || p != s.URL.Path && !(p == "" && s.URL.Path == "/") {
		return "path" // an empty path is "/" (RFC 9112, section 3.2.2)
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "query (malformed)"
	}
	if diff := cmp.Diff(sortedQuery(s.URL.Query()), sortedQuery(q)); diff != "" {
		return "query"
	}
	if stripDefaultPort(r.Host) != stripDefaultPort(s.Host) {
		return "host"
	}
	if !bytes.Equal(body, ref.parts.Body) {
		return "body"
	}
	for _, h := range ref.signed {
		if h == "host" || h == "content-length" {
			continue
		}
		if got, want := canonicalHeader(r.Header.Values(h)), canonicalHeader(s.Header.Values(h)); got != want {
			return "header " + h
		}
	}
	return ""
}

func sortedQuery(q url.Values) url.Values {
	for _, vs := range q {
		slices.Sort(vs)
	}
	return q
}

func stripDefaultPort(host string) string {
	return strings.TrimSuffix(strings.TrimSuffix(host, ":80"), ":443")
}

// canonicalHeader is the value SigV4's canonical request holds for a
// header with values vs: each trimmed of spaces and tabs, with runs of
// spaces made one, joined by commas.
func canonicalHeader(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		v = strings.Trim(v, " \t")
		for strings.Contains(v, "  ") {
			v = strings.ReplaceAll(v, "  ", " ")
		}
		out[i] = v
	}
	return strings.Join(out, ",")
}

// checkSigV4Error fails t unless err is a *SigV4Error of a known kind with
// the code AWS sends for it, about r, naming no secret r does not carry.
func checkSigV4Error(t *testing.T, err error, r *http.Request, wire []byte) *verify.SigV4Error {
	t.Helper()
	se, ok := err.(*verify.SigV4Error)
	if !ok {
		t.Fatalf("Verify error %T %v is not a *SigV4Error", err, err)
	}
	code, known := sigv4Codes[se.Kind]
	if !known {
		t.Fatalf("Verify error %v has kind %v, want one of the request's kinds", err, se.Kind)
	}
	if !errors.Is(err, se.Kind) || se.Code != code || se.Message == "" || se.Reason == "" {
		t.Fatalf("Verify error %+v: want errors.Is its kind, code %s, a message and a reason", se, code)
	}
	if unsigned := r.Header.Get("Authorization") == ""; unsigned != (se.Kind == verify.ErrUnsigned) {
		t.Fatalf("Verify error %v for a request with Authorization %q", err, r.Header.Get("Authorization"))
	}
	for _, c := range sigv4Store {
		for _, secret := range []string{c.SecretAccessKey, c.SessionToken} {
			if secret != "" && strings.Contains(se.Error()+se.Message, secret) && !bytes.Contains(wire, []byte(secret)) {
				t.Fatalf("Verify error %+v reveals a secret", se)
			}
		}
	}
	return se
}

// FuzzSigV4Verify alters requests the AWS SDK's signer signed (method,
// target, host, signed and unsigned headers, body, Authorization) and the
// verifier's clock. Verify must accept a request only if every part the
// signature covers is the signed one and the clock is within 15 minutes of
// the signing time, must refuse with a *SigV4Error carrying AWS's code,
// and must accept every signed request unaltered.
func FuzzSigV4Verify(f *testing.F) {
	refs := sigv4Refs(f)
	add := func(p sigv4Parts, skew int32) {
		f.Add(p.Method, p.Target, p.Host, p.Auth, p.Date, p.Token, p.ContentSHA, p.ContentType, p.AmzTarget, p.Extra, p.Body, skew)
	}
	for _, ref := range refs {
		add(ref.parts, 0)
		for _, skew := range []int32{-900, 900, 901, -3600} {
			add(ref.parts, skew)
		}
		p := ref.parts
		p.Extra = "User-Agent: aws-sdk-go-v2/1.48.0\r\nX-Amzn-Trace-Id: Root=1-5e7d7595-212fxmpl9ee07c4884191322\r\n"
		add(p, 60)
		p = ref.parts
		p.Host = "127.0.0.1:80"
		add(p, 0)
		p = ref.parts
		p.Body = append([]byte("x"), p.Body...)
		add(p, 0)
	}
	for _, tc := range sigv4Alterations {
		p := sigv4RefNamed(f, refs, tc.ref).parts
		tc.edit(&p)
		add(p, int32(tc.skew/time.Second))
	}

	f.Fuzz(func(t *testing.T, method, target, host, auth, date, token, contentSHA, contentType, amzTarget, extra string, body []byte, skew int32) {
		p := sigv4Parts{
			Method: method, Target: target, Host: host, Auth: auth, Date: date, Token: token,
			ContentSHA: contentSHA, ContentType: contentType, AmzTarget: amzTarget, Extra: extra, Body: body,
		}
		r, ok := p.request()
		if !ok {
			return
		}
		// The request as the server reads it, from a second parse, to
		// compare with r after Verify.
		r2, _ := p.request()
		sent, sentErr := io.ReadAll(r2.Body)

		d := time.Duration(skew) * time.Second
		now := sigv4Now.Add(d)
		inSkew := d >= -verify.DefaultMaxSkew && d <= verify.DefaultMaxSkew
		c, err := sigv4FuzzVerifier(d).Verify(r)

		// Completeness: the signed requests, unaltered.
		for _, ref := range refs {
			if !p.equal(ref.parts) {
				continue
			}
			switch {
			case ref.valid(now) && inSkew:
				if err != nil {
					t.Fatalf("Verify(%s unaltered, clock %+ds) = %v, want accepted", ref.name, skew, err)
				}
			case ref.want != nil && !inSkew:
				if !errors.Is(err, verify.ErrRequestTime) {
					t.Fatalf("Verify(%s unaltered, clock %+ds) = %v, want ErrRequestTime", ref.name, skew, err)
				}
			case inSkew:
				if !errors.Is(err, ref.kind) {
					t.Fatalf("Verify(%s unaltered, clock %+ds) = %v, want %v", ref.name, skew, err, ref.kind)
				}
			}
		}

		if !maps.EqualFunc(r2.Header, r.Header, slices.Equal) {
			diff := cmp.Diff(r2.Header, r.Header)
			t.Fatalf("Verify changed the request's header (-before +after):\n%s", diff)
		}
		if err != nil {
			checkSigV4Error(t, err, r, p.wire())
			return
		}

		// Soundness: an accepted request is one of the signed requests.
		if !inSkew {
			t.Fatalf("Verify accepted a request with the clock %+ds from its signing time:\n%s", skew, p.wire())
		}
		got, gotErr := io.ReadAll(r.Body)
		if sentErr != nil || gotErr != nil || !bytes.Equal(got, sent) {
			t.Fatalf("after Verify the body reads %q (%v), want %q (%v)", got, gotErr, sent, sentErr)
		}
		var diffs []string
		for _, ref := range refs {
			if !ref.valid(now) {
				continue
			}
			diff := sameSigned(r2, sent, ref)
			if diff == "" {
				if d := cmp.Diff(ref.want, c); d != "" {
					t.Fatalf("Verify(%s) caller (-want +got):\n%s", ref.name, d)
				}
				return
			}
			diffs = append(diffs, ref.name+": "+diff)
		}
		t.Fatalf("Verify accepted a request that differs from each signed one in a signed part (%s):\n%s",
			strings.Join(diffs, "; "), p.wire())
	})
}

// sigv4Alterations are changes to the signed requests of sigv4Refs on
// the wire, with the kind of error Verify refuses each with, or nil for
// the changes SigV4's canonical form allows. They seed FuzzSigV4Verify too.
var sigv4Alterations = []struct {
	name string
	ref  string
	edit func(p *sigv4Parts)
	skew time.Duration
	want error // nil: accepted
}{
	{name: "unaltered", ref: "POST with JSON body", edit: func(p *sigv4Parts) {}},
	{name: "query reordered", ref: "GET with query", edit: func(p *sigv4Parts) {
		p.Target = "/items?name=a%20b&empty=&name=c&limit=10"
	}},
	{name: "spaces in a signed header", ref: "POST with JSON body", edit: func(p *sigv4Parts) {
		p.ContentType = "application/x-amz-json-1.0  "
		p.AmzTarget = " DynamoDB_20120810.GetItem"
	}},
	{name: "signed header split in two lines", ref: "POST with JSON body", edit: func(p *sigv4Parts) {
		p.Extra = "Content-Type: application/x-amz-json-1.0\r\n"
		p.ContentType = ""
	}},
	{name: "unsigned header added", ref: "session token and content sha256", edit: func(p *sigv4Parts) {
		p.Extra = "User-Agent: other\r\nX-Forwarded-For: 10.0.0.1\r\n"
	}},
	{name: "absolute-form target", ref: "GET with query", edit: func(p *sigv4Parts) {
		p.Target = "http://127.0.0.1:8000" + p.Target
		p.Host = "ignored.example"
	}},
	{name: "absolute-form target without path", ref: "POST with JSON body", edit: func(p *sigv4Parts) {
		p.Target = "http://127.0.0.1:8000"
	}},
	{name: "clock 15 minutes behind", ref: "GET with query", edit: func(p *sigv4Parts) {}, skew: -15 * time.Minute},
	{name: "clock 15 minutes and 1 s ahead", ref: "GET with query", edit: func(p *sigv4Parts) {}, skew: 15*time.Minute + time.Second,
		want: verify.ErrRequestTime},
	{name: "other port", ref: "POST with JSON body", edit: func(p *sigv4Parts) { p.Host = "127.0.0.1:8001" },
		want: verify.ErrSignatureMismatch},
	{name: "method changed", ref: "GET with query", edit: func(p *sigv4Parts) { p.Method = "DELETE" },
		want: verify.ErrSignatureMismatch},
	{name: "path escape decoded", ref: "escaped path with body", edit: func(p *sigv4Parts) {
		p.Target = strings.Replace(p.Target, "%C3%A9", "\u00e9", 1)
	}, want: verify.ErrSignatureMismatch},
	{name: "fractional seconds in X-Amz-Date", ref: "POST with JSON body", edit: func(p *sigv4Parts) {
		p.Date = strings.TrimSuffix(p.Date, "Z") + ".9Z"
	}, want: verify.ErrSignatureMismatch},
	{name: "second X-Amz-Date", ref: "POST with JSON body", edit: func(p *sigv4Parts) {
		p.Extra = "X-Amz-Date: 20250601T130000Z\r\n"
	}, want: verify.ErrSignatureMismatch},
	{name: "second X-Amz-Security-Token", ref: "session token and content sha256", edit: func(p *sigv4Parts) {
		p.Extra = "X-Amz-Security-Token: other\r\n"
	}, want: verify.ErrSignatureMismatch},
	{name: "query pair with semicolon", ref: "GET with query", edit: func(p *sigv4Parts) {
		p.Target += "&admin;x=1"
	}, want: verify.ErrSignatureMismatch},
	{name: "query pair with bad escape", ref: "GET with query", edit: func(p *sigv4Parts) {
		p.Target += "&admin=%zz"
	}, want: verify.ErrSignatureMismatch},
	{name: "opaque target", ref: "GET with query", edit: func(p *sigv4Parts) {
		p.Target = "http:x/items?" + strings.SplitN(p.Target, "?", 2)[1]
	}, want: verify.ErrSignatureMismatch},
	{name: "no-break space after signed header", ref: "POST with JSON body", edit: func(p *sigv4Parts) {
		p.AmzTarget += "\u00a0"
	}, want: verify.ErrSignatureMismatch},
}

// TestSigV4VerifyAltered runs Verify on the signed requests altered by
// sigv4Alterations.
func TestSigV4VerifyAltered(t *testing.T) {
	refs := sigv4Refs(t)
	for _, tc := range sigv4Alterations {
		t.Run(tc.name, func(t *testing.T) {
			p := sigv4RefNamed(t, refs, tc.ref).parts
			tc.edit(&p)
			r, ok := p.request()
			if !ok {
				t.Fatalf("the server refuses the request:\n%s", p.wire())
			}
			before := r.Header.Clone()
			_, err := sigv4FuzzVerifier(tc.skew).Verify(r)
			if diff := cmp.Diff(before, r.Header); diff != "" {
				t.Errorf("Verify changed the request's header (-before +after):\n%s", diff)
			}
			var got error
			if err != nil {
				got = checkSigV4Error(t, err, r, p.wire()).Kind
			}
			if got != tc.want {
				t.Errorf("Verify(%s, altered) = %v, want kind %v", tc.ref, err, tc.want)
			}
		})
	}
}

func sigv4RefNamed(t testing.TB, refs []sigv4Ref, name string) sigv4Ref {
	t.Helper()
	for _, r := range refs {
		if r.name == name {
			return r
		}
	}
	t.Fatalf("no signed request %q", name)
	return sigv4Ref{}
}
