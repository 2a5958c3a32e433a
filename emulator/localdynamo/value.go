package localdynamo

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"sort"
	"strings"
	"unicode/utf8"
)

// Attribute types, as DynamoDB spells them on the wire.
const (
	typeS    = "S"
	typeN    = "N"
	typeB    = "B"
	typeBOOL = "BOOL"
	typeNULL = "NULL"
	typeM    = "M"
	typeL    = "L"
	typeSS   = "SS"
	typeNS   = "NS"
	typeBS   = "BS"
)

// value is one DynamoDB AttributeValue. Scalars keep their text in s: the
// string for S, the canonical decimal for N, the raw bytes for B. Sets keep
// their members in set the same way.
type value struct {
	t    string
	s    string
	num  decimal // N only
	b    bool    // BOOL
	m    map[string]*value
	l    []*value
	set  []string
	nums []decimal // NS only, parallel to set
}

// attrMap is a DynamoDB item: attribute names to values. It marshals to and
// from DynamoDB's JSON wire format.
type attrMap map[string]*value

func numValue(d decimal) *value { return &value{t: typeN, s: d.String(), num: d} }

// wireValue is the JSON shape of an AttributeValue. Pointers tell an absent
// member from an empty one.
type wireValue struct {
	S    *string            `json:"S"`
	N    *string            `json:"N"`
	B    *string            `json:"B"`
	BOOL *bool              `json:"BOOL"`
	NULL *bool              `json:"NULL"`
	M    *map[string]*value `json:"M"`
	L    *[]*value          `json:"L"`
	SS   *[]string          `json:"SS"`
	NS   *[]string          `json:"NS"`
	BS   *[]string          `json:"BS"`
}

func (v *value) UnmarshalJSON(data []byte) error {
	if fast, ok := decodeWireValue(data); ok {
		*v = *fast
		return nil
	}
	return v.unmarshalWire(data)
}

