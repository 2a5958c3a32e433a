package jsonx_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/internal/jsonx"
)

// validUTF8 replaces each byte of s that is not part of a valid UTF-8
// sequence with U+FFFD, as encoding/json does when encoding and decoding.
func validUTF8(s string) string {
	return string([]rune(s))
}

var writerCases = []struct {
	name string
	in   string
	// want is AppendString's exact output: encoding/json's differs only
	// in escaping <, > and & (as \u003c ...) and in spelling \b, \f.
	want string
}{
	{"empty", "", `""`},
	{"plain", "hello", `"hello"`},
	{"space and punctuation", "a b!#$%'()*+,-./:;=?@[]^_`{|}~", "\"a b!#$%'()*+,-./:;=?@[]^_`{|}~\""},
	{"quote", `say "hi"`, `"say \"hi\""`},
	{"backslash", `C:\dir`, `"C:\\dir"`},
	{"slash is not escaped", "a/b", `"a/b"`},
	{"html is not escaped", "<a href='x'>&amp;</a>", `"<a href='x'>&amp;</a>"`},
	{"newline, return, tab", "a\nb\rc\td", `"a\nb\rc\td"`},
	{"backspace and form feed", "\b\f", `"\u0008\u000c"`},
	{"nul", "\x00", `"\u0000"`},
	{"other control characters", "\x01\x1f", `"\u0001\u001f"`},
	{"DEL is not escaped", "\x7f", "\"\x7f\""},
	{"utf-8", "héllo wörld 🐹", `"héllo wörld 🐹"`},
	{"line separator", "a\u2028b", `"a\u2028b"`},
	{"paragraph separator", "a\u2029b", `"a\u2029b"`},
	{"other general punctuation is kept", "\u2027\u202a", "\"\u2027\u202a\""},
	{"replacement character is kept", "\ufffd", "\"\ufffd\""},
	{"invalid byte", "a\xffb", `"a\ufffdb"`},
	{"each invalid byte replaced", "\xff\xfe", `"\ufffd\ufffd"`},
	{"truncated sequence", "\xe2\x82", `"\ufffd\ufffd"`},
	{"truncated sequence at end", "ok\xf0\x9f\x90", `"ok\ufffd\ufffd\ufffd"`},
	{"utf-8 encoded surrogate", "\xed\xa0\x80", `"\ufffd\ufffd\ufffd"`},
	{"overlong encoding", "\xc0\xaf", `"\ufffd\ufffd"`},
	{"escapes between text", "x\"y\\z\n", `"x\"y\\z\n"`},
}

func TestAppendString(t *testing.T) {
	for _, tc := range writerCases {
		t.Run(tc.name, func(t *testing.T) {
			got := jsonx.AppendString(nil, tc.in)
			if string(got) != tc.want {
				t.Errorf("AppendString(%q) = %s, want %s", tc.in, got, tc.want)
			}
			checkDecodesLikeStd(t, tc.in, got)
		})
	}
}

// checkDecodesLikeStd checks that out, AppendString's output for in,
// decodes (with encoding/json and with Reader) to what encoding/json's own
// encoding of in decodes to: in itself, with invalid UTF-8 replaced.
func checkDecodesLikeStd(t *testing.T, in string, out []byte) {
	t.Helper()
	std, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("json.Marshal(%q): %v", in, err)
	}
	var want, got string
	if err := json.Unmarshal(std, &want); err != nil {
		t.Fatalf("json.Unmarshal(%s): %v", std, err)
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("AppendString(%q) = %s, which encoding/json cannot decode: %v", in, out, err)
	}
	if got != want {
		t.Errorf("AppendString(%q) = %s, decodes to %q; encoding/json's %s decodes to %q", in, out, got, std, want)
	}
	if want != validUTF8(in) {
		t.Errorf("encoding/json round trip of %q = %q, want %q", in, want, validUTF8(in))
	}
	r := jsonx.NewReader(string(out))
	if s := r.String(); s != want || r.Err() != nil {
		t.Errorf("Reader.String(%s) = %q, %v; want %q", out, s, r.Err(), want)
	}
	// Like encoding/json, the output never carries a raw U+2028 or U+2029,
	// which JavaScript parsers once took for line ends.
	if bytes.ContainsRune(out, '\u2028') || bytes.ContainsRune(out, '\u2029') {
		t.Errorf("AppendString(%q) = %s, contains a raw line or paragraph separator", in, out)
	}
	if !utf8.Valid(out) {
		t.Errorf("AppendString(%q) = %q, not valid UTF-8", in, out)
	}
}

func TestAppendStringAppends(t *testing.T) {
	dst := []byte(`{"k":`)
	got := jsonx.AppendString(dst, "v")
	if string(got) != `{"k":"v"` {
		t.Errorf("AppendString(%q, %q) = %q, want %q", `{"k":`, "v", got, `{"k":"v"`)
	}
	if got := jsonx.AppendBytesString([]byte("x"), []byte("a\"b")); string(got) != `x"a\"b"` {
		t.Errorf("AppendBytesString = %q, want %q", got, `x"a\"b"`)
	}
}

func TestAppendKey(t *testing.T) {
	var b []byte
	b = append(b, '{')
	b = jsonx.AppendKey(b, "statusCode")
	b = jsonx.AppendInt(b, 200)
	b = jsonx.AppendKey(b, "isBase64Encoded")
	b = jsonx.AppendBool(b, false)
	b = jsonx.AppendKey(b, "headers")
	b = append(b, '{')
	b = jsonx.AppendKey(b, "a\"b")
	b = jsonx.AppendString(b, "c")
	b = append(b, "}}"...)
	want := `{"statusCode":200,"isBase64Encoded":false,"headers":{"a\"b":"c"}}`
	if string(b) != want {
		t.Errorf("built %s, want %s", b, want)
	}
	if !json.Valid(b) {
		t.Errorf("built %s, not valid JSON", b)
	}
}

func TestAppendInt(t *testing.T) {
	for _, n := range []int{0, 1, -1, 200, 1 << 40, -1 << 62} {
		got := jsonx.AppendInt(nil, n)
		want, _ := json.Marshal(n)
		if string(got) != string(want) {
			t.Errorf("AppendInt(%d) = %s, want %s", n, got, want)
		}
	}
}

// FuzzAppendString checks that AppendString's output is always a JSON
// string that decodes, with encoding/json and with Reader, to the input
// with invalid UTF-8 replaced by U+FFFD.
func FuzzAppendString(f *testing.F) {
	for _, tc := range writerCases {
		f.Add(tc.in)
	}
	f.Add(strings.Repeat("\u2028\xff\"\\\x00", 8))
	f.Fuzz(func(t *testing.T, in string) {
		out := jsonx.AppendString(nil, in)
		checkDecodesLikeStd(t, in, out)
		if !json.Valid(out) {
			t.Fatalf("AppendString(%q) = %s, not valid JSON", in, out)
		}
		var fromStd string
		if err := json.Unmarshal(out, &fromStd); err != nil || fromStd != validUTF8(in) {
			t.Fatalf("AppendString(%q) = %s, decodes to %q (%v), want %q", in, out, fromStd, err, validUTF8(in))
		}
		if diff := cmp.Diff(validUTF8(in), fromStd); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}
