package petstore

import (
	"fmt"
	"strings"

	"github.com/faasport/faasport/faas"
)

// Category is a department of the store.
type Category string

// The store's categories, in the order the shop shows them.
const (
	Dogs      Category = "dogs"
	Cats      Category = "cats"
	Fish      Category = "fish"
	Birds     Category = "birds"
	SmallPets Category = "small-pets"
)

var categories = []Category{Dogs, Cats, Fish, Birds, SmallPets}

// Categories returns the store's categories in display order.
func Categories() []Category { return append([]Category(nil), categories...) }

// Valid reports whether c is one of [Categories].
func (c Category) Valid() bool {
	for _, k := range categories {
		if c == k {
			return true
		}
	}
	return false
}

// Title returns the category's display name, such as "Small pets".
func (c Category) Title() string {
	switch c {
	case SmallPets:
		return "Small pets"
	case "":
		return "All pets"
	}
	s := string(c)
	return strings.ToUpper(s[:1]) + s[1:]
}

// ParseCategory returns the Category named s. The empty string is the
// empty Category, meaning all of them; any other unknown name is
// [faas.Invalid].
func ParseCategory(s string) (Category, error) {
	c := Category(s)
	if c == "" || c.Valid() {
		return c, nil
	}
	return "", faas.Errorf(faas.Invalid, "petstore: there is no category %q (choose one of dogs, cats, fish, birds, small-pets)", truncate(s, 40))
}

// Cents is an amount of money in US cents. It is an integer so that sums
// are exact.
type Cents int64

// String formats c as dollars, such as "$12.34" or "-$0.50".
func (c Cents) String() string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s$%d.%02d", sign, c/100, c%100)
}

// Product is an item for sale.
type Product struct {
	ID          string   `json:"id"`
	Category    Category `json:"category"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Price       Cents    `json:"price"` // per unit
	Stock       int      `json:"stock"` // units available
	Image       string   `json:"image"` // the image's path on the site, such as "/static/img/dog-beagle-puppy.svg"
}

// InStock reports whether at least one unit is available.
func (p Product) InStock() bool { return p.Stock > 0 }

// Limits on product data.
const (
	MaxIDLen          = 64
	MaxNameLen        = 120
	MaxDescriptionLen = 2000
)

// validID reports whether id is a syntactically valid product id:
// 1 to MaxIDLen lowercase ASCII letters, digits and hyphens, starting with
// a letter or digit.
func validID(id string) bool {
	if id == "" || len(id) > MaxIDLen || id[0] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Validate reports whether p can be stored: a valid id, category, name,
// non-negative price and stock. It returns a [faas.Invalid] error naming
// the first problem.
func (p Product) Validate() error {
	switch {
	case !validID(p.ID):
		return faas.Errorf(faas.Invalid, "petstore: product id %q must be 1 to %d lowercase letters, digits and hyphens", truncate(p.ID, 80), MaxIDLen)
	case !p.Category.Valid():
		return faas.Errorf(faas.Invalid, "petstore: product %s has no valid category (%q)", p.ID, p.Category)
	case strings.TrimSpace(p.Name) == "" || len(p.Name) > MaxNameLen:
		return faas.Errorf(faas.Invalid, "petstore: product %s needs a name of 1 to %d bytes", p.ID, MaxNameLen)
	case len(p.Description) > MaxDescriptionLen:
		return faas.Errorf(faas.Invalid, "petstore: the description of product %s is longer than %d bytes", p.ID, MaxDescriptionLen)
	case p.Price < 0:
		return faas.Errorf(faas.Invalid, "petstore: product %s has a negative price", p.ID)
	case p.Stock < 0:
		return faas.Errorf(faas.Invalid, "petstore: product %s has a negative stock", p.ID)
	}
	return nil
}

// truncate shortens s to at most n bytes on a rune boundary, for quoting
// user input in messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
