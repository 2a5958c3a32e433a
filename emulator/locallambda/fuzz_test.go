package locallambda_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faasport/faasport/emulator/locallambda"
	"github.com/faasport/faasport/faas"
)

// failsPayload is what the function "fails" of FuzzInvokeAPI answers.
const failsPayload = `{"errorMessage":"it failed","errorType":"errorString"}`

// invokeErrorStatus is the HTTP status of each error type the Invoke API
// answers with, as AWS documents it.
var invokeErrorStatus = map[string]int{
	locallambda.ResourceNotFoundException:      404,
	locallambda.RequestTooLargeException:       413,
	locallambda.RequestEntityTooLargeException: 413,
	locallambda.TooManyRequestsException:       429,
	locallambda.InvalidRequestContentException: 400,
	locallambda.InvalidParameterValueException: 400,
	locallambda.ValidationException:            400,
	locallambda.ServiceException:               500,
	locallambda.UnknownOperationException:      404,
}

// invokeRequest is the part of an Invoke API request FuzzInvokeAPI varies.
type invokeRequest struct {
	method, target              string
	invocationType, logType, cc string // X-Amz-Invocation-Type, X-Amz-Log-Type, X-Amz-Client-Context
	body                        []byte
	chunked                     bool // body is sent as is with Transfer-Encoding: chunked
}

// raw returns the request as a client sends it, or false when a header
// value would end its line.
func (r invokeRequest) raw() ([]byte, bool) {
	var b bytes.Buffer
	b.WriteString(r.method + " " + r.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	for _, h := range [][2]string{
		{"X-Amz-Invocation-Type", r.invocationType},
		{"X-Amz-Log-Type", r.logType},
		{"X-Amz-Client-Context", r.cc},
	} {
		if h[1] == "" {
			continue
		}
		if strings.ContainsAny(h[1], "\r\n") {
			return nil, false
		}
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	if r.chunked {
		b.WriteString("Transfer-Encoding: chunked\r\n\r\n")
	} else {
		b.WriteString("Content-Length: " + strconv.Itoa(len(r.body)) + "\r\n\r\n")
	}
	b.Write(r.body)
	return b.Bytes(), true
}

// invokeSeeds are valid and invalid Invoke API requests.
var invokeSeeds = map[string]invokeRequest{
	"echo":                 {method: "POST", target: "/2015-03-31/functions/echo/invocations", body: []byte(`{"hello":"world"}`)},
	"empty payload":        {method: "POST", target: "/2015-03-31/functions/echo/invocations"},
	"request response":     {method: "POST", target: "/2015-03-31/functions/echo/invocations", invocationType: "RequestResponse", body: []byte(`[1,2,3]`)},
	"event":                {method: "POST", target: "/2015-03-31/functions/echo/invocations", invocationType: "Event", body: []byte(`{}`)},
	"dry run":              {method: "POST", target: "/2015-03-31/functions/echo/invocations", invocationType: "DryRun"},
	"log tail":             {method: "POST", target: "/2015-03-31/functions/echo/invocations", logType: "Tail", body: []byte(`"x"`)},
	"log none":             {method: "POST", target: "/2015-03-31/functions/echo/invocations", logType: "None", body: []byte(`null`)},
	"function error":       {method: "POST", target: "/2015-03-31/functions/fails/invocations", logType: "Tail", body: []byte(`{}`)},
	"function error event": {method: "POST", target: "/2015-03-31/functions/fails/invocations", invocationType: "Event"},
	"qualified name":       {method: "POST", target: "/2015-03-31/functions/echo:$LATEST/invocations", body: []byte(`1`)},
	"qualifier query":      {method: "POST", target: "/2015-03-31/functions/echo/invocations?Qualifier=%24LATEST", body: []byte(`1`)},
	"ARN": {method: "POST", target: "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho/invocations",
		body: []byte(`{"a":[true,false,null]}`)},
	"qualified ARN": {method: "POST", target: "/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST/invocations?Qualifier=$LATEST",
		body: []byte(`{}`)},
	"partial ARN":    {method: "POST", target: "/2015-03-31/functions/123456789012%3Afunction%3Aecho/invocations", body: []byte(`{}`)},
	"client context": {method: "POST", target: "/2015-03-31/functions/echo/invocations", cc: "eyJjdXN0b20iOnsiYSI6ImIifX0=", body: []byte(`{}`)},
	"chunked":        {method: "POST", target: "/2015-03-31/functions/echo/invocations", body: []byte("7\r\n{\"a\":1}\r\n0\r\n\r\n"), chunked: true},

	"not found":                {method: "POST", target: "/2015-03-31/functions/nope/invocations", body: []byte(`{}`)},
	"other region ARN":         {method: "POST", target: "/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:echo/invocations"},
	"other qualifier":          {method: "POST", target: "/2015-03-31/functions/echo/invocations?Qualifier=1"},
	"conflicting qualifiers":   {method: "POST", target: "/2015-03-31/functions/echo:$LATEST/invocations?Qualifier=prod"},
	"empty qualifier":          {method: "POST", target: "/2015-03-31/functions/echo:/invocations"},
	"escaped slash":            {method: "POST", target: "/2015-03-31/functions/echo%2Fx/invocations"},
	"bad escape":               {method: "POST", target: "/2015-03-31/functions/ec%zzho/invocations"},
	"empty name":               {method: "POST", target: "/2015-03-31/functions//invocations"},
	"unknown path":             {method: "GET", target: "/2015-03-31/functions"},
	"wrong method":             {method: "GET", target: "/2015-03-31/functions/echo/invocations"},
	"extra segment":            {method: "POST", target: "/2015-03-31/functions/echo/x/invocations"},
	"absolute target":          {method: "POST", target: "http://127.0.0.1/2015-03-31/functions/echo/invocations", body: []byte(`{}`)},
	"bad invocation type":      {method: "POST", target: "/2015-03-31/functions/echo/invocations", invocationType: "Soon"},
	"bad log type":             {method: "POST", target: "/2015-03-31/functions/echo/invocations", logType: "tail"},
	"bad client context":       {method: "POST", target: "/2015-03-31/functions/echo/invocations", cc: "not base64!", body: []byte(`{}`)},
	"client context not JSON":  {method: "POST", target: "/2015-03-31/functions/echo/invocations", cc: "aGVsbG8=", body: []byte(`{}`)},
	"payload not JSON":         {method: "POST", target: "/2015-03-31/functions/echo/invocations", body: []byte(`{"a":`)},
	"event payload not JSON":   {method: "POST", target: "/2015-03-31/functions/echo/invocations", invocationType: "Event", body: []byte(`hello`)},
	"dry run payload not JSON": {method: "POST", target: "/2015-03-31/functions/echo/invocations", invocationType: "DryRun", body: []byte(`hello`)},
	"malformed chunks":         {method: "POST", target: "/2015-03-31/functions/echo/invocations", body: []byte("7\r\n{}"), chunked: true},
}

// FuzzInvokeAPI sends arbitrary requests to the Invoke API of a Service
// with two functions, "echo" (answers its payload) and "fails" (returns
// an error), and checks what every answer must be: a status AWS uses,
// AWS's error shape for invocation errors, and for an invocation Lambda's
// headers and the function's result.
func FuzzInvokeAPI(f *testing.F) {
	for _, name := range slices.Sorted(maps.Keys(invokeSeeds)) {
		r := invokeSeeds[name]
		f.Add(r.method, r.target, r.invocationType, r.logType, r.cc, r.body, r.chunked)
	}
	s := newService(f, &locallambda.Options{RetryDelays: []time.Duration{}}) // Event errors are not retried
	mustRegister(f, s, faas.Config{Name: "echo"}, echo)
	mustRegister(f, s, faas.Config{Name: "fails"}, faas.FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		return nil, errors.New("it failed")
	}))
	h := s.Handler()
	f.Fuzz(func(t *testing.T, method, target, invocationType, logType, cc string, body []byte, chunked bool) {
		if strings.ContainsAny(method+target, "\r\n") {
			return
		}
		raw, ok := invokeRequest{method, target, invocationType, logType, cc, body, chunked}.raw()
		if !ok {
			return
		}
		req, err := readRequest(raw)
		if err != nil {
			return // a server answers 400 before any handler runs
		}
		// The payload as the handler reads it.
		model, _ := readRequest(raw)
		payload, readErr := io.ReadAll(model.Body)

		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		checkInvokeAnswer(t, raw, req, payload, readErr, w)
	})
}

