// Package jsonx is a small, allocation-lean JSON reader and writer for the
// fixed shapes faasport decodes on every invocation (Lambda event and
// response payloads). It reads straight from the payload text, without
// reflection: a string with no escapes is returned as a substring of the
// input, so a whole event decodes with a handful of allocations.
//
// The Reader keeps the first error it meets and turns every later call into
// a no-op returning zero values, so decoders check Err once at the end.
package jsonx

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// MaxDepth bounds the nesting of generic values read by [Reader.Value].
const MaxDepth = 256

// SyntaxError is a malformed-JSON error with the byte offset it was found at.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.Offset, e.Msg)
}

// Reader reads JSON values from a string.
type Reader struct {
	s   string
	i   int
	err error
}

// NewReader returns a Reader over s.
func NewReader(s string) *Reader { return &Reader{s: s} }

// Reset makes r read s from the start.
func (r *Reader) Reset(s string) { *r = Reader{s: s} }

// Err returns the first error met, if any.
func (r *Reader) Err() error { return r.err }

// Fail records err as the reader's error unless one is already recorded.
func (r *Reader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *Reader) fail(msg string) {
	if r.err == nil {
		r.err = &SyntaxError{Offset: r.i, Msg: msg}
	}
}

func (r *Reader) skipSpace() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// Kind is the kind of the next value: one of '{', '[', '"', 't', 'f', 'n',
// '0' (a number), or 0 at the end of input or after an error.
func (r *Reader) Kind() byte {
	if r.err != nil {
		return 0
	}
	r.skipSpace()
	if r.i >= len(r.s) {
		return 0
	}
	switch c := r.s[r.i]; c {
	case '{', '[', '"', 't', 'f', 'n':
		return c
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return '0'
	}
	return 0
}

// Null consumes a null and reports whether there was one.
func (r *Reader) Null() bool {
	if r.Kind() != 'n' {
		return false
	}
	r.literal("null")
	return r.err == nil
}

func (r *Reader) literal(lit string) {
	if len(r.s)-r.i < len(lit) || r.s[r.i:r.i+len(lit)] != lit {
		r.fail("invalid literal")
		return
	}
	r.i += len(lit)
}

// Object consumes the '{' opening an object. It returns false, without an
// error, for null, and false with an error for anything else. Read the
// members with [Reader.Next].
func (r *Reader) Object() bool {
	switch r.Kind() {
	case '{':
		r.i++
		return true
	case 'n':
		r.Null()
		return false
	}
	r.fail("expected object")
	return false
}

// Next reads the next member's key of the object being read, and the colon
// after it, and reports whether there was one; at the closing brace it
// consumes it and returns false. The caller must read or skip the value
// before calling Next again.
func (r *Reader) Next() (key string, ok bool) {
	if r.err != nil {
		return "", false
	}
	r.skipSpace()
	if r.i >= len(r.s) {
		r.fail("unexpected end of object")
		return "", false
	}
	switch r.s[r.i] {
	case '}':
		r.i++
		return "", false
	case ',':
		if r.i > 0 && r.prevIsOpen('{') {
			r.fail("unexpected comma")
			return "", false
		}
		r.i++
		r.skipSpace()
	default:
		if !r.prevIsOpen('{') {
			r.fail("expected comma or closing brace")
			return "", false
		}
	}
	if r.i >= len(r.s) || r.s[r.i] != '"' {
		r.fail("expected string key")
		return "", false
	}
	key = r.String()
	r.skipSpace()
	if r.i >= len(r.s) || r.s[r.i] != ':' {
		r.fail("expected colon after key")
		return "", false
	}
	r.i++
	return key, r.err == nil
}

