package localiam

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		fold, want bool
	}{
		{"", "", false, true},
		{"", "a", false, false},
		{"*", "", false, true},
		{"*", "anything: at all/", false, true},
		{"?", "", false, false},
		{"?", "é", false, true},
		{"??", "é", false, false},
		{"dynamodb:Get*", "dynamodb:GetItem", false, true},
		{"dynamodb:Get*", "dynamodb:BatchGetItem", false, false},
		{"dynamodb:get*", "DynamoDB:GetItem", true, true},
		{"dynamodb:get*", "DynamoDB:GetItem", false, false},
		{"*Report*", "GetOrganizationsAccessReport", false, true},
		{"a*b*c", "abbbc", false, true},
		{"a*b*c", "acb", false, false},
		{"*a*a*a*a*b", strings.Repeat("a", 40), false, false},
		{"t?.*", "t2.micro", false, true},
		{"ǆ", "Ǆ", true, true}, // a letter whose case folding has three forms
	}
	for _, tc := range tests {
		if got := wildcardMatch(tc.pattern, tc.s, tc.fold); got != tc.want {
			t.Errorf("wildcardMatch(%q, %q, %v) = %v, want %v", tc.pattern, tc.s, tc.fold, got, tc.want)
		}
	}
}

// reference builds the regular expression that p means: the simple,
// obviously right implementation the matchers must agree with.
func reference(p pattern, fold bool) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?s)")
	if fold {
		b.WriteString("(?i)")
	}
	b.WriteString("^")
	for _, c := range p {
		switch c.k {
		case pStar:
			b.WriteString(".*")
		case pQuest:
			b.WriteString(".")
		case pStarSeg:
			b.WriteString("[^:]*")
		case pQuestSeg:
			b.WriteString("[^:]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c.r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// FuzzWildcard checks that the matchers never panic and agree with a
// regular expression: the plain glob of actions and StringLike, the
// dynamic-programming matcher on the same patterns, and the ARN matchers
// whose wildcards stop at colons.
func FuzzWildcard(f *testing.F) {
	seeds := []struct {
		p, s string
		fold bool
	}{
		{"dynamodb:Get*", "dynamodb:GetItem", true},
		{"arn:aws:dynamodb:*:*:table/Products*", "arn:aws:dynamodb:us-east-1:123456789012:table/Products/index/ByName", false},
		{"arn:aws:dynamodb:us-*-1:123456789012:table/?roducts", "arn:aws:dynamodb:us-east-1:123456789012:table/Products", false},
		{"arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", false},
		{"a*b?c*", "aXbYcZ", false},
		{"*:*:*", "::", false},
		{"**??**", "abc", true},
	}
	for _, s := range seeds {
		f.Add(s.p, s.s, s.fold)
	}
	f.Fuzz(func(t *testing.T, ps, s string, fold bool) {
		if !utf8.ValidString(ps) || !utf8.ValidString(s) || len(ps) > 256 || len(s) > 256 {
			t.Skip() // the reference takes only valid UTF-8; long inputs add nothing
		}
		pat := compileText(nil, ps)
		want := reference(pat, fold).MatchString(s)
		g := pat.compile()
		if got := g.match(s, fold); got != want {
			t.Errorf("match(%q, %q, %v) = %v, regexp says %v", ps, s, fold, got, want)
		}
		if got := pat.matchGreedy(s, fold); got != want {
			t.Errorf("matchGreedy(%q, %q, %v) = %v, regexp says %v", ps, s, fold, got, want)
		}
		if got := pat.matchTable(s, fold); got != want {
			t.Errorf("matchTable(%q, %q, %v) = %v, regexp says %v", ps, s, fold, got, want)
		}
		res := compileText(nil, ps).resourceARN()
		rg := res.compile()
		if got, want := rg.match(s, false), reference(res, false).MatchString(s); got != want {
			t.Errorf("resource match(%q, %q) = %v, regexp says %v", ps, s, got, want)
		}
		arn, _ := compileText(nil, ps).conditionARN()
		ag := arn.compile()
		if got, want := ag.match(s, false), reference(arn, false).MatchString(s); got != want {
			t.Errorf("ARN condition match(%q, %q) = %v, regexp says %v", ps, s, got, want)
		}
	})
}
