package petstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/petstoretest"
	"github.com/google/go-cmp/cmp"
)

func wantKind(t *testing.T, what string, err error, want faas.Kind) {
	t.Helper()
	if got := faas.KindOf(err); got != want {
		t.Errorf("%s: error %v has kind %v, want %v", what, err, got, want)
	}
}

func names(ps []petstore.Product) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func TestSeedProducts(t *testing.T) {
	ps := petstore.SeedProducts()
	if len(ps) < 60 {
		t.Errorf("SeedProducts() has %d products, want at least 60", len(ps))
	}
	perCategory := map[petstore.Category]int{}
	ids := map[string]bool{}
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			t.Errorf("seed product %s: %v", p.ID, err)
		}
		if ids[p.ID] {
			t.Errorf("seed product id %s appears twice", p.ID)
		}
		ids[p.ID] = true
		perCategory[p.Category]++
		if p.Image != petstore.ImagePath(p.ID) {
			t.Errorf("product %s has image %q, want %q", p.ID, p.Image, petstore.ImagePath(p.ID))
		}
		if p.Price <= 0 || p.Description == "" {
			t.Errorf("product %s has price %v, description %q", p.ID, p.Price, p.Description)
		}
	}
	for _, c := range petstore.Categories() {
		if perCategory[c] < 10 {
			t.Errorf("category %s has %d seed products, want at least 10", c, perCategory[c])
		}
	}
}

func TestGenerateCatalog(t *testing.T) {
	a := petstore.GenerateCatalog(10000, 1)
	if len(a) != 10000 {
		t.Fatalf("GenerateCatalog(10000, 1) has %d products", len(a))
	}
	if diff := cmp.Diff(a[:50], petstore.GenerateCatalog(50, 1)); diff != "" {
		t.Errorf("GenerateCatalog is not deterministic (-first +second):\n%s", diff)
	}
	if b := petstore.GenerateCatalog(10, 2); cmp.Equal(a[:10], b) {
		t.Errorf("GenerateCatalog with seeds 1 and 2 gave the same products")
	}
	ids := map[string]bool{}
	for _, p := range a {
		if err := p.Validate(); err != nil {
			t.Fatalf("generated product: %v", err)
		}
		if ids[p.ID] {
			t.Fatalf("generated id %s appears twice", p.ID)
		}
		ids[p.ID] = true
	}
	for _, p := range petstore.SeedProducts() {
		if ids[p.ID] {
			t.Errorf("generated id %s collides with a seed product", p.ID)
		}
	}
	if got := petstore.GenerateCatalog(0, 1); len(got) != 0 {
		t.Errorf("GenerateCatalog(0, 1) = %d products", len(got))
	}
}

