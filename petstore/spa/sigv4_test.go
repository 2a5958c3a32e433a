package spa_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/petstore/spa"
	"github.com/faasport/faasport/verify"
)

// signCase is a request for sigv4.js to sign, as the test page receives it.
type signCase struct {
	Name        string            `json:"name"`
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	Headers     map[string]string `json:"headers"`
	Body        string            `json:"body"`
	Credentials struct {
		AccessKeyID     string `json:"accessKeyId"`
		SecretAccessKey string `json:"secretAccessKey"`
		SessionToken    string `json:"sessionToken,omitempty"`
	} `json:"credentials"`
	Region  string `json:"region"`
	Service string `json:"service"`
	Date    string `json:"date"` // RFC 3339
}

// signResult is what the test page posts back for a case.
type signResult struct {
	Name             string            `json:"name"`
	Headers          map[string]string `json:"headers"`
	CanonicalRequest string            `json:"canonicalRequest"`
	StringToSign     string            `json:"stringToSign"`
	Error            string            `json:"error"`
}

// wireResult is what the server said about a request the page signed
// and sent for real.
type wireResult struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

func signCases() []signCase {
	const (
		akid   = "ASIAQNZGKIQY56JQ7WML"
		secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
		token  = "IQoJb3JpZ2luX2VjEFYaCXVzLWVhc3QtMSJHMEUCIQD6m+Wk1ov2sV7VdQk7dQc0cN5z1lwN6rZ4YkO3U2cFbAIgK1GwNbcIEXAMPLETOKEN=="
	)
	dynamo := func(name, url, target, body string) signCase {
		c := signCase{Name: name, Method: "POST", URL: url, Body: body, Region: "us-east-1", Service: "dynamodb",
			Date: "2024-03-09T14:05:07Z",
			Headers: map[string]string{
				"Content-Type": "application/x-amz-json-1.0",
				"X-Amz-Target": target,
			}}
		c.Credentials.AccessKeyID, c.Credentials.SecretAccessKey, c.Credentials.SessionToken = akid, secret, token
		return c
	}
	cases := []signCase{
		dynamo("query on the emulator", "http://127.0.0.1:4566/", "DynamoDB_20120810.Query",
			`{"TableName":"Products","IndexName":"category-index","KeyConditionExpression":"#category = :category","ExpressionAttributeValues":{":category":{"S":"dogs"}},"Limit":12}`),
		dynamo("get item on AWS", "https://dynamodb.eu-west-1.amazonaws.com/", "DynamoDB_20120810.GetItem",
			`{"TableName":"Products","Key":{"id":{"S":"dog-beagle-puppy"}}}`),
		dynamo("unicode body", "http://localhost:8000/", "DynamoDB_20120810.Scan",
			`{"TableName":"Pâtée","ExclusiveStartKey":{"id":{"S":"chat-🐟-gourmand"}}}`),
		dynamo("empty body", "http://127.0.0.1:4566/", "DynamoDB_20120810.ListTables", ``),
	}
	cases[1].Region = "eu-west-1"
	cases[1].Date = "2023-12-31T23:59:59Z" // the scope's date is the UTC day

	// A path and query that need encoding, and long-term keys (no token).
	q := dynamo("path and query, no session token", "https://example.execute-api.us-east-1.amazonaws.com/prod/api/search%20now/caf%C3%A9?q=cat%20toy&page=2&a=b~c&a=a+b&empty=", "", "")
	q.Method, q.Service = "GET", "execute-api"
	q.Headers = map[string]string{"Accept": "application/json"}
	q.Credentials.AccessKeyID, q.Credentials.SessionToken = "AKIDEXAMPLE", ""
	cases = append(cases, q)

	// Header values with runs of spaces are folded.
	sp := dynamo("header spaces", "http://127.0.0.1:4566/", "DynamoDB_20120810.Query", `{}`)
	sp.Headers["X-Amz-Meta-Note"] = "  two   spaces  "
	cases = append(cases, sp)
	return cases
}

// sdkSign signs c with aws-sdk-go-v2's signer and returns the headers it
// sets.
func sdkSign(t *testing.T, c signCase) map[string]string {
	t.Helper()
	var body io.Reader
	if c.Body != "" {
		body = strings.NewReader(c.Body)
	}
	req, err := http.NewRequest(c.Method, c.URL, body)
	if err != nil {
		t.Fatal(err)
	}
	// A browser sets Content-Length itself and sigv4.js leaves it unsigned
	// (SigV4 requires only host and x-amz-date). The SDK signs it when it
	// knows it, so the reference request does not tell it.
	req.ContentLength = 0
	for k, v := range c.Headers {
		req.Header.Set(k, v)
	}
	at, err := time.Parse(time.RFC3339, c.Date)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(c.Body))
	creds := aws.Credentials{AccessKeyID: c.Credentials.AccessKeyID, SecretAccessKey: c.Credentials.SecretAccessKey, SessionToken: c.Credentials.SessionToken}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), c.Service, c.Region, at); err != nil {
		t.Fatalf("%s: SignHTTP: %v", c.Name, err)
	}
	out := map[string]string{}
	for k, v := range c.Headers {
		out[k] = v
	}
	out["Authorization"] = req.Header.Get("Authorization")
	out["X-Amz-Date"] = req.Header.Get("X-Amz-Date")
	if tok := req.Header.Get("X-Amz-Security-Token"); tok != "" {
		out["X-Amz-Security-Token"] = tok
	}
	return out
}

