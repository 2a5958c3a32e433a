package localiam

import (
	"bytes"
	"encoding/base64"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// A condition is one condition key under one condition operator, such as
// "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [...]}.
type condition struct {
	op       string // as written, e.g. "ForAllValues:StringLikeIfExists"
	base     opKind
	negated  bool
	set      setKind
	ifExists bool
	key      string
	values   []template

	// Values of the operators that take no policy variables, parsed once.
	nums  []float64 // NaN: not a number, matches nothing
	times []time.Time
	ok    []bool // times[i] or bins[i] is valid
	ips   []netip.Prefix
	bins  [][]byte

	// Values compiled once when none has a variable.
	vars bool     // some value has a policy variable
	strs []string // String and Bool operators
	pats []glob   // Like and Arn operators
}

type opKind uint8

const (
	opString opKind = iota
	opStringIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinary
	opIP
	opArn
	opNull
)

type setKind uint8

const (
	setNone setKind = iota
	setForAllValues
	setForAnyValue
)

// operators maps each condition operator, without set qualifier or
// IfExists, to what it does and whether it is negated.
var operators = map[string]struct {
	kind    opKind
	negated bool
}{
	"StringEquals":              {opString, false},
	"StringNotEquals":           {opString, true},
	"StringEqualsIgnoreCase":    {opStringIgnoreCase, false},
	"StringNotEqualsIgnoreCase": {opStringIgnoreCase, true},
	"StringLike":                {opStringLike, false},
	"StringNotLike":             {opStringLike, true},
	"NumericEquals":             {opNumericEquals, false},
	"NumericNotEquals":          {opNumericEquals, true},
	"NumericLessThan":           {opNumericLessThan, false},
	"NumericLessThanEquals":     {opNumericLessThanEquals, false},
	"NumericGreaterThan":        {opNumericGreaterThan, false},
	"NumericGreaterThanEquals":  {opNumericGreaterThanEquals, false},
	"DateEquals":                {opDateEquals, false},
	"DateNotEquals":             {opDateEquals, true},
	"DateLessThan":              {opDateLessThan, false},
	"DateLessThanEquals":        {opDateLessThanEquals, false},
	"DateGreaterThan":           {opDateGreaterThan, false},
	"DateGreaterThanEquals":     {opDateGreaterThanEquals, false},
	"Bool":                      {opBool, false},
	"BinaryEquals":              {opBinary, false},
	"IpAddress":                 {opIP, false},
	"NotIpAddress":              {opIP, true},
	"ArnEquals":                 {opArn, false},
	"ArnLike":                   {opArn, false},
	"ArnNotEquals":              {opArn, true},
	"ArnNotLike":                {opArn, true},
	"Null":                      {opNull, false},
}

// takesVariables reports whether policy variables are substituted in the
// operator's values: "You can use a policy variable for Condition values in
// any condition that involves the string operators or the ARN operators",
// and with Bool. Numeric, Date, Binary, IP address and Null values are
// taken as written.
func (k opKind) takesVariables() bool {
	switch k {
	case opString, opStringIgnoreCase, opStringLike, opArn, opBool:
		return true
	}
	return false
}

// parseOperator splits a condition operator such as
// "ForAnyValue:StringNotLikeIfExists" into its parts. It reports false for
// an operator IAM does not know.
func parseOperator(op string) (c condition, ok bool) {
	c.op = op
	name := op
	if rest, ok := strings.CutPrefix(name, "ForAllValues:"); ok {
		c.set, name = setForAllValues, rest
	} else if rest, ok := strings.CutPrefix(name, "ForAnyValue:"); ok {
		c.set, name = setForAnyValue, rest
	}
	// "You can add IfExists to the end of any condition operator name
	// except the Null condition".
	if rest, ok := strings.CutSuffix(name, "IfExists"); ok && rest != "Null" {
		c.ifExists, name = true, rest
	}
	o, ok := operators[name]
	if !ok {
		return c, false
	}
	c.base, c.negated = o.kind, o.negated
	return c, true
}

// compile parses the values of operators that take no variables, and the
// wildcard patterns of values that have none.
func (c *condition) compile() error {
	n := len(c.values)
	for i := range c.values {
		c.vars = c.vars || c.values[i].hasVars()
	}
	switch c.base {
	case opString, opStringIgnoreCase, opBool:
		c.strs = make([]string, n)
		for i := range c.values {
			c.strs[i], _ = c.values[i].str(nil)
		}
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		c.nums = make([]float64, n)
		for i, v := range c.values {
			c.nums[i] = parseNumber(v.raw)
		}
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		c.times, c.ok = make([]time.Time, n), make([]bool, n)
		for i, v := range c.values {
			t, ok := parseDate(v.raw)
			if !ok {
				// IAM checks date values when it parses the policy.
				return &PolicyError{Message: msgLegacyParsing, Detail: strconv.Quote(v.raw) + " is not an ISO 8601 date or epoch time"}
			}
			c.times[i], c.ok[i] = t, true
		}
	case opIP:
		c.ips = make([]netip.Prefix, n)
		for i, v := range c.values {
			c.ips[i] = parsePrefix(v.raw)
		}
	case opBinary:
		c.bins, c.ok = make([][]byte, n), make([]bool, n)
		for i, v := range c.values {
			c.bins[i], c.ok[i] = decodeBase64(v.raw)
		}
	case opStringLike, opArn:
		c.pats = make([]glob, n)
		for i := range c.values {
			if !c.values[i].hasVars() {
				c.pats[i] = c.compilePattern(&c.values[i])
			}
		}
	}
	return nil
}

// compilePattern compiles a StringLike or Arn value without variables;
// an Arn value that is not an ARN matches nothing.
func (c *condition) compilePattern(t *template) glob {
	p, _ := t.pattern(nil)
	if c.base == opArn {
		p, ok := p.conditionARN()
		if !ok {
			return never
		}
		return p.compile()
	}
	return p.compile()
}

// eval reports whether the condition holds for req. The rules are those of
// the IAM User Guide:
//
//   - A key missing from the request makes the condition false, or true
//     for a negated operator ("StringNotLike ... and the right key is not
//     present, the condition is true") and for ...IfExists.
//   - ForAllValues is true if every request value matches, and so for a
//     missing key; ForAnyValue is true if any does, and so false for a
//     missing key.
//   - Several values in the policy are OR'ed; for a negated operator that
//     is a NOR: the request value must match none of them.
//   - Null is true when the key's presence is as the value says.
func (c *condition) eval(req *Request) bool {
	vals := req.values(c.key)
	if c.base == opNull {
		for _, v := range c.values {
			switch strings.ToLower(v.raw) {
			case "true":
				if len(vals) == 0 {
					return true
				}
			case "false":
				if len(vals) != 0 {
					return true
				}
			}
		}
		return false
	}
	if len(vals) == 0 {
		switch {
		case c.ifExists:
			return true
		case c.set == setForAllValues:
			return true
		case c.set == setForAnyValue:
			return false
		}
		return c.negated
	}

	r, ok := c.resolve(req)
	if !ok {
		// A negated operator whose value names a variable the request
		// lacks: AWS says such a variable "causes the statement to be
		// invalid", so the condition does not hold.
		return false
	}
	switch c.set {
	case setForAnyValue:
		for _, v := range vals {
			if c.test(&r, v) {
				return true
			}
		}
		return false
	case setForAllValues:
		for _, v := range vals {
			if !c.test(&r, v) {
				return false
			}
		}
		return true
	}
	// No set qualifier, yet several values: AWS wants ForAllValues or
	// ForAnyValue for such keys and does not say. We take "the key's value
	// matches" to mean any value for a positive operator, and "does not
	// match" to mean no value for a negated one.
	if c.negated {
		for _, v := range vals {
			if !c.test(&r, v) {
				return false
			}
		}
		return true
	}
	for _, v := range vals {
		if c.test(&r, v) {
			return true
		}
	}
	return false
}

// test reports whether one request value satisfies the operator: matches
// one of the values, or for a negated operator none of them.
func (c *condition) test(r *resolved, v string) bool {
	return r.matchAny(c, v) != c.negated
}

// resolved holds a condition's values with the request's variables
// substituted.
type resolved struct {
	strs []string // String and Bool operators
	skip []bool   // nil, or skip[i]: strs[i] names a variable without value
	pats []glob   // Like and Arn operators
}

func (r *resolved) skipped(i int) bool { return r.skip != nil && r.skip[i] }

// resolve substitutes variables. For a negated operator it reports false if
// a variable has no value (see eval); for a positive one such a value just
// matches nothing.
func (c *condition) resolve(req *Request) (resolved, bool) {
	r := resolved{strs: c.strs, pats: c.pats}
	if !c.vars {
		return r, true
	}
	switch c.base {
	case opString, opStringIgnoreCase, opBool:
		r.strs = make([]string, len(c.values))
		for i := range c.values {
			s, ok := c.values[i].str(req)
			if !ok {
				if c.negated {
					return r, false
				}
				if r.skip == nil {
					r.skip = make([]bool, len(c.values))
				}
				r.skip[i] = true
			}
			r.strs[i] = s
		}
	case opStringLike, opArn:
		r.pats = append([]glob(nil), c.pats...)
		for i := range c.values {
			if !c.values[i].hasVars() {
				continue
			}
			p, ok := c.values[i].pattern(req)
			if !ok && c.negated {
				return r, false
			}
			if ok && c.base == opArn {
				p, ok = p.conditionARN()
			}
			r.pats[i] = never
			if ok {
				r.pats[i] = p.compile()
			}
		}
	}
	return r, true
}

// matchAny reports whether the request value v matches any of the policy
// values, in the operator's positive sense.
func (r *resolved) matchAny(c *condition, v string) bool {
	switch c.base {
	case opString:
		for i, s := range r.strs {
			if s == v && !r.skipped(i) {
				return true
			}
		}
	case opStringIgnoreCase, opBool:
		for i, s := range r.strs {
			if strings.EqualFold(s, v) && !r.skipped(i) {
				return true
			}
		}
	case opStringLike, opArn:
		for i := range r.pats {
			if r.pats[i].match(v, false) {
				return true
			}
		}
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		x := parseNumber(v)
		for _, y := range c.nums {
			if compareOK(c.base-opNumericEquals, x, y) {
				return true
			}
		}
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(v)
		if !ok {
			return false
		}
		for i, u := range c.times {
			if c.ok[i] && compareOK(c.base-opDateEquals, float64(t.Compare(u)), 0) {
				return true
			}
		}
	case opBinary:
		for i, b := range c.bins {
			if c.ok[i] && bytes.Equal(b, []byte(v)) {
				return true
			}
		}
	case opIP:
		a, err := netip.ParseAddr(v)
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range c.ips {
			if p.IsValid() && p.Contains(a) {
				return true
			}
		}
	}
	return false
}

// compareOK applies the comparison numbered as in opNumericEquals,
// opNumericLessThan, … to x and y. NaN compares false.
func compareOK(cmp opKind, x, y float64) bool {
	switch cmp {
	case 0:
		return x == y
	case 1:
		return x < y
	case 2:
		return x <= y
	case 3:
		return x > y
	case 4:
		return x >= y
	}
	return false
}

// parseNumber parses an integer or decimal as the Numeric operators take
// it ("an integer or decimal value"), with an optional exponent; anything
// else is NaN, which compares false.
func parseNumber(s string) float64 {
	nan := math.NaN
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return nan()
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return nan()
		}
	}
	if i != len(s) {
		return nan()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nan()
	}
	return f
}

