package petstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/petstoretest"
	"github.com/google/go-cmp/cmp"
)

// searchProducts is a small catalog whose ranking is easy to follow.
var searchProducts = []petstore.Product{
	{ID: "catnip-mice", Category: petstore.Cats, Name: "Catnip Mice", Description: "Felt mice.", Price: 799, Stock: 5},
	{ID: "cat-tree", Category: petstore.Cats, Name: "Cat Tree", Description: "Platforms to climb.", Price: 9999, Stock: 5},
	{ID: "scratching-post", Category: petstore.Cats, Name: "Scratching Post", Description: "Sisal rope.", Price: 2999, Stock: 5},
	{ID: "ceramic-bowl", Category: petstore.Cats, Name: "Ceramic Bowl", Description: "Glazed.", Price: 1299, Stock: 5},
	{ID: "dog-bowl", Category: petstore.Dogs, Name: "Dog Bowl", Description: "Also loved by cats.", Price: 999, Stock: 5},
	{ID: "location-tag", Category: petstore.Dogs, Name: "Location Tag", Description: "A GPS tag for dogs.", Price: 4999, Stock: 5},
	{ID: "cafe-treats", Category: petstore.Dogs, Name: "Café Crème Treats", Description: "Crunchy biscuits from the Zürich bakery.", Price: 599, Stock: 5},
	{ID: "hamster-wheel", Category: petstore.SmallPets, Name: "Hamster Wheel", Description: "Silent running for small pets.", Price: 2299, Stock: 5},
	{ID: "parrot-100", Category: petstore.Birds, Name: "Parrot Perch 100%", Description: "Wood, 30 cm.", Price: 1999, Stock: 5},
}

func TestSearchRanking(t *testing.T) {
	ctx := context.Background()
	cat, _ := petstoretest.New(t, &petstoretest.Options{Products: searchProducts})
	for _, tc := range []struct {
		query string
		want  []string
	}{
		// Name matches first, in name order; then category; then description.
		// "Location" contains "cat" but no word of it starts with "cat".
		{"cat", []string{"Cat Tree", "Catnip Mice", "Ceramic Bowl", "Scratching Post", "Dog Bowl"}},
		{"CAT", []string{"Cat Tree", "Catnip Mice", "Ceramic Bowl", "Scratching Post", "Dog Bowl"}},
		// Every word must match; a name match outranks a category one.
		{"cat bowl", []string{"Ceramic Bowl", "Dog Bowl"}},
		{"  bowl   CAT ", []string{"Ceramic Bowl", "Dog Bowl"}},
		{"catnip", []string{"Catnip Mice"}},
		{"dogs", []string{"Café Crème Treats", "Dog Bowl", "Location Tag"}},
		{"small pets", []string{"Hamster Wheel"}},
		{"small-pets", []string{"Hamster Wheel"}},
		{"café", []string{"Café Crème Treats"}},
		{"CAFÉ CRÈME", []string{"Café Crème Treats"}},
		{"zürich", []string{"Café Crème Treats"}},
		{"100%", []string{"Parrot Perch 100%"}},
		{"cat cat cat", []string{"Cat Tree", "Catnip Mice", "Ceramic Bowl", "Scratching Post", "Dog Bowl"}},
		{"cat-tree", []string{"Cat Tree"}},
		{"unicorn", nil},
		{"tree unicorn", nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			pg, err := cat.Search(ctx, tc.query, 1, petstore.MaxPageSize)
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.query, err)
			}
			if diff := cmp.Diff(tc.want, names(pg.Products), cmp.Comparer(func(a, b []string) bool {
				return strings.Join(a, "|") == strings.Join(b, "|")
			})); diff != "" {
				t.Errorf("Search(%q) (-want +got):\n%s", tc.query, diff)
			}
			if pg.Total != len(tc.want) {
				t.Errorf("Search(%q).Total = %d, want %d", tc.query, pg.Total, len(tc.want))
			}
		})
	}
}