// sigv4TestPage signs the cases from /cases.json with sigv4.js, then
// signs and sends one real request to /signed, and posts everything to
// /result.
const sigv4TestPage = `<!doctype html>
<meta charset="utf-8">
<title>sigv4.js test</title>
<script type="module">
import { sign } from '/sigv4.js';

async function run() {
  const cases = await (await fetch('/cases.json')).json();
  const results = [];
  for (const c of cases) {
    try {
      const r = await sign({ method: c.method, url: c.url, headers: c.headers, body: c.body },
        c.credentials, { region: c.region, service: c.service, date: new Date(c.date) });
      results.push({ name: c.name, headers: r.headers, canonicalRequest: r.canonicalRequest, stringToSign: r.stringToSign });
    } catch (e) {
      results.push({ name: c.name, error: String(e && e.stack || e) });
    }
  }

  // A request signed now and sent over the wire, as the app sends them:
  // the browser supplies Host and Content-Length.
  let wire;
  try {
    const body = JSON.stringify({ TableName: 'Products', Key: { id: { S: 'fish-göldie' } } });
    const creds = await (await fetch('/wire-credentials.json')).json();
    const { headers } = await sign({
      method: 'POST',
      url: new URL('/signed', location.href).href,
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.GetItem' },
      body,
    }, creds, { region: 'us-east-1', service: 'dynamodb' });
    const res = await fetch('/signed', { method: 'POST', headers, body });
    wire = { status: res.status, body: await res.text() };
  } catch (e) {
    wire = { status: 0, body: String(e && e.stack || e) };
  }
  await fetch('/result', { method: 'POST', body: JSON.stringify({ results, wire }) });
}
run().catch((e) => fetch('/result', { method: 'POST', body: JSON.stringify({ fatal: String(e && e.stack || e) }) }));
</script>
`

// TestSigV4InBrowser signs requests with sigv4.js in headless Chromium and
// checks every signature against aws-sdk-go-v2's signer, then sends a
// signed request over the wire and checks it with verify.SigV4Verifier,
// the verifier the emulator uses.
func TestSigV4InBrowser(t *testing.T) {
	b := newBrowser(t)
	cases := signCases()

	wireCreds := verify.Credentials{
		AccessKeyID:     "ASIAWIRETEST00000001",
		SecretAccessKey: "wire/secret/EXAMPLEKEY+0123456789abcdef",
		SessionToken:    "wire-session-token-EXAMPLE",
		Expires:         time.Now().Add(time.Hour),
	}
	verifier := &verify.SigV4Verifier{
		Credentials: verify.StaticCredentials{wireCreds.AccessKeyID: wireCreds},
		Service:     "dynamodb",
		Region:      "us-east-1",
	}

	type report struct {
		Results []signResult `json:"results"`
		Wire    wireResult   `json:"wire"`
		Fatal   string       `json:"fatal"`
	}
	reports := make(chan report, 1)
	mux := http.NewServeMux()
	mux.Handle("/", spa.Handler(spa.Config{}))
	mux.HandleFunc("GET /sigv4-test.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, sigv4TestPage)
	})
	mux.HandleFunc("GET /cases.json", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(cases)
	})
	mux.HandleFunc("GET /wire-credentials.json", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{
			"accessKeyId": wireCreds.AccessKeyID, "secretAccessKey": wireCreds.SecretAccessKey, "sessionToken": wireCreds.SessionToken,
		})
	})
	mux.HandleFunc("POST /signed", func(w http.ResponseWriter, r *http.Request) {
		caller, err := verifier.Verify(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "verified %s host=%s body=%s", caller.AccessKeyID, r.Host, body)
	})
	mux.HandleFunc("POST /result", func(w http.ResponseWriter, r *http.Request) {
		var rep report
		if err := json.NewDecoder(r.Body).Decode(&rep); err != nil {
			rep.Fatal = "decoding the report: " + err.Error()
		}
		select {
		case reports <- rep:
		default:
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/sigv4-test.html")); err != nil {
		t.Fatalf("navigating to the test page: %v", err)
	}
	var rep report
	select {
	case rep = <-reports:
	case <-time.After(60 * time.Second):
		t.Fatalf("the test page posted no result in 60s; console:\n%s", strings.Join(b.consoleLines(), "\n"))
	}
	if rep.Fatal != "" {
		t.Fatalf("the test page failed: %s", rep.Fatal)
	}
	if len(rep.Results) != len(cases) {
		t.Fatalf("the test page signed %d cases, want %d", len(rep.Results), len(cases))
	}
	for i, c := range cases {
		got := rep.Results[i]
		t.Run(c.Name, func(t *testing.T) {
			if got.Error != "" {
				t.Fatalf("sigv4.js: %s", got.Error)
			}
			want := sdkSign(t, c)
			if diff := cmp.Diff(want, got.Headers); diff != "" {
				t.Errorf("sigv4.js headers differ from aws-sdk-go-v2's (-want +got):\n%s\ncanonical request:\n%s\nstring to sign:\n%s",
					diff, got.CanonicalRequest, got.StringToSign)
			}
		})
	}
	t.Run("over the wire", func(t *testing.T) {
		if rep.Wire.Status != http.StatusOK {
			t.Fatalf("POST /signed = %d %s, want 200 (verified)", rep.Wire.Status, rep.Wire.Body)
		}
		want := fmt.Sprintf(`verified %s host=%s body={"TableName":"Products","Key":{"id":{"S":"fish-göldie"}}}`,
			wireCreds.AccessKeyID, strings.TrimPrefix(srv.URL, "http://"))
		if rep.Wire.Body != want {
			t.Errorf("POST /signed answered %q, want %q", rep.Wire.Body, want)
		}
	})
}