// unmarshalWire decodes any AttributeValue and reports what is wrong
// with it, in DynamoDB's words: a member of the wrong JSON type or
// invalid base64 as a SerializationException (see typeMismatch), before
// an invalid value as a ValidationException.
func (v *value) unmarshalWire(data []byte) error {
	var w wireValue
	if err := json.Unmarshal(data, &w); err != nil {
		// An AttributeValue is a map's value or a list's member.
		if ae := valueMismatch(data, shapeValue, atMapValue); ae != nil {
			return ae
		}
		return err
	}
	var bin string
	if w.B != nil {
		var err error
		if bin, err = decodeBase64(*w.B); err != nil {
			return err
		}
	}
	var bins []string
	if w.BS != nil {
		for _, s := range *w.BS {
			b, err := decodeBase64(s)
			if err != nil {
				return err
			}
			bins = append(bins, b)
		}
	}
	n := 0
	if w.S != nil {
		n++
		v.t, v.s = typeS, *w.S
		if !utf8.ValidString(v.s) {
			return validationf("One or more parameter values were invalid: String contains invalid UTF-8")
		}
	}
	if w.N != nil {
		n++
		d, err := parseDecimal(*w.N)
		if err != nil {
			return err
		}
		v.t, v.s, v.num = typeN, d.String(), d
	}
	if w.B != nil {
		n++
		v.t, v.s = typeB, bin
	}
	if w.BOOL != nil {
		n++
		v.t, v.b = typeBOOL, *w.BOOL
	}
	if w.NULL != nil {
		n++
		v.t = typeNULL
		if !*w.NULL {
			return validationf("One or more parameter values were invalid: Null attribute value types must have the value of true")
		}
	}
	if w.M != nil {
		n++
		v.t, v.m = typeM, *w.M
		if v.m == nil {
			v.m = map[string]*value{}
		}
		for _, e := range v.m {
			if e == nil || e.t == "" {
				return errEmptyValue
			}
		}
	}
	if w.L != nil {
		n++
		v.t, v.l = typeL, *w.L
		if v.l == nil {
			v.l = []*value{}
		}
		for _, e := range v.l {
			if e == nil || e.t == "" {
				return errEmptyValue
			}
		}
	}
	if w.SS != nil {
		n++
		v.t, v.set = typeSS, *w.SS
		if len(v.set) == 0 {
			return validationf("One or more parameter values were invalid: An string set  may not be empty")
		}
	}
	if w.NS != nil {
		n++
		v.t = typeNS
		if len(*w.NS) == 0 {
			return validationf("One or more parameter values were invalid: An number set  may not be empty")
		}
		for _, s := range *w.NS {
			if s == "" {
				return validationf("The parameter cannot be converted to a numeric value")
			}
			d, err := parseDecimal(s)
			if err != nil {
				return err
			}
			v.set = append(v.set, d.String())
			v.nums = append(v.nums, d)
		}
	}
	if w.BS != nil {
		n++
		v.t = typeBS
		if len(*w.BS) == 0 {
			return validationf("One or more parameter values were invalid: Binary sets should not be empty")
		}
		v.set = bins
	}
	switch {
	case n == 0:
		return errEmptyValue
	case n > 1:
		return validationf("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
	}
	if v.set != nil {
		if dup := duplicateMember(v); dup {
			var shown []string
			for _, s := range v.set {
				if v.t == typeBS {
					s = base64.StdEncoding.EncodeToString([]byte(s))
				}
				shown = append(shown, s)
			}
			of := ""
			if v.t == typeBS {
				of = "of type BS" // sic: without a space before it
			}
			return validationf("One or more parameter values were invalid: Input collection [%s]%s contains duplicates.", strings.Join(shown, ", "), of)
		}
	}
	return nil
}

// decodeBase64 decodes s as DynamoDB does. Its error is a
// SerializationException where DynamoDB's words for the fault are known,
// the decoder's otherwise.
func decodeBase64(s string) (string, error) {
	b, err := strictBase64.DecodeString(s)
	if err != nil {
		if msg := base64Mismatch(s); msg != "" {
			return "", serializationError(msg)
		}
		return "", err
	}
	return string(b), nil
}

var errEmptyValue = validationf("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")

func duplicateMember(v *value) bool {
	seen := make(map[string]bool, len(v.set))
	for _, s := range v.set {
		if seen[s] {
			return true
		}
		seen[s] = true
	}
	return false
}

func (v *value) MarshalJSON() ([]byte, error) {
	return appendValue(nil, v), nil
}

// appendValue appends v in DynamoDB's JSON wire format.
func appendValue(b []byte, v *value) []byte {
	b = append(b, `{"`...)
	b = append(b, v.t...)
	b = append(b, `":`...)
	switch v.t {
	case typeS, typeN:
		b = appendString(b, v.s)
	case typeB:
		b = appendBase64(b, v.s)
	case typeBOOL:
		if v.b {
			b = append(b, "true"...)
		} else {
			b = append(b, "false"...)
		}
	case typeNULL:
		b = append(b, "true"...)
	case typeM:
		b = appendItem(b, v.m)
	case typeL:
		b = append(b, '[')
		for i, e := range v.l {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e)
		}
		b = append(b, ']')
	case typeSS, typeNS, typeBS:
		b = append(b, '[')
		for i, s := range v.set {
			if i > 0 {
				b = append(b, ',')
			}
			if v.t == typeBS {
				b = appendBase64(b, s)
			} else {
				b = appendString(b, s)
			}
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendItem appends a map of attributes, keys sorted so that the encoding
// is deterministic.
func appendItem(b []byte, m map[string]*value) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendValue(b, m[k])
	}
	return append(b, '}')
}

// UnmarshalJSON decodes a map of AttributeValues as encoding/json would
// decode it into a map[string]*value, plain shapes without reflection.
func (it *attrMap) UnmarshalJSON(data []byte) error {
	d := decoder{b: data, wire: true}
	m, ok := d.item()
	if !ok || d.i != len(d.b) {
		return json.Unmarshal(data, (*map[string]*value)(it))
	}
	if *it == nil {
		*it = m
		return nil
	}
	// encoding/json adds to a map already there.
	for k, v := range m {
		(*it)[k] = v
	}
	return nil
}

func (it attrMap) MarshalJSON() ([]byte, error) {
	if it == nil {
		return []byte("null"), nil
	}
	return appendItem(nil, it), nil
}

func appendBase64(b []byte, s string) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, []byte(s))
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			switch c {
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// clone returns a deep copy of v.
func (v *value) clone() *value {
	if v == nil {
		return nil
	}
	c := *v
	if v.m != nil {
		c.m = make(map[string]*value, len(v.m))
		for k, e := range v.m {
			c.m[k] = e.clone()
		}
	}
	if v.l != nil {
		c.l = make([]*value, len(v.l))
		for i, e := range v.l {
			c.l[i] = e.clone()
		}
	}
	if v.set != nil {
		c.set = append([]string(nil), v.set...)
	}
	if v.nums != nil {
		c.nums = append([]decimal(nil), v.nums...)
	}
	return &c
}

func (it attrMap) clone() attrMap {
	if it == nil {
		return nil
	}
	c := make(attrMap, len(it))
	for k, v := range it {
		c[k] = v.clone()
	}
	return c
}

// equal reports whether a and b are the same DynamoDB value; sets compare
// as sets, numbers numerically.
func equal(a, b *value) bool {
	if a == nil || b == nil || a.t != b.t {
		return false
	}
	switch a.t {
	case typeS, typeB:
		return a.s == b.s
	case typeN:
		return a.num.cmp(b.num) == 0
	case typeBOOL:
		return a.b == b.b
	case typeNULL:
		return true
	case typeM:
		if len(a.m) != len(b.m) {
			return false
		}
		for k, av := range a.m {
			if !equal(av, b.m[k]) {
				return false
			}
		}
		return true
	case typeL:
		if len(a.l) != len(b.l) {
			return false
		}
		for i := range a.l {
			if !equal(a.l[i], b.l[i]) {
				return false
			}
		}
		return true
	case typeSS, typeNS, typeBS:
		if len(a.set) != len(b.set) {
			return false
		}
		for _, s := range a.set {
			if !setHas(b, s) {
				return false
			}
		}
		return true
	}
	return false
}

// setHas reports whether set v has member s (already canonical).
func setHas(v *value, s string) bool {
	for _, m := range v.set {
		if m == s {
			return true
		}
	}
	return false
}

// compare orders two scalars of the same type among S, N and B. ok is false
// when they cannot be ordered.
func compare(a, b *value) (c int, ok bool) {
	if a == nil || b == nil || a.t != b.t {
		return 0, false
	}
	switch a.t {
	case typeS, typeB:
		return strings.Compare(a.s, b.s), true
	case typeN:
		return a.num.cmp(b.num), true
	}
	return 0, false
}

// keyBytes encodes a key attribute (S, N or B) so that bytewise order is
// DynamoDB's key order: strings and binaries by their bytes, numbers by
// value.
func keyBytes(v *value) []byte {
	if v.t == typeN {
		return v.num.sortKey()
	}
	return []byte(v.s)
}

// size is the value's size as DynamoDB counts it against the 400 KB item
// limit and for capacity units.
func (v *value) size() int {
	switch v.t {
	case typeS, typeB:
		return len(v.s)
	case typeN:
		return v.num.approxSize()
	case typeBOOL, typeNULL:
		return 1
	case typeM:
		n := 3
		for k, e := range v.m {
			n += len(k) + e.size() + 1
		}
		return n
	case typeL:
		n := 3
		for _, e := range v.l {
			n += e.size() + 1
		}
		return n
	case typeNS:
		n := 0
		for _, d := range v.nums {
			n += d.approxSize()
		}
		return n
	case typeSS, typeBS:
		n := 0
		for _, s := range v.set {
			n += len(s)
		}
		return n
	}
	return 0
}

func (it attrMap) size() int {
	n := 0
	for k, v := range it {
		n += len(k) + v.size()
	}
	return n
}

// keyString renders a key value for authorization (dynamodb:LeadingKeys):
// strings and numbers as their text, binaries in base64.
func keyString(v *value) string {
	if v.t == typeB {
		return base64.StdEncoding.EncodeToString([]byte(v.s))
	}
	return v.s
}

// valueString renders v for error messages, as DynamoDB does in
// "AttributeValue: {S:x}".
func valueString(v *value) string {
	var b bytes.Buffer
	b.WriteString("AttributeValue: {")
	b.WriteString(v.t)
	b.WriteByte(':')
	switch v.t {
	case typeB:
		b.WriteString(base64.StdEncoding.EncodeToString([]byte(v.s)))
	case typeBOOL:
		if v.b {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case typeNULL:
		b.WriteString("true")
	default:
		b.WriteString(v.s)
	}
	b.WriteByte('}')
	return b.String()
}