// prevIsOpen reports whether the last non-space byte before r.i is open.
func (r *Reader) prevIsOpen(open byte) bool {
	for j := r.i - 1; j >= 0; j-- {
		switch r.s[j] {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return r.s[j] == open
	}
	return false
}

// Array consumes the '[' opening an array, with null and errors as for
// [Reader.Object]. Read the elements with [Reader.More].
func (r *Reader) Array() bool {
	switch r.Kind() {
	case '[':
		r.i++
		return true
	case 'n':
		r.Null()
		return false
	}
	r.fail("expected array")
	return false
}

// More reports whether the array being read has another element,
// consuming the comma before it; at the closing bracket it consumes it and
// returns false.
func (r *Reader) More() bool {
	if r.err != nil {
		return false
	}
	r.skipSpace()
	if r.i >= len(r.s) {
		r.fail("unexpected end of array")
		return false
	}
	switch r.s[r.i] {
	case ']':
		r.i++
		return false
	case ',':
		if r.prevIsOpen('[') {
			r.fail("unexpected comma")
			return false
		}
		r.i++
		return true
	}
	if !r.prevIsOpen('[') {
		r.fail("expected comma or closing bracket")
		return false
	}
	return true
}

// String reads a string. A string without escapes is returned as a
// substring of the input, without allocating.
func (r *Reader) String() string {
	if r.Kind() != '"' {
		r.fail("expected string")
		return ""
	}
	start := r.i + 1
	for j := plainRun(r.s, start); j < len(r.s); j++ {
		switch c := r.s[j]; {
		case c == '"':
			r.i = j + 1
			return r.s[start:j]
		case c == '\\':
			return r.unescape(start, j)
		case c < 0x20:
			r.i = j
			r.fail("control character in string")
			return ""
		case c >= utf8.RuneSelf:
			// Invalid UTF-8 must become U+FFFD, as encoding/json makes it.
			rr, size := utf8.DecodeRuneInString(r.s[j:])
			if rr == utf8.RuneError && size == 1 {
				return r.unescape(start, j)
			}
			j += size - 1
		}
	}
	r.i = len(r.s)
	r.fail("unterminated string")
	return ""
}

func (r *Reader) unescape(start, j int) string {
	// Size the buffer once: find the closing quote, stepping over escaped
	// characters. Unescaping never lengthens the text (a \u escape is six
	// bytes for at most three, a surrogate pair twelve for four), so the
	// escaped length bounds the result, save for invalid UTF-8 (one byte
	// for U+FFFD's three), which append grows the buffer for. Growing the buffer as we went cost
	// a 64 KiB body five times its size in copies.
	end := j
	for end < len(r.s) && r.s[end] != '"' {
		if r.s[end] == '\\' {
			end++
		}
		end++
	}
	b := make([]byte, 0, min(end, len(r.s))-start)
	b = append(b, r.s[start:j]...)
	for j < len(r.s) {
		c := r.s[j]
		switch {
		case c == '"':
			r.i = j + 1
			// b is never written again: the string can share its bytes.
			return unsafe.String(unsafe.SliceData(b), len(b))
		case c < 0x20:
			r.i = j
			r.fail("control character in string")
			return ""
		case c >= utf8.RuneSelf:
			// Each byte of invalid UTF-8 becomes U+FFFD, as in encoding/json.
			rr, size := utf8.DecodeRuneInString(r.s[j:])
			if rr == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, r.s[j:j+size]...)
			}
			j += size
			continue
		case c != '\\':
			// Copy the run of plain ASCII bytes up to the next quote,
			// escape, control character or multi-byte sequence at once.
			k := j + 1
			for k < len(r.s) && r.s[k] != '"' && r.s[k] != '\\' && r.s[k] >= 0x20 && r.s[k] < utf8.RuneSelf {
				k++
			}
			b = append(b, r.s[j:k]...)
			j = k
			continue
		}
		if j+1 >= len(r.s) {
			break
		}
		switch e := r.s[j+1]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			rr, ok := hex4(r.s, j+2)
			if !ok {
				r.i = j
				r.fail("invalid \\u escape")
				return ""
			}
			j += 6
			if utf16.IsSurrogate(rr) {
				if lo, ok := hex4(r.s, j+2); ok && j+1 < len(r.s) && r.s[j] == '\\' && r.s[j+1] == 'u' {
					if dec := utf16.DecodeRune(rr, lo); dec != utf8.RuneError {
						b = utf8.AppendRune(b, dec)
						j += 6
						continue
					}
				}
				rr = utf8.RuneError
			}
			b = utf8.AppendRune(b, rr)
			continue
		default:
			r.i = j
			r.fail("invalid escape")
			return ""
		}
		j += 2
	}
	r.i = len(r.s)
	r.fail("unterminated string")
	return ""
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var v rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		v = v<<4 | rune(c)
	}
	return v, true
}

// Bool reads true or false.
func (r *Reader) Bool() bool {
	switch r.Kind() {
	case 't':
		r.literal("true")
		return r.err == nil
	case 'f':
		r.literal("false")
		return false
	}
	r.fail("expected boolean")
	return false
}

// NumberText reads a number and returns its text.
func (r *Reader) NumberText() string {
	if r.Kind() != '0' {
		r.fail("expected number")
		return ""
	}
	start := r.i
	j := r.i
	if r.s[j] == '-' {
		j++
	}
	digits := func() int {
		n := 0
		for j < len(r.s) && r.s[j] >= '0' && r.s[j] <= '9' {
			j++
			n++
		}
		return n
	}
	if j < len(r.s) && r.s[j] == '0' {
		j++
	} else if digits() == 0 {
		r.fail("invalid number")
		return ""
	}
	if j < len(r.s) && r.s[j] == '.' {
		j++
		if digits() == 0 {
			r.i = j
			r.fail("invalid number")
			return ""
		}
	}
	if j < len(r.s) && (r.s[j] == 'e' || r.s[j] == 'E') {
		j++
		if j < len(r.s) && (r.s[j] == '+' || r.s[j] == '-') {
			j++
		}
		if digits() == 0 {
			r.i = j
			r.fail("invalid number")
			return ""
		}
	}
	r.i = j
	return r.s[start:j]
}