// dateLayouts are the W3C profile of ISO 8601 that the Date operators take,
// from a year and month to fractions of a second. A time without a zone is UTC.
var dateLayouts = []string{
	"2006-01",
	"2006-01-02",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
}

// parseDate parses an ISO 8601 date (as aws:CurrentTime has it) or an epoch
// time in seconds (as aws:EpochTime has it). Like IAM's parser, it takes a
// value with a 'T' or a '-' for a date and one of digits for epoch time.
func parseDate(s string) (time.Time, bool) {
	if !strings.ContainsAny(s, "tT-") {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil || sec < 0 || s[0] == '+' {
			return time.Time{}, false
		}
		return time.Unix(sec, 0).UTC(), true
	}
	u := strings.ToUpper(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, u); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parsePrefix parses an IpAddress value: CIDR notation, or a bare address,
// for which "IAM uses the default prefix value of /32" (/128 for IPv6).
// The zero Prefix, which is not valid, matches nothing.
func parsePrefix(s string) netip.Prefix {
	if p, err := netip.ParsePrefix(s); err == nil {
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p
	}
	if a, err := netip.ParseAddr(s); err == nil {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen())
	}
	return netip.Prefix{}
}

// decodeBase64 decodes a BinaryEquals value.
func decodeBase64(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	return b, true
}
