package petstore

import (
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestProductImage(t *testing.T) {
	for _, p := range append(SeedProducts(),
		Product{ID: "x", Category: Dogs, Name: `<script>&"quotes'</script> and a very long name that must wrap over several lines`},
		Product{ID: "y", Category: "", Name: "Ünïcödé ✓"},
	) {
		svg := ProductImage(p)
		// Well-formed XML, whatever the name holds.
		d := xml.NewDecoder(strings.NewReader(string(svg)))
		for {
			_, err := d.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("ProductImage(%s) is not well-formed: %v\n%s", p.ID, err, svg)
				}
				break
			}
		}
		if !strings.HasPrefix(string(svg), "<svg") || strings.Contains(string(svg), "<script>") {
			t.Errorf("ProductImage(%s) = %s", p.ID, svg)
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want []string
	}{
		{"Beagle Puppy", []string{"Beagle Puppy"}},
		{"Orthopedic Memory Foam Dog Bed", []string{"Orthopedic Memory Foam Dog", "Bed"}},
		{"one two three four five six seven eight nine ten eleven", []string{"one two three four five", "six seven eight nine ten…"}},
		{strings.Repeat("x", 60), []string{strings.Repeat("x", 26), strings.Repeat("x", 25) + "…"}},
		{"", nil},
	} {
		got := wrap(tc.s, 26, 2)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("wrap(%q) (-want +got):\n%s", tc.s, diff)
		}
		for _, l := range got {
			if utf8.RuneCountInString(l) > 26 {
				t.Errorf("wrap(%q) line %q is too long", tc.s, l)
			}
		}
	}
}

func TestWords(t *testing.T) {
	got := words("Café-Crème, 100% SMALL_pets! 🐶x")
	want := []string{"café", "crème", "100", "small", "pets", "x"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("words (-want +got):\n%s", diff)
	}
	if got := searchText(Product{Name: "Cat Tree", Category: SmallPets, Description: "Tall."}); got != " cat tree small pets small pets tall" {
		t.Errorf("searchText = %q", got)
	}
}
