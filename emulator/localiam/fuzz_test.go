package localiam_test

import (
	"errors"
	"testing"

	"github.com/faasport/faasport/emulator/localiam"
)

// FuzzParse checks that Parse never panics, that every failure is a
// *PolicyError, and that Evaluate never panics on what Parse accepts. It
// is seeded with the policies of TestEvaluate.
func FuzzParse(f *testing.F) {
	for _, doc := range policies {
		f.Add([]byte(doc), "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Products", "dynamodb:LeadingKeys", "abc")
	}
	f.Add([]byte(`{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::${aws:username}/*"}}`), "s3:GetObject", "arn:aws:s3:::bob/x", "aws:username", "bob")
	f.Add([]byte(`{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::${x, 'y'}${*}", "Condition": {"ForAnyValue:DateLessThanIfExists": {"a:b": "2020-01-01"}}}}`), "s3:Get", "arn:aws:s3:::y*", "a:b", "1577836800")
	f.Fuzz(func(t *testing.T, doc []byte, action, resource, key, value string) {
		p, err := localiam.Parse(doc)
		if err != nil {
			var pe *localiam.PolicyError
			if !errors.As(err, &pe) || !errors.Is(err, localiam.ErrMalformedPolicy) || pe.Message == "" {
				t.Fatalf("Parse error %#v is not a *PolicyError with a message", err)
			}
			return
		}
		req := localiam.Request{
			Action:    action,
			Resource:  resource,
			Context:   map[string][]string{key: {value}, "k:multi": {value, action}},
			Variables: map[string]string{key: value},
		}
		d := localiam.Evaluate(req, p, p)
		if d.Allowed && d.Statement == "" {
			t.Fatalf("Evaluate = %+v: allowed by no statement", d)
		}
	})
}