func TestSearchOddInput(t *testing.T) {
	ctx := context.Background()
	cat, _ := petstoretest.New(t, &petstoretest.Options{Products: searchProducts})
	for _, tc := range []struct {
		name  string
		query string
		want  faas.Kind // -1: no error
		hits  int
	}{
		{"empty", "", faas.Invalid, 0},
		{"spaces", "   ", faas.Invalid, 0},
		{"white space", "\t\n\r ", faas.Invalid, 0},
		{"percent", "%", -1, 0},
		{"sql wildcards", "%_%' OR 1=1 --", -1, 0},
		{"expression syntax", ":t0) OR contains(#search, :t0", -1, 0},
		{"attribute placeholder", "#name", -1, 0},
		{"nul byte", "cat\x00tree", -1, 1},
		{"invalid utf-8", "\xff\xfe\xfd", -1, 0},
		{"emoji", "🐶🐱", -1, 0},
		{"emoji and word", "🐱tree", -1, 1},
		{"max length", strings.Repeat("a", petstore.MaxQueryLen), -1, 0},
		{"1000 characters", strings.Repeat("a", 1000), faas.Invalid, 0},
		{"1000 characters of unicode", strings.Repeat("é", 500), faas.Invalid, 0},
		{"many words", strings.Repeat("cat ", 40), -1, 5},
		{"html", "<script>alert(1)</script>", -1, 0},
		{"rtl", "قطط", -1, 0},
		{"combining", "cafe\u0301", -1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := cat.Search(ctx, tc.query, 1, 10)
			if got := faas.KindOf(err); got != tc.want {
				t.Fatalf("Search(%q) error %v has kind %v, want %v", petstoreTruncate(tc.query), err, got, tc.want)
			}
			if err == nil && (pg.Total != tc.hits || pg.Products == nil) {
				t.Errorf("Search(%q) found %d (%q), want %d", petstoreTruncate(tc.query), pg.Total, names(pg.Products), tc.hits)
			}
		})
	}
	_, err := cat.Search(ctx, "cat", -1, 10)
	wantKind(t, "Search with page -1", err, faas.Invalid)
}

func TestSearchPagination(t *testing.T) {
	ctx := context.Background()
	cat, _ := petstoretest.New(t, nil)
	all, err := cat.Search(ctx, "dog", 1, petstore.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	if all.Total < 10 {
		t.Fatalf(`Search("dog") found %d products, want at least 10`, all.Total)
	}
	var paged []petstore.Product
	for page := 1; page <= all.Total/3+1; page++ {
		pg, err := cat.Search(ctx, "dog", page, 3)
		if err != nil {
			t.Fatal(err)
		}
		if pg.Total != all.Total {
			t.Errorf("page %d: Total = %d, want %d", page, pg.Total, all.Total)
		}
		paged = append(paged, pg.Products...)
	}
	if diff := cmp.Diff(all.Products, paged); diff != "" {
		t.Errorf("pages of 3 differ from one page (-want +got):\n%s", diff)
	}
	// Dog products whose names say so come first.
	if !strings.Contains(strings.ToLower(all.Products[0].Name), "dog") {
		t.Errorf(`Search("dog") ranks %q first`, all.Products[0].Name)
	}
}

// FuzzSearchQuery checks that no query makes Search fail other than as
// Invalid, and that every product found matches each word of the query
// that Search uses (see searchTerms, matchesTerm).
func FuzzSearchQuery(f *testing.F) {
	for _, q := range []string{"cat", "", " ", "%", "cat bowl", "café", "\xff", strings.Repeat("a", 300), "#name", ":t0", "🐶", "small-pets"} {
		f.Add(q)
	}
	cat, _ := petstoretest.New(f, &petstoretest.Options{Products: searchProducts})
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, q string) {
		pg, err := cat.Search(ctx, q, 1, petstore.MaxPageSize)
		if err != nil {
			if faas.KindOf(err) != faas.Invalid {
				t.Fatalf("Search(%q): %v (kind %v)", q, err, faas.KindOf(err))
			}
			if strings.TrimSpace(q) != "" && len(q) <= petstore.MaxQueryLen {
				t.Fatalf("Search(%q) = %v for a non-blank query of %d bytes", q, err, len(q))
			}
			return
		}
		if pg.Total != len(pg.Products) {
			t.Fatalf("Search(%q): Total %d, %d products on the only page", q, pg.Total, len(pg.Products))
		}
		terms := searchTerms(q)
		for _, p := range pg.Products {
			for _, term := range terms {
				if !matchesTerm(p, term) {
					t.Errorf("Search(%q) found %q, in none of whose name, category or description a word begins with %q", q, p.Name, term)
				}
			}
		}
	})
}

// searchWords splits s as Search does: lower-cased, into maximal runs of
// letters and digits.
func searchWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// searchTerms are the words of query that Search uses: the first
// petstore.MaxQueryTerms distinct ones.
func searchTerms(query string) []string {
	var terms []string
	for _, w := range searchWords(query) {
		if len(terms) == petstore.MaxQueryTerms {
			break
		}
		if !slices.Contains(terms, w) {
			terms = append(terms, w)
		}
	}
	return terms
}

// matchesTerm reports whether term begins a word of p's name, category
// (its id or its title) or description.
func matchesTerm(p petstore.Product, term string) bool {
	for _, field := range []string{p.Name, string(p.Category), p.Category.Title(), p.Description} {
		for _, w := range searchWords(field) {
			if strings.HasPrefix(w, term) {
				return true
			}
		}
	}
	return false
}
