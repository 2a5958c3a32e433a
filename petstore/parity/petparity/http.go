package petparity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore/httpapi"
)

// maxBody bounds the responses the drivers read.
const maxBody = 4 << 20

// callJSON makes a request with a JSON body (when in is not nil) and
// decodes a 2xx response's JSON into out. A failure is a *faas.Error:
// the kind the body names ({"error":{"kind":…}}, the shared handlers'
// shape) or else the kind of the status (as for a gateway's
// {"message":"Unauthorized"}), with the body's message.
func callJSON(ctx context.Context, client *http.Client, method, url string, header http.Header, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return &faas.Error{Kind: faas.Internal, Message: "petparity: " + err.Error(), Err: err}
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return &faas.Error{Kind: faas.Internal, Message: "petparity: " + err.Error(), Err: err}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return transportError(ctx, method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return transportError(ctx, method, url, err)
	}
	if resp.StatusCode/100 != 2 {
		return statusError(method, url, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return &faas.Error{Kind: faas.Internal, Message: fmt.Sprintf("petparity: %s %s: decoding %.200q: %v", method, url, b, err), Err: err}
	}
	return nil
}

func transportError(ctx context.Context, method, url string, err error) error {
	k := faas.Internal
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		k = faas.Timeout
	}
	return &faas.Error{Kind: k, Message: fmt.Sprintf("petparity: %s %s: %v", method, url, err), Err: err}
}

// statusError is the *faas.Error of a failed response.
func statusError(method, url string, status int, body []byte) error {
	var eb httpapi.ErrorBody
	if json.Unmarshal(body, &eb) == nil && eb.Error.Kind != "" {
		if k, ok := kindNamed(eb.Error.Kind); ok {
			return &faas.Error{Kind: k, Message: eb.Error.Message}
		}
	}
	var gw struct {
		Message string `json:"message"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &gw) == nil && gw.Message != "" {
		msg = gw.Message
	}
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return &faas.Error{Kind: faas.KindForStatus(status), Message: fmt.Sprintf("%s %s: %d %s", method, url, status, msg)}
}

// kindNamed returns the faas.Kind whose String is name.
func kindNamed(name string) (faas.Kind, bool) {
	for k := faas.Internal; k <= faas.Timeout; k++ {
		if k.String() == name {
			return k, true
		}
	}
	return 0, false
}