// Int reads an integer.
func (r *Reader) Int() int {
	t := r.NumberText()
	if r.err != nil {
		return 0
	}
	n, err := strconv.Atoi(t)
	if err != nil {
		r.fail("expected integer")
		return 0
	}
	return n
}

// Skip reads and discards the next value.
func (r *Reader) Skip() {
	r.skip(0, false)
}

// Raw reads the next value and returns its text, failing where
// [Reader.Value] would: besides syntax, on numbers beyond float64's
// range. Decoding the text with Value later gives what Value would have
// given.
func (r *Reader) Raw() string {
	if r.Kind() == 0 {
		r.fail("expected value")
		return ""
	}
	start := r.i
	r.skip(0, true)
	if r.err != nil {
		return ""
	}
	return r.s[start:r.i]
}

// skip skips a value; with numbers set, it checks numbers as value does.
func (r *Reader) skip(depth int, numbers bool) {
	k := r.Kind()
	if (k == '{' || k == '[') && depth >= MaxDepth {
		r.fail("nesting too deep")
		return
	}
	switch k {
	case '{':
		r.i++
		for _, ok := r.Next(); ok; _, ok = r.Next() {
			r.skip(depth+1, numbers)
		}
	case '[':
		r.i++
		for r.More() {
			r.skip(depth+1, numbers)
		}
	case '"':
		r.skipString()
	case 't', 'f':
		_ = r.Bool()
	case 'n':
		r.Null()
	case '0':
		t := r.NumberText()
		if numbers && r.err == nil {
			if _, err := strconv.ParseFloat(t, 64); err != nil {
				r.fail("number out of range")
			}
		}
	default:
		r.fail("expected value")
	}
}

// skipString reads a string as String does, without unescaping it.
func (r *Reader) skipString() {
	if r.Kind() != '"' {
		r.fail("expected string")
		return
	}
	for j := plainRun(r.s, r.i+1); j < len(r.s); j++ {
		switch c := r.s[j]; {
		case c == '"':
			r.i = j + 1
			return
		case c == '\\', c < 0x20:
			// Escapes (and the errors) as String has them.
			_ = r.String()
			return
		}
	}
	r.i = len(r.s)
	r.fail("unterminated string")
}

// Value reads any value as encoding/json would decode it into an any:
// map[string]any, []any, string, float64, bool or nil.
func (r *Reader) Value() any {
	return r.value(0)
}

func (r *Reader) value(depth int) any {
	k := r.Kind()
	if (k == '{' || k == '[') && depth >= MaxDepth {
		r.fail("nesting too deep")
		return nil
	}
	switch k {
	case '{':
		r.i++
		m := map[string]any{}
		for k, ok := r.Next(); ok; k, ok = r.Next() {
			m[k] = r.value(depth + 1)
		}
		return m
	case '[':
		r.i++
		a := []any{}
		for r.More() {
			a = append(a, r.value(depth+1))
		}
		return a
	case '"':
		return r.String()
	case 't', 'f':
		return r.Bool()
	case 'n':
		r.Null()
		return nil
	case '0':
		t := r.NumberText()
		f, err := strconv.ParseFloat(t, 64)
		if err != nil && r.err == nil {
			r.fail("number out of range")
		}
		return f
	}
	r.fail("expected value")
	return nil
}

// StringMap reads an object of strings, calling fn for each member in
// document order. Null reads as an empty object.
func (r *Reader) StringMap(fn func(k, v string)) {
	if !r.Object() {
		return
	}
	for k, ok := r.Next(); ok; k, ok = r.Next() {
		if r.Null() {
			continue
		}
		fn(k, r.String())
	}
}

// StringOrArrayMap reads an object whose members are strings or arrays of
// strings, calling fn for each string in document order.
func (r *Reader) StringOrArrayMap(fn func(k, v string)) {
	if !r.Object() {
		return
	}
	for k, ok := r.Next(); ok; k, ok = r.Next() {
		switch r.Kind() {
		case '[':
			r.i++
			for r.More() {
				if r.Null() {
					continue
				}
				fn(k, r.String())
			}
		case 'n':
			r.Null()
		default:
			fn(k, r.String())
		}
	}
}

// End checks that nothing but white space follows the value read.
func (r *Reader) End() {
	if r.err != nil {
		return
	}
	r.skipSpace()
	if r.i != len(r.s) {
		r.fail("unexpected data after value")
	}
}

// ErrEmpty is returned for an empty payload.
var ErrEmpty = errors.New("empty payload")