// readRequest reads raw as a server reads a request.
func readRequest(raw []byte) (*http.Request, error) {
	return http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
}

// checkInvokeAnswer checks w, the Invoke API's answer to req, which was
// read from raw and whose body is payload (or failed to read with
// readErr).
func checkInvokeAnswer(t *testing.T, raw []byte, req *http.Request, payload []byte, readErr error, w *httptest.ResponseRecorder) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("request %q\nanswer %d %v %q:\n"+format, append([]any{raw, w.Code, w.Header(), w.Body}, args...)...)
	}
	hd := w.Header()
	if hd.Get("X-Amzn-Requestid") == "" {
		fail("no X-Amzn-Requestid")
	}
	if w.Code >= 400 {
		checkInvokeError(t, fail, req, w)
		return
	}
	//lint:ignore SA1008 the server writes the header in AWS's spelling, bypassing canonicalisation
	if _, ok := hd["x-amzn-ErrorType"]; ok {
		fail("x-amzn-ErrorType in a %d answer", w.Code)
	}
	if req.Method != http.MethodPost {
		fail("a %s request was served", req.Method)
	}
	if readErr != nil {
		fail("served, but the body cannot be read: %v", readErr)
	}
	typ := req.Header.Get("X-Amz-Invocation-Type")
	wantStatus := map[string]int{"": 200, "RequestResponse": 200, "Event": 202, "DryRun": 204}[typ]
	if w.Code != wantStatus {
		fail("status %d for invocation type %q, want %d", w.Code, typ, wantStatus)
	}
	if w.Code != 204 { // a dry run does not look at the payload or client context
		if len(payload) > 0 && !json.Valid(payload) {
			fail("invoked with a payload that is not JSON")
		}
		if cc := req.Header.Get("X-Amz-Client-Context"); cc != "" {
			b, err := base64.StdEncoding.DecodeString(cc)
			var obj map[string]any
			if len(cc) > locallambda.MaxClientContextSize || err != nil || json.Unmarshal(b, &obj) != nil || obj == nil {
				fail("invoked with an invalid client context")
			}
		}
	}
	if w.Code != 200 {
		if w.Body.Len() != 0 || hd.Get("X-Amz-Function-Error") != "" || hd.Get("X-Amz-Log-Result") != "" {
			fail("a %d answer has a body or a function's headers", w.Code)
		}
		return
	}

	if got := hd.Get("X-Amz-Executed-Version"); got != "$LATEST" {
		fail("X-Amz-Executed-Version = %q, want $LATEST", got)
	}
	if got, want := hd.Get("Content-Type"), "application/json"; got != want {
		fail("Content-Type = %q, want %q", got, want)
	}
	if got, want := hd.Get("Content-Length"), strconv.Itoa(w.Body.Len()); got != want {
		fail("Content-Length = %q, want %q", got, want)
	}
	want := string(payload) // echo's answer
	if len(payload) == 0 {
		want = "{}"
	}
	switch fe := hd.Get("X-Amz-Function-Error"); fe {
	case "":
	case "Unhandled":
		want = failsPayload
	default:
		fail("X-Amz-Function-Error = %q", fe)
	}
	if w.Body.String() != want {
		fail("body = %q, want %q", w.Body, want)
	}
	logResult, tail := hd["X-Amz-Log-Result"]
	if wantTail := req.Header.Get("X-Amz-Log-Type") == "Tail"; tail != wantTail {
		fail("X-Amz-Log-Result present: %v, want %v", tail, wantTail)
	}
	if tail {
		log, err := base64.StdEncoding.DecodeString(logResult[0])
		if err != nil {
			fail("X-Amz-Log-Result is not base64: %v", err)
		}
		if len(log) > locallambda.LogTailSize {
			fail("log tail of %d bytes, want at most %d", len(log), locallambda.LogTailSize)
		}
		if end := "END RequestId: " + hd.Get("X-Amzn-Requestid") + "\n"; !strings.Contains(string(log), end) {
			fail("log tail %q has no line %q", log, end)
		}
	}
}

