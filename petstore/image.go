package petstore

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// Colours of the product cards, by category.
var cardColors = map[Category][2]string{
	Dogs:      {"#e07a5f", "#f4d8cd"},
	Cats:      {"#8e7dbe", "#e2ddf1"},
	Fish:      {"#3d8bfd", "#d4e5ff"},
	Birds:     {"#e0a100", "#fbefc8"},
	SmallPets: {"#6a994e", "#dbead1"},
}

// Glyph returns the letter shown on the cards of category c: its initial
// in upper case, such as "D" for dogs and "S" for small pets.
func (c Category) Glyph() string {
	if c == "" {
		return "P"
	}
	return strings.ToUpper(string(c)[:1])
}

// Color returns the CSS colour of category c, such as "#e07a5f".
func (c Category) Color() string {
	if col, ok := cardColors[c]; ok {
		return col[0]
	}
	return "#5c677d"
}

// ProductImage returns the image of p: a small SVG card in the colour of
// its category, with the category's glyph and the product's name. It is
// drawn by code so that the store needs no image files, and any catalog,
// generated ones included, has pictures.
func ProductImage(p Product) []byte {
	col, ok := cardColors[p.Category]
	if !ok {
		col = [2]string{"#5c677d", "#dfe3ea"}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240" viewBox="0 0 320 240" role="img" aria-label="%s">`, html.EscapeString(p.Name))
	fmt.Fprintf(&b, `<rect width="320" height="240" rx="16" fill="%s"/>`, col[1])
	fmt.Fprintf(&b, `<circle cx="160" cy="92" r="56" fill="%s"/>`, col[0])
	fmt.Fprintf(&b, `<text x="160" y="114" text-anchor="middle" font-family="Georgia, serif" font-size="64" font-weight="bold" fill="#ffffff">%s</text>`, p.Category.Glyph())
	lines := wrap(p.Name, 26, 2)
	y := 184
	if len(lines) == 1 {
		y = 194
	}
	for i, l := range lines {
		fmt.Fprintf(&b, `<text x="160" y="%d" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="18" fill="#2b2d42">%s</text>`, y+i*24, html.EscapeString(l))
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}

// wrap breaks s into at most n lines of at most width runes, at spaces
// where it can; the last line ends in "…" when s does not fit.
func wrap(s string, width, n int) []string {
	var lines []string
	var cur string
	for _, w := range strings.Fields(s) {
		for utf8.RuneCountInString(w) > width {
			if cur != "" {
				lines, cur = append(lines, cur), ""
			}
			r := []rune(w)
			lines, w = append(lines, string(r[:width])), string(r[width:])
		}
		switch {
		case cur == "":
			cur = w
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) <= width:
			cur += " " + w
		default:
			lines, cur = append(lines, cur), w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) > n {
		last := []rune(lines[n-1])
		if len(last) >= width {
			last = last[:width-1]
		}
		lines = append(lines[:n-1], string(last)+"…")
	}
	return lines
}
