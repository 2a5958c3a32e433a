package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// server is one DynamoDB endpoint under test.
type server struct {
	name   string
	url    string
	client *http.Client
}

// The headers of every request: what an SDK sends, with a SigV4-shaped
// Authorization that neither server verifies (dynalite only checks that
// it has its parts and that there is an X-Amz-Date).
const (
	amzDate       = "20260101T000000Z"
	authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/aws4_request, " +
		"SignedHeaders=content-type;host;x-amz-date;x-amz-target, " +
		"Signature=0000000000000000000000000000000000000000000000000000000000000000"
)

// do sends body as the operation op and reads the answer.
func (s *server) do(ctx context.Context, op, body string) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("X-Amz-Date", amzDate)
	req.Header.Set("Authorization", authorization)
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return parseResponse(resp.StatusCode, raw), nil
}

// response is an answer, taken apart for comparison.
type response struct {
	status int
	raw    []byte
	// For an answer whose body is a JSON object with __type: the type
	// after '#', the message and the member that held it ("message" or
	// "Message", "" if none), and the other members.
	typ    string
	msg    string
	msgKey string
	// rest is the decoded body (less __type and the message for errors),
	// or nil if it is not JSON.
	rest any
}

func parseResponse(status int, raw []byte) *response {
	r := &response{status: status, raw: raw}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return r
	}
	r.rest = v
	m, ok := v.(map[string]any)
	if !ok {
		return r
	}
	if t, ok := m["__type"].(string); ok {
		_, after, found := strings.Cut(t, "#")
		if !found {
			after = t
		}
		r.typ = after
		delete(m, "__type")
		for _, k := range []string{"message", "Message"} {
			if s, ok := m[k].(string); ok {
				r.msg, r.msgKey = s, k
				delete(m, k)
				break
			}
		}
	}
	return r
}

// summary renders r for the report: status, type and message for an
// error (and any other members), the body for a success.
func (r *response) summary() string {
	if r.typ == "" {
		return fmt.Sprintf("%d %s", r.status, r.raw)
	}
	s := fmt.Sprintf("%d %s", r.status, r.typ)
	switch r.msgKey {
	case "":
		s += " (no message)"
	case "message":
		s += fmt.Sprintf(": %q", r.msg)
	default:
		s += fmt.Sprintf(": %s=%q", r.msgKey, r.msg)
	}
	if m, ok := r.rest.(map[string]any); ok && len(m) > 0 {
		b, _ := json.Marshal(m)
		s += " + " + string(b)
	}
	return s
}

// compare lists how a and b, answers to the operation op, differ, and
// for a difference in the JSON bodies, where (see diffPaths).
func compare(op string, a, b *response) (d, where []string) {
	if a.status != b.status {
		d = append(d, "status")
	}
	if a.typ != b.typ {
		d = append(d, "__type")
	}
	if a.msg != b.msg {
		d = append(d, "message")
	} else if a.msgKey != b.msgKey && a.msgKey != "" && b.msgKey != "" {
		d = append(d, "message member name")
	}
	if a.rest == nil || b.rest == nil {
		if !bytes.Equal(a.raw, b.raw) {
			d = append(d, "body")
		}
		return d, nil
	}
	na, nb := normalize(op, a.rest), normalize(op, b.rest)
	if !reflect.DeepEqual(na, nb) {
		if a.typ != "" || b.typ != "" {
			d = append(d, "error body")
		} else {
			d = append(d, "body")
		}
		diffPaths("", na, nb, &where)
	}
	return d, where
}

// maxPaths is how many differing paths diffPaths reports.
const maxPaths = 12

// diffPaths appends to out, as "path: ours X, dynalite Y", where the
// normalised JSON values a and b differ, descending into objects and into
// arrays of the same length.
func diffPaths(path string, a, b any, out *[]string) {
	if len(*out) >= maxPaths || reflect.DeepEqual(a, b) {
		return
	}
	ma, oka := a.(map[string]any)
	mb, okb := b.(map[string]any)
	if oka && okb {
		keys := make([]string, 0, len(ma)+len(mb))
		for k := range ma {
			keys = append(keys, k)
		}
		for k := range mb {
			if _, ok := ma[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			xa, ina := ma[k]
			xb, inb := mb[k]
			p := k
			if path != "" {
				p = path + "." + k
			}
			switch {
			case !ina:
				*out = append(*out, fmt.Sprintf("%s: ours absent, dynalite %s", p, brief(xb)))
			case !inb:
				*out = append(*out, fmt.Sprintf("%s: ours %s, dynalite absent", p, brief(xa)))
			default:
				diffPaths(p, xa, xb, out)
			}
			if len(*out) >= maxPaths {
				*out = append(*out, "(more differences not shown)")
				return
			}
		}
		return
	}
	la, oka := a.([]any)
	lb, okb := b.([]any)
	if oka && okb && len(la) == len(lb) {
		for i := range la {
			diffPaths(fmt.Sprintf("%s[%d]", path, i), la[i], lb[i], out)
		}
		return
	}
	if path == "" {
		path = "(body)"
	}
	*out = append(*out, fmt.Sprintf("%s: ours %s, dynalite %s", path, brief(a), brief(b)))
}

// brief renders a decoded JSON value in at most 300 bytes.
func brief(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// ignored are the members left out of every comparison, at any depth.
var ignored = map[string]bool{
	"ConsumedCapacity":       true,
	"CreationDateTime":       true,
	"TableId":                true,
	"ItemCount":              true,
	"TableSizeBytes":         true,
	"IndexSizeBytes":         true,
	"LatestStreamArn":        true,
	"LatestStreamLabel":      true,
	"NumberOfDecreasesToday": true,
	"LastIncreaseDateTime":   true,
	"LastDecreaseDateTime":   true,
	// In BillingModeSummary.
	"LastUpdateToPayPerRequestDateTime": true,
}

// arnRegionAccount matches the region and account of a DynamoDB ARN.
var arnRegionAccount = regexp.MustCompile(`^arn:aws:dynamodb:[^:]*:[^:]*:`)

// normalize returns a copy of the decoded JSON v without the ignored
// members, with ARNs stripped of region and account, and with the arrays
// whose order is not significant sorted. JSON objects compare equal
// whatever their key order once decoded.
func normalize(op string, v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			if ignored[k] {
				continue
			}
			x = normalize(op, x)
			switch k {
			case "AttributeDefinitions", "GlobalSecondaryIndexes", "LocalSecondaryIndexes":
				x = sortedArray(x)
			case "Items":
				if op == "Scan" {
					x = sortedArray(x)
				}
			case "Responses":
				if op == "BatchGetItem" {
					if rm, ok := x.(map[string]any); ok {
						for t, items := range rm {
							rm[t] = sortedArray(items)
						}
					}
				}
			}
			m[k] = x
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = normalize(op, x)
		}
		return a
	case string:
		return arnRegionAccount.ReplaceAllString(v, "arn:aws:dynamodb:REGION:ACCOUNT:")
	}
	return v
}

// sortedArray sorts a JSON array by the encoding of its elements.
func sortedArray(v any) any {
	a, ok := v.([]any)
	if !ok {
		return v
	}
	enc := make([]string, len(a))
	idx := make([]int, len(a))
	for i, x := range a {
		b, _ := json.Marshal(x)
		enc[i], idx[i] = string(b), i
	}
	slices.SortFunc(idx, func(i, j int) int { return strings.Compare(enc[i], enc[j]) })
	out := make([]any, len(a))
	for i, j := range idx {
		out[i] = a[j]
	}
	return out
}