// checkInvokeError checks an invocation error answer: an error type AWS
// answers with that status, and a JSON body with a message.
func checkInvokeError(t *testing.T, fail func(string, ...any), req *http.Request, w *httptest.ResponseRecorder) {
	t.Helper()
	hd := w.Header()
	//lint:ignore SA1008 the server writes the header in AWS's spelling, bypassing canonicalisation
	types := hd["x-amzn-ErrorType"]
	if len(types) != 1 {
		fail("x-amzn-ErrorType = %q, want one value", types)
	}
	typ := types[0]
	if want, ok := invokeErrorStatus[typ]; !ok || w.Code != want {
		fail("error type %q with status %d; want a known type, with status %d", typ, w.Code, want)
	}
	if req.Method != http.MethodPost && typ != locallambda.UnknownOperationException {
		fail("error type %q for a %s request, want %s", typ, req.Method, locallambda.UnknownOperationException)
	}
	if got, want := hd.Get("Content-Type"), "application/json"; got != want {
		fail("Content-Type = %q, want %q", got, want)
	}
	if got, want := hd.Get("Content-Length"), strconv.Itoa(w.Body.Len()); got != want {
		fail("Content-Length = %q, want %q", got, want)
	}
	for _, h := range []string{"X-Amz-Executed-Version", "X-Amz-Function-Error", "X-Amz-Log-Result"} {
		if _, ok := hd[h]; ok {
			fail("%s in an error answer", h)
		}
	}
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		fail("body is not a JSON object: %v", err)
	}
	// AWS's model names the message "Message" in these two errors and
	// "message" in the others.
	msgKey := "message"
	if typ == locallambda.ResourceNotFoundException || typ == locallambda.ServiceException {
		msgKey = "Message"
	}
	if msg, _ := body[msgKey].(string); msg == "" {
		fail("no %s", msgKey)
	}
	wantKind := "User"
	if w.Code >= 500 {
		wantKind = "Service"
	}
	if kind, _ := body["Type"].(string); kind != wantKind {
		fail("Type = %q, want %q", kind, wantKind)
	}
	if _, ok := body["Reason"]; ok && typ != locallambda.TooManyRequestsException {
		fail("a Reason for a %s", typ)
	}
	for k := range body {
		if k != msgKey && k != "Type" && k != "Reason" {
			fail("unexpected field %q", k)
		}
	}
}
