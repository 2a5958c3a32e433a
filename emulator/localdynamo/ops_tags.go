package localdynamo

import (
	"context"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tags: TagResource, UntagResource and ListTagsOfResource on table ARNs,
// and CreateTable's Tags, with DynamoDB's rules as the ack-api-quirks lab
// recorded them (findings DDB-TABLE-105 to -110 and -372): validation is
// all-or-nothing and always a ValidationException, TagResource upserts,
// UntagResource of an absent key does nothing, and a table holds at most
// 50 tags. DynamoDB shows a tag change in ListTagsOfResource about two
// seconds later; the store, at once.

// tag is one of a table's tags. Value is a pointer so that a missing
// Value can be told from an empty one.
type tag struct {
	Key   *string `json:"Key"`
	Value *string `json:"Value"`
}

// storedTag is a tag as a table's metadata keeps it and
// ListTagsOfResource answers it.
type storedTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// maxTags is the most tags a table may have.
const maxTags = 50

const errTooManyTags = "Number of Tags exceed the current limit for the provided ResourceArn"

// validTagText reports whether s has only what AWS's tag pattern allows:
// letters and numbers of any script, separators (spaces) and
// + - = . _ : / @.
func validTagText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsNumber(r), unicode.In(r, unicode.Z):
		case strings.ContainsRune("+-=._:/@", r):
		default:
			return false
		}
	}
	return true
}

// checkTagKey checks one tag key (nil when the member is missing).
func checkTagKey(k *string) error {
	switch {
	case k == nil:
		return validationf("The Tag Key provided is invalid, Key: null")
	case *k == "" || utf8.RuneCountInString(*k) > 128 || !validTagText(*k):
		return validationf("The Tag Key provided is invalid, Key: %s", *k)
	case len(*k) >= 4 && strings.EqualFold((*k)[:4], "aws:"):
		return validationf("Tag Key cannot be prefixed with aws:, Key: %s", *k)
	}
	return nil
}

// checkTags checks the tags of a TagResource or CreateTable request and
// returns them.
func checkTags(tags []tag) ([]storedTag, error) {
	out := make([]storedTag, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		if err := checkTagKey(t.Key); err != nil {
			return nil, err
		}
		switch v := t.Value; {
		case v == nil:
			return nil, validationf("The Tag Value provided is invalid, Value: null")
		case utf8.RuneCountInString(*v) > 256 || !validTagText(*v):
			return nil, validationf("The Tag Value provided is invalid, Value: %s", *v)
		}
		if seen[*t.Key] {
			return nil, validationf("Duplicate Tag Keys provided as input: Duplicate Tag Key found %s", *t.Key)
		}
		seen[*t.Key] = true
		out = append(out, storedTag{*t.Key, *t.Value})
	}
	if len(out) > maxTags {
		return nil, validationf(errTooManyTags)
	}
	return out, nil
}

// mergeTags returns cur with add set, keys kept in the order first set.
func mergeTags(cur, add []storedTag) []storedTag {
	out := append([]storedTag(nil), cur...)
	for _, a := range add {
		i := 0
		for i < len(out) && out[i].Key != a.Key {
			i++
		}
		if i < len(out) {
			out[i].Value = a.Value
		} else {
			out = append(out, a)
		}
	}
	return out
}

