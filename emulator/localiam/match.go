package localiam

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A pattern is a compiled wildcard pattern: one element per character, so
// that characters that came from policy variables or from the ${*}, ${?}
// and ${$} escapes stay literal even when they are '*' or '?'.
type pattern []pchar

type pchar struct {
	r rune
	k pkind
}

type pkind uint8

const (
	pLit      pkind = iota // the character r itself
	pStar                  // any run of characters, even an empty one
	pQuest                 // exactly one character
	pStarSeg               // any run of characters other than ':'
	pQuestSeg              // exactly one character other than ':'
)

// compileText turns policy text into a pattern in which '*' and '?' are
// wildcards and every other character is literal.
func compileText(dst pattern, s string) pattern {
	for _, r := range s {
		switch r {
		case '*':
			dst = append(dst, pchar{k: pStar})
		case '?':
			dst = append(dst, pchar{k: pQuest})
		default:
			dst = append(dst, pchar{r: r})
		}
	}
	return dst
}

// appendLiteral appends s to dst with no wildcards.
func appendLiteral(dst pattern, s string) pattern {
	for _, r := range s {
		dst = append(dst, pchar{r: r})
	}
	return dst
}

// wildcardMatch reports whether s matches the pattern text p, in which '*'
// matches any run of characters and '?' exactly one character. It is how
// IAM matches actions (with fold set: action names are case-insensitive)
// and StringLike values (case-sensitive).
func wildcardMatch(p, s string, fold bool) bool {
	g := compileText(nil, p).compile()
	return g.match(s, fold)
}

// A glob is a pattern ready to match, with fast paths for the common
// shapes: "dynamodb:GetItem" and "dynamodb:Get*".
type glob struct {
	mode gmode
	text string // gExact: the pattern; gPrefix: the pattern before its final '*'
	p    pattern
}

type gmode uint8

const (
	gNever  gmode = iota // matches nothing: a variable without value, or not an ARN
	gExact               // no wildcards
	gPrefix              // no wildcards but a final '*'
	gGreedy              // wildcards that may match any character
	gTable               // some wildcard that stops at colons
)

// never is the glob that matches nothing.
var never = glob{mode: gNever}

// compile readies p for matching.
func (p pattern) compile() glob {
	g := glob{mode: gExact, p: p}
	for i, c := range p {
		switch c.k {
		case pLit:
			continue
		case pStar:
			if i == len(p)-1 && g.mode == gExact {
				g.mode = gPrefix
				continue
			}
		case pStarSeg:
			g.mode = gTable
			return g
		}
		g.mode = gGreedy
	}
	if g.mode == gExact || g.mode == gPrefix {
		var b strings.Builder
		for _, c := range p {
			if c.k == pLit {
				b.WriteRune(c.r)
			}
		}
		g.text = b.String()
	}
	return g
}

// match reports whether the whole of s matches g. With fold set, letters
// match either case.
func (g *glob) match(s string, fold bool) bool {
	switch g.mode {
	case gExact:
		if fold {
			return strings.EqualFold(g.text, s)
		}
		return g.text == s
	case gPrefix:
		if !fold {
			return strings.HasPrefix(s, g.text)
		}
		return hasPrefixFold(s, g.text)
	case gGreedy:
		return g.p.matchGreedy(s, fold)
	case gTable:
		return g.p.matchTable(s, fold)
	}
	return false
}

// hasPrefixFold is strings.HasPrefix under Unicode simple case folding,
// compared character by character, since a character and its folded form
// may differ in length.
func hasPrefixFold(s, prefix string) bool {
	for _, pr := range prefix {
		if s == "" {
			return false
		}
		r, w := utf8.DecodeRuneInString(s)
		if !runeEq(pr, r, true) {
			return false
		}
		s = s[w:]
	}
	return true
}

// matchGreedy is the linear-backtracking glob matcher: on a mismatch it
// lets the most recent star swallow one more character. That is complete
// when every star may swallow any character, which is why patterns with a
// pStarSeg go to matchTable instead.
func (p pattern) matchGreedy(s string, fold bool) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		r, w := utf8.DecodeRuneInString(s[si:])
		if pi < len(p) {
			c := p[pi]
			switch {
			case c.k == pStar:
				starP, starS = pi, si
				pi++
				continue
			case c.k == pQuest, c.k == pQuestSeg && r != ':', c.k == pLit && runeEq(c.r, r, fold):
				pi++
				si += w
				continue
			}
		}
		if starP < 0 {
			return false
		}
		_, w = utf8.DecodeRuneInString(s[starS:])
		starS += w
		si = starS
		pi = starP + 1
	}
	for pi < len(p) && p[pi].k == pStar {
		pi++
	}
	return pi == len(p)
}

// matchTable matches by dynamic programming over (pattern, subject)
// prefixes, in O(len(p)·len(s)) time, for patterns whose stars may not
// cross a colon.
func (p pattern) matchTable(s string, fold bool) bool {
	rs := []rune(s)
	prev := make([]bool, len(rs)+1) // prev[j]: p[:i] matches rs[:j]
	cur := make([]bool, len(rs)+1)
	prev[0] = true
	for _, c := range p {
		star := c.k == pStar || c.k == pStarSeg
		cur[0] = prev[0] && star
		for j := 1; j <= len(rs); j++ {
			r := rs[j-1]
			switch c.k {
			case pStar:
				cur[j] = prev[j] || cur[j-1]
			case pStarSeg:
				cur[j] = prev[j] || (cur[j-1] && r != ':')
			case pQuest:
				cur[j] = prev[j-1]
			case pQuestSeg:
				cur[j] = prev[j-1] && r != ':'
			default:
				cur[j] = prev[j-1] && runeEq(c.r, r, fold)
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(rs)]
}

// runeEq compares two characters, ignoring case (by Unicode simple
// folding, as strings.EqualFold does) when fold is set.
func runeEq(a, b rune, fold bool) bool {
	if a == b {
		return true
	}
	if !fold {
		return false
	}
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		return a == b
	}
	r := unicode.SimpleFold(a)
	for r != a && r != b {
		r = unicode.SimpleFold(r)
	}
	return r == b
}

// ARN segments are numbered from 0 ("arn") to 5 (the resource part, which
// may itself contain colons).
const resourceSegment = 5

// resourceARN marks the wildcards of a Resource or NotResource pattern as
// IAM documents them: wildcards work within a colon-separated segment of
// the ARN, except that a '*' that ends one of the first five segments "can
// expand to match beyond the colon boundaries", and wildcards in the
// resource part match anything, '/' and ':' included.
func (p pattern) resourceARN() pattern {
	seg := 0
	for i, c := range p {
		switch {
		case c.k == pLit && c.r == ':':
			seg++
		case seg >= resourceSegment:
		case c.k == pQuest:
			p[i].k = pQuestSeg
		case c.k == pStar:
			if i+1 < len(p) && !(p[i+1].k == pLit && p[i+1].r == ':') {
				p[i].k = pStarSeg
			}
		}
	}
	return p
}

// conditionARN marks the wildcards of an ArnLike or ArnEquals value: "each
// of the six colon-delimited components of the ARN is checked separately",
// so no wildcard in the first five components matches a colon. It reports
// false when p has fewer than six components, which then matches nothing.
func (p pattern) conditionARN() (pattern, bool) {
	seg := 0
	for i, c := range p {
		switch {
		case c.k == pLit && c.r == ':':
			seg++
		case seg >= resourceSegment:
		case c.k == pQuest:
			p[i].k = pQuestSeg
		case c.k == pStar:
			p[i].k = pStarSeg
		}
	}
	return p, seg >= resourceSegment
}
