package petstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/faasport/faasport/faas"
)

// Limits on search queries.
const (
	// MaxQueryLen is the longest query Search accepts, in bytes.
	MaxQueryLen = 200
	// MaxQueryTerms is the most words of a query Search uses; the rest
	// are ignored.
	MaxQueryTerms = 8
)

// words splits s into lower-case words: maximal runs of letters and
// digits. Everything else, punctuation and symbols included, separates
// words, so "%" or "--" has none and "Cat-Toy" is "cat", "toy".
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// searchText is the search attribute of p: the words of its name,
// category and description, each preceded by a space, so that the filter
// contains(search, " "+term) matches the words term begins.
func searchText(p Product) string {
	var b strings.Builder
	for _, field := range []string{p.Name, string(p.Category), p.Category.Title(), p.Description} {
		for _, w := range words(field) {
			b.WriteByte(' ')
			b.WriteString(w)
		}
	}
	return b.String()
}

// Search returns a page of the products matching query, best first.
//
// The query is split into words, runs of letters and digits, and a
// product matches when each word begins a word of its name, category or
// description, ignoring case: "cat" finds "Cats" and "catnip" but not
// "location". Products rank by where their words matched: a match in the
// name counts more than any number of matches in the category, and one in
// the category more than any in the description. Ties are in name order.
//
// A query that is empty or all white space, or longer than [MaxQueryLen]
// bytes, is [faas.Invalid]. Only the first [MaxQueryTerms] distinct
// words count. A query with no words at all, such as "%", matches
// nothing. page and pageSize are as for [Catalog.List].
func (c *Catalog) Search(ctx context.Context, query string, page, pageSize int) (Page, error) {
	terms, err := parseQuery(query)
	if err != nil {
		return Page{}, err
	}
	page, pageSize, err = pageBounds(page, pageSize)
	if err != nil {
		return Page{}, err
	}
	if len(terms) == 0 {
		return paginate(nil, page, pageSize), nil
	}
	// The filter narrows the scan to products containing every term at
	// the start of a word, so that only candidates cross the wire; the
	// ranking below decides in which field each matched.
	var filter strings.Builder
	values := make(map[string]types.AttributeValue, len(terms))
	for i, t := range terms {
		if i > 0 {
			filter.WriteString(" AND ")
		}
		v := ":t" + strconv.Itoa(i)
		fmt.Fprintf(&filter, "contains(#search, %s)", v)
		values[v] = attrS(" " + t)
	}
	found, err := c.scan(ctx, &dynamodb.ScanInput{
		FilterExpression:          aws.String(filter.String()),
		ExpressionAttributeNames:  map[string]string{"#search": attrSearch},
		ExpressionAttributeValues: values,
	})
	if err != nil {
		return Page{}, err
	}
	return paginate(rank(found, terms), page, pageSize), nil
}

// parseQuery checks a search query and returns its distinct words.
func parseQuery(query string) ([]string, error) {
	if strings.TrimSpace(query) == "" {
		return nil, faas.Errorf(faas.Invalid, "petstore: enter something to search for")
	}
	if len(query) > MaxQueryLen {
		return nil, faas.Errorf(faas.Invalid, "petstore: a search may be at most %d characters long", MaxQueryLen)
	}
	var terms []string
	for _, w := range words(query) {
		if !slices.Contains(terms, w) {
			terms = append(terms, w)
		}
		if len(terms) == MaxQueryTerms {
			break
		}
	}
	return terms, nil
}

// Weights of a term's match by field. Queries have at most MaxQueryTerms
// terms, so a weight exceeds the sum of any number of matches of the
// weights below it.
const (
	weightName        = (MaxQueryTerms + 1) * weightCategory
	weightCategory    = (MaxQueryTerms + 1) * weightDescription
	weightDescription = 1
)

// score returns how well p matches terms, 0 when some term matches none
// of its fields.
func score(p Product, terms []string) int {
	name := words(p.Name)
	category := words(string(p.Category) + " " + p.Category.Title())
	var desc []string // split only when needed: descriptions are long
	total := 0
	for _, t := range terms {
		switch {
		case hasWordPrefix(name, t):
			total += weightName
		case hasWordPrefix(category, t):
			total += weightCategory
		default:
			if desc == nil {
				desc = words(p.Description)
			}
			if !hasWordPrefix(desc, t) {
				return 0
			}
			total += weightDescription
		}
	}
	return total
}

func hasWordPrefix(words []string, prefix string) bool {
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			return true
		}
	}
	return false
}

// rank returns the products matching terms, best first, ties in name
// order.
func rank(products []Product, terms []string) []Product {
	type scored struct {
		p     Product
		key   string
		score int
	}
	var hits []scored
	for _, p := range products {
		if s := score(p, terms); s > 0 {
			hits = append(hits, scored{p, sortName(p), s})
		}
	}
	slices.SortFunc(hits, func(a, b scored) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return strings.Compare(a.key, b.key)
	})
	out := make([]Product, len(hits))
	for i, h := range hits {
		out[i] = h.p
	}
	return out
}