// taggedTable returns the table a tag request's ResourceArn names, once
// the caller may run action on it.
func (s *Store) taggedTable(ctx context.Context, arn *string, action string) (*table, error) {
	if arn == nil {
		return nil, validationf("1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null")
	}
	a := *arn
	switch {
	case a == "" || len(a) > 1283:
		return nil, validationf("1 validation error detected: Value '%s' at 'resourceArn' failed to satisfy constraint: Member must have length %s", a,
			map[bool]string{true: "greater than or equal to 1", false: "less than or equal to 1283"}[a == ""])
	case !strings.HasPrefix(a, "arn:"):
		return nil, invalidParam("ARNs must start with 'arn:': %s", a)
	}
	parts := strings.SplitN(a, ":", 6)
	if len(parts) < 6 || parts[2] != "dynamodb" {
		return nil, invalidParam("Provided Arn is not a DynamoDB resource arn: %s", a)
	}
	kind, rest, _ := strings.Cut(parts[5], "/")
	name, sub, _ := strings.Cut(rest, "/")
	switch {
	case kind != "table" || name == "":
		return nil, invalidParam("Provided Arn is not a DynamoDB resource arn: %s", a)
	case strings.HasPrefix(sub, "index/"):
		return nil, invalidParam("Invalid resource arn provided, only table or stream is accepted. Provided resource arn: %s", a)
	case strings.HasPrefix(sub, "stream/"):
		// Taggable on DynamoDB; the store has no streams.
		return nil, notFound("Requested resource not found: ResourceArn: %s not found", a)
	case sub != "": // a backup, say (DDB-BACKUP-013)
		return nil, invalidParam("Provided Arn is not a DynamoDB resource arn: %s", a)
	case parts[3] != s.region:
		return nil, validationf("Invalid TableArn: Invalid ResourceArn provided as input %s", a)
	case parts[4] != s.acct:
		// Another account's table: only a resource-based policy could
		// allow it, and the store has none.
		return nil, newError(codeAccessDenied, http.StatusBadRequest, "User: %s is not authorized to perform: %s on resource: %s because no resource-based policy allows the %s action",
			s.userARN(callerOf(ctx)), action, a, action)
	}
	t, err := s.table(name)
	if err != nil {
		return nil, notFound("Requested resource not found: ResourceArn: %s not found", a)
	}
	if err := s.authorize(ctx, &Access{Action: action, Table: name}); err != nil {
		return nil, err
	}
	return t, nil
}

type tagResourceInput struct {
	ResourceArn *string `json:"ResourceArn"`
	Tags        []tag   `json:"Tags"`
}

type emptyOutput struct{}

func (s *Store) tagResource(ctx context.Context, in *tagResourceInput) (*emptyOutput, error) {
	if in.Tags == nil {
		return nil, validationf("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	if len(in.Tags) == 0 {
		return nil, validationf("Atleast one Tag needs to be provided as Input.")
	}
	add, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	err = s.write(func(tx querier) error {
		old, err := s.taggedTable(ctx, in.ResourceArn, "dynamodb:TagResource")
		if err != nil {
			return err
		}
		meta := old.meta
		if meta.Tags = mergeTags(old.meta.Tags, add); len(meta.Tags) > maxTags {
			return validationf(errTooManyTags)
		}
		t := &table{id: old.id, meta: meta}
		t.init()
		return s.saveTable(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}

type untagResourceInput struct {
	ResourceArn *string   `json:"ResourceArn"`
	TagKeys     []*string `json:"TagKeys"`
}

func (s *Store) untagResource(ctx context.Context, in *untagResourceInput) (*emptyOutput, error) {
	switch {
	case in.TagKeys == nil:
		return nil, validationf("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	case len(in.TagKeys) == 0:
		return nil, validationf("Atleast one Tag Key needs to be provided as Input.")
	case len(in.TagKeys) > maxTags:
		return nil, validationf(errTooManyTags)
	}
	drop := map[string]bool{}
	for _, k := range in.TagKeys {
		if err := checkTagKey(k); err != nil {
			return nil, err
		}
		drop[*k] = true
	}
	err := s.write(func(tx querier) error {
		old, err := s.taggedTable(ctx, in.ResourceArn, "dynamodb:UntagResource")
		if err != nil {
			return err
		}
		meta := old.meta
		meta.Tags = nil
		for _, t := range old.meta.Tags {
			if !drop[t.Key] {
				meta.Tags = append(meta.Tags, t)
			}
		}
		t := &table{id: old.id, meta: meta}
		t.init()
		return s.saveTable(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}

type listTagsInput struct {
	ResourceArn *string `json:"ResourceArn"`
	NextToken   *string `json:"NextToken"`
}

type listTagsOutput struct {
	Tags []storedTag `json:"Tags"`
}

func (s *Store) listTagsOfResource(ctx context.Context, in *listTagsInput) (*listTagsOutput, error) {
	t, err := s.taggedTable(ctx, in.ResourceArn, "dynamodb:ListTagsOfResource")
	if err != nil {
		return nil, err
	}
	// A table's 50 tags fit one page: DynamoDB answers no NextToken then
	// (DDB-TABLE-108).
	return &listTagsOutput{Tags: append([]storedTag{}, t.meta.Tags...)}, nil
}
