package localdynamo

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// strictBase64 decodes base64 as DynamoDB does, refusing a last
// character with bits left over ("+/+="), which base64.StdEncoding drops.
var strictBase64 = base64.StdEncoding.Strict()

// decodeItem decodes a stored item. Stored items are written by
// appendItem, so a small decoder for that exact shape handles them; any
// surprise falls back to encoding/json.
func decodeItem(data []byte) (attrMap, error) {
	d := decoder{b: data}
	if it, ok := d.item(); ok && d.i == len(d.b) {
		return it, nil
	}
	var it attrMap
	if err := json.Unmarshal(data, &it); err != nil {
		return nil, err
	}
	return it, nil
}

// decodeWireValue decodes an AttributeValue of a request when it has the
// plain shape SDKs send (no whitespace, upper-case type names, one type,
// valid members), into the very value the general path would produce. ok
// is false for anything else, which the general path then decodes and
// reports on.
func decodeWireValue(data []byte) (v *value, ok bool) {
	d := decoder{b: data, wire: true}
	if v, ok = d.value(); !ok || d.i != len(d.b) {
		return nil, false
	}
	return v, true
}

// decoder parses the compact JSON that appendItem writes. In wire mode it
// parses request values: strings must be valid UTF-8, numbers are
// canonicalized and sets free of duplicates.
type decoder struct {
	b    []byte
	i    int
	wire bool
}

func (d *decoder) eat(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *decoder) item() (attrMap, bool) {
	if !d.eat('{') {
		return nil, false
	}
	it := attrMap{}
	if d.eat('}') {
		return it, true
	}
	for {
		k, ok := d.str()
		if !ok || !d.eat(':') {
			return nil, false
		}
		v, ok := d.value()
		if !ok {
			return nil, false
		}
		it[k] = v
		if d.eat(',') {
			continue
		}
		return it, d.eat('}')
	}
}

func (d *decoder) value() (*value, bool) {
	if !d.eat('{') {
		return nil, false
	}
	t, ok := d.str()
	if !ok || !d.eat(':') {
		return nil, false
	}
	v := &value{t: t}
	switch t {
	case typeS:
		if v.s, ok = d.str(); !ok {
			return nil, false
		}
	case typeN:
		s, ok := d.str()
		if !ok {
			return nil, false
		}
		num, err := parseDecimal(s)
		if err != nil {
			return nil, false
		}
		if d.wire {
			s = num.String()
		}
		v.s, v.num = s, num
	case typeB:
		s, ok := d.str()
		if !ok {
			return nil, false
		}
		b, err := strictBase64.DecodeString(s)
		if err != nil {
			return nil, false
		}
		v.s = string(b)
	case typeBOOL:
		switch {
		case d.lit("true"):
			v.b = true
		case d.lit("false"):
		default:
			return nil, false
		}
	case typeNULL:
		if !d.lit("true") {
			return nil, false
		}
	case typeM:
		m, ok := d.item()
		if !ok {
			return nil, false
		}
		v.m = m
	case typeL:
		if !d.eat('[') {
			return nil, false
		}
		v.l = []*value{}
		if !d.eat(']') {
			for {
				e, ok := d.value()
				if !ok {
					return nil, false
				}
				v.l = append(v.l, e)
				if d.eat(',') {
					continue
				}
				if !d.eat(']') {
					return nil, false
				}
				break
			}
		}
	case typeSS, typeNS, typeBS:
		if !d.eat('[') {
			return nil, false
		}
		for {
			s, ok := d.str()
			if !ok {
				return nil, false
			}
			switch t {
			case typeNS:
				num, err := parseDecimal(s)
				if err != nil {
					return nil, false
				}
				if d.wire {
					s = num.String()
				}
				v.nums = append(v.nums, num)
			case typeBS:
				b, err := strictBase64.DecodeString(s)
				if err != nil {
					return nil, false
				}
				s = string(b)
			}
			v.set = append(v.set, s)
			if d.eat(',') {
				continue
			}
			if !d.eat(']') {
				return nil, false
			}
			break
		}
		if d.wire && duplicateMember(v) {
			return nil, false
		}
	default:
		return nil, false
	}
	return v, d.eat('}')
}

func (d *decoder) lit(s string) bool {
	if len(d.b)-d.i >= len(s) && string(d.b[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return true
	}
	return false
}

// str reads a JSON string; escaped ones are decoded by encoding/json. In
// wire mode, an unescaped string must be valid UTF-8 (encoding/json would
// replace invalid bytes).
func (d *decoder) str() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	escaped := false
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '\\':
			escaped = true
			d.i += 2
			continue
		case c == '"':
			raw := d.b[start:d.i]
			d.i++
			if !escaped {
				if d.wire && !utf8.Valid(raw) {
					return "", false
				}
				return string(raw), true
			}
			var s string
			if err := json.Unmarshal(d.b[start-1:d.i], &s); err != nil {
				return "", false
			}
			return s, true
		case c < 0x20:
			return "", false
		}
		d.i++
	}
	return "", false
}