func TestListAndGet(t *testing.T) {
	ctx := context.Background()
	cat, _ := petstoretest.New(t, nil)
	seed := petstore.SeedProducts()
	byCategory := map[petstore.Category][]petstore.Product{}
	for _, p := range seed {
		byCategory[p.Category] = append(byCategory[p.Category], p)
	}

	// Page through every category and compare with the seed set.
	for _, c := range append(petstore.Categories(), "") {
		want := byCategory[c]
		if c == "" {
			want = seed
		}
		var got []petstore.Product
		for page := 1; ; page++ {
			pg, err := cat.List(ctx, c, page, 5)
			if err != nil {
				t.Fatalf("List(%q, %d, 5): %v", c, page, err)
			}
			if pg.Total != len(want) || pg.Pages != (len(want)+4)/5 || pg.Page != page || pg.PageSize != 5 {
				t.Fatalf("List(%q, %d, 5) = total %d, pages %d, page %d, size %d; want total %d", c, page, pg.Total, pg.Pages, pg.Page, pg.PageSize, len(want))
			}
			got = append(got, pg.Products...)
			if !pg.HasNext() {
				break
			}
		}
		if len(got) != len(want) {
			t.Fatalf("List(%q) pages hold %d products, want %d", c, len(got), len(want))
		}
		for i := 1; i < len(got); i++ {
			if strings.ToLower(got[i-1].Name) > strings.ToLower(got[i].Name) {
				t.Errorf("List(%q): %q comes before %q", c, got[i-1].Name, got[i].Name)
			}
		}
		wantByID := map[string]petstore.Product{}
		for _, p := range want {
			wantByID[p.ID] = p
		}
		for _, p := range got {
			if diff := cmp.Diff(wantByID[p.ID], p); diff != "" {
				t.Errorf("List(%q) product %s (-want +got):\n%s", c, p.ID, diff)
			}
		}
	}

	// Defaults and bounds.
	pg, err := cat.List(ctx, petstore.Dogs, 0, 0)
	if err != nil || pg.Page != 1 || pg.PageSize != petstore.DefaultPageSize || len(pg.Products) != min(petstore.DefaultPageSize, len(byCategory[petstore.Dogs])) {
		t.Errorf("List(dogs, 0, 0) = page %d size %d with %d products, %v", pg.Page, pg.PageSize, len(pg.Products), err)
	}
	pg, err = cat.List(ctx, petstore.Dogs, 99, 10)
	if err != nil || len(pg.Products) != 0 || pg.Products == nil || pg.HasNext() || !pg.HasPrev() {
		t.Errorf("List(dogs, 99, 10) = %+v, %v; want an empty page", pg, err)
	}
	for _, tc := range []struct {
		name       string
		category   petstore.Category
		page, size int
	}{
		{"unknown category", "reptiles", 1, 10},
		{"negative page", petstore.Cats, -1, 10},
		{"negative size", petstore.Cats, 1, -1},
		{"size over max", petstore.Cats, 1, petstore.MaxPageSize + 1},
	} {
		_, err := cat.List(ctx, tc.category, tc.page, tc.size)
		wantKind(t, tc.name, err, faas.Invalid)
	}

	// Get.
	for _, want := range seed[:5] {
		got, err := cat.Get(ctx, want.ID)
		if err != nil {
			t.Fatalf("Get(%s): %v", want.ID, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Get(%s) (-want +got):\n%s", want.ID, diff)
		}
	}
	for _, id := range []string{"no-such-product", "", "../etc/passwd", strings.Repeat("x", 1000), "DOG-BEAGLE-PUPPY"} {
		_, err := cat.Get(ctx, id)
		wantKind(t, "Get("+petstoreTruncate(id)+")", err, faas.NotFound)
	}
}

func petstoreTruncate(s string) string {
	if len(s) > 20 {
		return s[:20] + "..."
	}
	return s
}

func TestSeedValidates(t *testing.T) {
	ctx := context.Background()
	cat, _ := petstoretest.New(t, &petstoretest.Options{Products: []petstore.Product{}})
	bad := []petstore.Product{
		{ID: "ok-1", Category: petstore.Dogs, Name: "Fine", Price: 1},
		{ID: "Bad Id", Category: petstore.Dogs, Name: "Bad", Price: 1},
	}
	wantKind(t, "Seed with a bad id", cat.Seed(ctx, bad), faas.Invalid)
	dup := []petstore.Product{bad[0], bad[0]}
	wantKind(t, "Seed with a duplicate id", cat.Seed(ctx, dup), faas.Invalid)
	pg, err := cat.List(ctx, "", 1, 10)
	if err != nil || pg.Total != 0 {
		t.Errorf("after failed seeds List = %d products, %v; want none", pg.Total, err)
	}
	// Seeding more than one batch works, and seeding again replaces.
	gen := petstore.GenerateCatalog(60, 7)
	for range 2 {
		if err := cat.Seed(ctx, gen); err != nil {
			t.Fatalf("Seed: %v", err)
		}
	}
	pg, err = cat.List(ctx, "", 1, 10)
	if err != nil || pg.Total != 60 {
		t.Errorf("after seeding 60 twice, List total = %d, %v", pg.Total, err)
	}
	// CreateTables again is harmless.
	if err := cat.CreateTables(ctx); err != nil {
		t.Errorf("second CreateTables: %v", err)
	}
}
