package localdynamo

import (
	"encoding/base64"
	"encoding/json"
	"unicode/utf8"
)

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
		b, err := base64.StdEncoding.DecodeString(s)
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
				b, err := base64.StdEncoding.DecodeString(s)
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