// docSize is the size, as value.size counts it, of the item stored as
// doc, read off the encoding without decoding it. ok is false for an
// encoding it does not follow (an exponent, an escape it does not
// measure), which the caller then decodes.
func docSize(doc []byte) (n int, ok bool) {
	d := sizer{b: doc}
	n, ok = d.item()
	return n, ok && d.i == len(d.b)
}

// sizer walks the compact JSON appendItem writes, adding up sizes.
type sizer struct {
	b []byte
	i int
}

func (d *sizer) eat(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// members measures a map: each name's bytes, its value's size and entry
// bytes more (0 for an item's attributes, 1 for a map value's entries).
func (d *sizer) members(entry int) (int, bool) {
	if !d.eat('{') {
		return 0, false
	}
	n := 0
	if d.eat('}') {
		return 0, true
	}
	for {
		k, ok := d.str()
		if !ok || !d.eat(':') {
			return 0, false
		}
		v, ok := d.value()
		if !ok {
			return 0, false
		}
		n += k + v + entry
		if d.eat(',') {
			continue
		}
		return n, d.eat('}')
	}
}

func (d *sizer) item() (int, bool) { return d.members(0) }

func (d *sizer) value() (int, bool) {
	if !d.eat('{') || !d.eat('"') {
		return 0, false
	}
	start := d.i
	for d.i < len(d.b) && d.b[d.i] != '"' {
		d.i++
	}
	t := string(d.b[start:d.i]) // short and not escaping: not allocated
	if !d.eat('"') || !d.eat(':') {
		return 0, false
	}
	n, ok := 0, false
	switch t {
	case typeS:
		n, ok = d.str()
	case typeN:
		n, ok = d.num()
	case typeB:
		n, ok = d.bin()
	case typeBOOL:
		ok = d.lit("true") || d.lit("false")
		n = 1
	case typeNULL:
		ok = d.lit("true")
		n = 1
	case typeM:
		n, ok = d.members(1)
		n += 3
	case typeL:
		if !d.eat('[') {
			return 0, false
		}
		n, ok = 3, true
		if !d.eat(']') {
			for ok {
				var e int
				if e, ok = d.value(); !ok {
					break
				}
				n += e + 1
				if d.eat(',') {
					continue
				}
				ok = d.eat(']')
				break
			}
		}
	case typeSS, typeNS, typeBS:
		if !d.eat('[') {
			return 0, false
		}
		for ok = true; ok; {
			var e int
			switch t {
			case typeSS:
				e, ok = d.str()
			case typeNS:
				e, ok = d.num()
			default:
				e, ok = d.bin()
			}
			n += e
			if !ok || d.eat(',') {
				continue
			}
			ok = d.eat(']')
			break
		}
	}
	if !ok {
		return 0, false
	}
	return n, d.eat('}')
}

func (d *sizer) lit(s string) bool {
	if len(d.b)-d.i >= len(s) && string(d.b[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return true
	}
	return false
}

// str measures a JSON string: the bytes of its UTF-8 text.
func (d *sizer) str() (int, bool) {
	if !d.eat('"') {
		return 0, false
	}
	n := 0
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return n, true
		case c == '\\':
			if d.i+1 >= len(d.b) {
				return 0, false
			}
			switch d.b[d.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				d.i += 2
				n++
				continue
			case 'u':
				if d.i+6 > len(d.b) {
					return 0, false
				}
				r, err := strconv.ParseUint(string(d.b[d.i+2:d.i+6]), 16, 16)
				if err != nil || utf16.IsSurrogate(rune(r)) {
					return 0, false
				}
				d.i += 6
				n += utf8.RuneLen(rune(r))
				continue
			}
			return 0, false
		case c < 0x20:
			return 0, false
		}
		d.i++
		n++
	}
	return 0, false
}

// num measures a number in plain notation: one byte per two significant
// digits, plus one (decimal.approxSize).
func (d *sizer) num() (int, bool) {
	if !d.eat('"') {
		return 0, false
	}
	digits, first, last := 0, -1, -1
	for d.i < len(d.b) {
		c := d.b[d.i]
		d.i++
		switch {
		case c >= '0' && c <= '9':
			if c != '0' {
				if first < 0 {
					first = digits
				}
				last = digits
			}
			digits++
		case c == '.' || (c == '-' && digits == 0):
		case c == '"':
			sig := 0
			if first >= 0 {
				sig = last - first + 1
			}
			return (sig+1)/2 + 1, digits > 0
		default:
			return 0, false
		}
	}
	return 0, false
}

// bin measures base64 text: the bytes it encodes.
func (d *sizer) bin() (int, bool) {
	if !d.eat('"') {
		return 0, false
	}
	start := d.i
	for d.i < len(d.b) && d.b[d.i] != '"' {
		d.i++
	}
	s := d.b[start:d.i]
	if !d.eat('"') || len(s)%4 != 0 {
		return 0, false
	}
	n := len(s) / 4 * 3
	for i := len(s) - 1; i >= 0 && i >= len(s)-2 && s[i] == '='; i-- {
		n--
	}
	return n, true
}
