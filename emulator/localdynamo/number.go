package localdynamo

import (
	"math/big"
	"strconv"
	"strings"
)

// decimal is a DynamoDB number held exactly, never as a float64:
// (-1)^neg × 0.digits × 10^exp, where digits has no leading or trailing
// zeros. Zero has empty digits.
type decimal struct {
	neg    bool
	digits string
	exp    int
}

// DynamoDB's number limits: 38 significant digits, magnitudes from 1E-130
// to 9.9999999999999999999999999999999999999E+125.
const (
	maxDigits = 38
	maxExp    = 126  // 0.999…×10^126
	minExp    = -129 // 0.1×10^-129 = 1E-130
)

var (
	errNotNumber = validationf("A value provided cannot be converted into a number")
	errPrecision = validationf("Attempting to store more than 38 significant digits in a Number")
	errOverflow  = validationf("Number overflow. Attempting to store a number with magnitude larger than supported range")
	errUnderflow = validationf("Number underflow. Attempting to store a number with magnitude smaller than supported range")
)

// parseDecimal parses a DynamoDB number string ("-1.5e3", "0.0001", "+7").
func parseDecimal(s string) (decimal, error) {
	var d decimal
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		d.neg = s[i] == '-'
		i++
	}
	var mant strings.Builder
	pointAt := -1
	nd := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			mant.WriteByte(c)
			nd++
			continue
		}
		if c == '.' && pointAt < 0 {
			pointAt = nd
			continue
		}
		break
	}
	if nd == 0 {
		return d, errNotNumber
	}
	if pointAt < 0 {
		pointAt = nd
	}
	e := 0
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return d, errNotNumber
		}
		i++
		eneg := false
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			eneg = s[i] == '-'
			i++
		}
		if i == len(s) {
			return d, errNotNumber
		}
		for ; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return d, errNotNumber
			}
			if e < 100000 {
				e = e*10 + int(c-'0')
			}
		}
		if eneg {
			e = -e
		}
	}
	m := mant.String()
	// Strip leading zeros, adjusting the decimal point.
	lead := 0
	for lead < len(m) && m[lead] == '0' {
		lead++
	}
	m = m[lead:]
	pointAt -= lead
	m = strings.TrimRight(m, "0")
	if m == "" {
		return decimal{}, nil
	}
	d.digits = m
	d.exp = pointAt + e
	return d, d.check()
}

func (d decimal) check() error {
	if d.digits == "" {
		return nil
	}
	if d.exp > maxExp {
		return errOverflow
	}
	if d.exp < minExp {
		return errUnderflow
	}
	if len(d.digits) > maxDigits {
		return errPrecision
	}
	return nil
}

func (d decimal) isZero() bool { return d.digits == "" }

// String returns the canonical form DynamoDB answers with: plain notation,
// no exponent, no superfluous zeros.
func (d decimal) String() string {
	if d.digits == "" {
		return "0"
	}
	var b strings.Builder
	if d.neg {
		b.WriteByte('-')
	}
	switch {
	case d.exp <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -d.exp))
		b.WriteString(d.digits)
	case d.exp >= len(d.digits):
		b.WriteString(d.digits)
		b.WriteString(strings.Repeat("0", d.exp-len(d.digits)))
	default:
		b.WriteString(d.digits[:d.exp])
		b.WriteByte('.')
		b.WriteString(d.digits[d.exp:])
	}
	return b.String()
}

// cmp compares d and o numerically: -1, 0 or +1.
func (d decimal) cmp(o decimal) int {
	ds, os := d.sign(), o.sign()
	if ds != os {
		if ds < os {
			return -1
		}
		return 1
	}
	if ds == 0 {
		return 0
	}
	c := 0
	switch {
	case d.exp != o.exp:
		if d.exp < o.exp {
			c = -1
		} else {
			c = 1
		}
	default:
		c = strings.Compare(d.digits, o.digits)
	}
	return c * ds
}

func (d decimal) sign() int {
	switch {
	case d.digits == "":
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// coef returns d as coefficient × 10^scale.
func (d decimal) coef() (*big.Int, int) {
	c := new(big.Int)
	if d.digits == "" {
		return c, 0
	}
	c.SetString(d.digits, 10)
	if d.neg {
		c.Neg(c)
	}
	return c, d.exp - len(d.digits)
}

var bigTen = big.NewInt(10)

// add returns d+o exactly, or an error when the result leaves DynamoDB's
// range or precision.
func (d decimal) add(o decimal) (decimal, error) {
	a, as := d.coef()
	b, bs := o.coef()
	for as > bs {
		a.Mul(a, bigTen)
		as--
	}
	for bs > as {
		b.Mul(b, bigTen)
		bs--
	}
	a.Add(a, b)
	s := a.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	r, err := parseDecimal(s + "e" + itoa(as))
	r.neg = neg && !r.isZero()
	if err != nil {
		return r, err
	}
	return r, nil
}

func (d decimal) negate() decimal {
	if d.digits != "" {
		d.neg = !d.neg
	}
	return d
}

func itoa(i int) string { return strconv.Itoa(i) }

// sortKey encodes d so that bytewise order is numeric order.
func (d decimal) sortKey() []byte {
	switch d.sign() {
	case 0:
		return []byte{0x01}
	case 1:
		b := make([]byte, 0, 3+len(d.digits))
		e := uint16(d.exp + 0x8000)
		b = append(b, 0x02, byte(e>>8), byte(e))
		return append(b, d.digits...)
	}
	b := make([]byte, 0, 4+len(d.digits))
	e := ^uint16(d.exp + 0x8000)
	b = append(b, 0x00, byte(e>>8), byte(e))
	for i := 0; i < len(d.digits); i++ {
		b = append(b, ^d.digits[i])
	}
	// A terminator above every complemented digit, so that a longer
	// negative number (larger magnitude) sorts first.
	return append(b, 0xFF)
}

// approxSize is DynamoDB's documented size of a number: about one byte per
// two significant digits, plus one.
func (d decimal) approxSize() int {
	return (len(d.digits)+1)/2 + 1
}
