package jsonx_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/faasport/faasport/internal/jsonx"
)

// readValue reads s as one JSON value with nothing after it, as a decoder
// of a whole payload does.
func readValue(s string) (any, error) {
	r := jsonx.NewReader(s)
	v := r.Value()
	r.End()
	if err := r.Err(); err != nil {
		return nil, err
	}
	return v, nil
}

// stdValue decodes s with encoding/json into an any.
func stdValue(s string) (any, error) {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, err
	}
	return v, nil
}

// valueDiff is cmp.Diff(want, got) for decoded values. go-cmp's diff of
// deeply nested slices takes time exponential in the depth, so equal
// values are recognised with reflect.DeepEqual first.
func valueDiff(want, got any) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	return cmp.Diff(want, got)
}

// nest returns n arrays nested in one another around inner.
func nest(n int, inner string) string {
	return strings.Repeat("[", n) + inner + strings.Repeat("]", n)
}

// nestObjects returns n objects nested in one another under key "a".
func nestObjects(n int) string {
	return strings.Repeat(`{"a":`, n) + "null" + strings.Repeat("}", n)
}

// readerCases are the inputs Value is compared with encoding/json on,
// valid and invalid; each case says which it is, so that a change in
// either decoder shows up as a failure of its own.
var readerCases = []struct {
	name  string
	in    string
	valid bool
}{
	// Literals and white space.
	{"null", `null`, true},
	{"true", `true`, true},
	{"false", `false`, true},
	{"surrounding white space", " \t\r\n true \t\r\n ", true},
	{"empty input", ``, false},
	{"only white space", " \n\t ", false},
	{"truncated null", `nul`, false},
	{"truncated true", `tru`, false},
	{"truncated false", `fals`, false},
	{"capitalised literal", `True`, false},
	{"literal with trailing letters", `nullx`, false},
	{"form feed is not white space", "\f1", false},
	{"vertical tab is not white space", "\v1", false},
	{"non-breaking space is not white space", "\u00a01", false},
	{"byte order mark", "\ufeff{}", false},

	// Numbers.
	{"zero", `0`, true},
	{"negative zero", `-0`, true},
	{"integer", `1234567890`, true},
	{"negative integer", `-42`, true},
	{"fraction", `3.25`, true},
	{"negative fraction", `-0.5`, true},
	{"exponent", `1e3`, true},
	{"capital exponent", `1E3`, true},
	{"signed exponent", `1e+3`, true},
	{"negative exponent", `25e-2`, true},
	{"fraction and exponent", `-1.5E-3`, true},
	{"zero exponent", `0e0`, true},
	{"large integer loses precision as float64", `12345678901234567890`, true},
	{"largest float64", `1.7976931348623157e308`, true},
	{"smallest denormal", `5e-324`, true},
	{"underflow to zero", `1e-400`, true},
	{"many fraction digits", `0.1000000000000000055511151231257827021181583404541015625`, true},
	{"overflow", `1e400`, false},
	{"negative overflow", `-1e400`, false},
	{"leading zero", `01`, false},
	{"negative leading zero", `-01`, false},
	{"leading plus", `+1`, false},
	{"lone minus", `-`, false},
	{"minus then letter", `-a`, false},
	{"trailing dot", `1.`, false},
	{"leading dot", `.5`, false},
	{"dot then exponent", `1.e3`, false},
	{"bare exponent", `1e`, false},
	{"exponent sign without digits", `1e+`, false},
	{"double minus", `--1`, false},
	{"hexadecimal", `0x10`, false},
	{"infinity", `Infinity`, false},
	{"NaN", `NaN`, false},
	{"number then space then number", `1 2`, false},

	// Strings.
	{"empty string", `""`, true},
	{"plain string", `"hello, world"`, true},
	{"utf-8 string", `"héllo wörld 🐹"`, true},
	{"all simple escapes", `"\" \\ \/ \b \f \n \r \t"`, true},
	{"escape at start", `"\nx"`, true},
	{"escape at end", `"x\n"`, true},
	{"only escapes", `"\\\\"`, true},
	{"unicode escape", `"\u00e9"`, true},
	{"uppercase unicode escape", `"\u00E9"`, true},
	{"nul escape", `"\u0000"`, true},
	{"escaped html", `"\u003cscript\u003e \u0026"`, true},
	{"escaped line separators", `"\u2028\u2029"`, true},
	{"raw line separators", "\"\u2028\u2029\"", true},
	{"surrogate pair", `"\ud83d\ude00"`, true},
	{"uppercase surrogate pair", `"\uD83D\uDE00"`, true},
	{"surrogate pair between text", `"a\ud83d\ude00b"`, true},
	{"lone high surrogate", `"\ud83d"`, true},
	{"lone high surrogate then text", `"\ud83dabc"`, true},
	{"lone low surrogate", `"\ude00"`, true},
	{"reversed surrogate pair", `"\ude00\ud83d"`, true},
	{"high surrogate then ordinary escape", `"\ud83d\u0041"`, true},
	{"high surrogate then simple escape", `"\ud83d\n"`, true},
	{"two high surrogates then low", `"\ud83d\ud83d\ude00"`, true},
	{"high surrogate at end of input", `"\ud83d`, false},
	{"high surrogate then bad escape", `"\ud83d\uZZZZ"`, false},
	{"high surrogate then short escape", `"\ud83d\u12"`, false},
	{"replacement character", `"\ufffd"`, true},
	{"raw DEL", "\"\x7f\"", true},
	{"invalid utf-8 byte", "\"a\xffb\"", true},
	{"invalid utf-8 after escape", "\"\\n\xff\"", true},
	{"truncated utf-8 sequence", "\"\xe2\x82\"", true},
	{"utf-8 encoded surrogate", "\"\xed\xa0\x80\"", true},
	{"overlong utf-8", "\"\xc0\xaf\"", true},
	{"unterminated string", `"abc`, false},
	{"unterminated after escape", `"abc\"`, false},
	{"backslash at end of input", `"\`, false},
	{"unknown escape", `"\x41"`, false},
	{"escaped single quote", `"\'"`, false},
	{"short unicode escape", `"\u12"`, false},
	{"non-hex unicode escape", `"\u12G4"`, false},
	{"raw newline", "\"a\nb\"", false},
	{"raw tab", "\"a\tb\"", false},
	{"raw nul", "\"a\x00b\"", false},
	{"raw unit separator", "\"\x1f\"", false},
	{"raw newline after escape", "\"\\t\n\"", false},
	{"single quotes", `'abc'`, false},

	// Arrays.
	{"empty array", `[]`, true},
	{"empty array with space", `[ ]`, true},
	{"array", `[1,"two",true,false,null,{},[]]`, true},
	{"array with space", " [ 1 , 2 ] ", true},
	{"nested arrays", `[[[]],[[1]]]`, true},
	{"array leading comma", `[,1]`, false},
	{"array trailing comma", `[1,]`, false},
	{"array double comma", `[1,,2]`, false},
	{"array only comma", `[,]`, false},
	{"array missing comma", `[1 2]`, false},
	{"array missing comma after string", `["a" "b"]`, false},
	{"array missing comma after array", `[[] []]`, false},
	{"array colon", `[1:2]`, false},
	{"unclosed array", `[1,2`, false},
	{"unclosed empty array", `[`, false},
	{"array closed by brace", `[1}`, false},
	{"stray closing bracket", `]`, false},

	// Objects.
	{"empty object", `{}`, true},
	{"empty object with space", "{ \n }", true},
	{"object", `{"a":1,"b":"two","c":[true,null],"d":{"e":{}}}`, true},
	{"object with space", ` { "a" : 1 , "b" : 2 } `, true},
	{"duplicate keys, last wins", `{"a":1,"a":2}`, true},
	{"escaped key", `{"\u0061\n":1}`, true},
	{"empty key", `{"":1}`, true},
	{"key with invalid utf-8", "{\"\xff\":1}", true},
	{"object leading comma", `{,"a":1}`, false},
	{"object trailing comma", `{"a":1,}`, false},
	{"object double comma", `{"a":1,,"b":2}`, false},
	{"object only comma", `{,}`, false},
	{"object missing comma", `{"a":1 "b":2}`, false},
	{"object missing comma after object", `{"a":{} "b":2}`, false},
	{"object missing colon", `{"a" 1}`, false},
	{"object missing value", `{"a":}`, false},
	{"object key without value", `{"a"}`, false},
	{"object unquoted key", `{a:1}`, false},
	{"object number key", `{1:1}`, false},
	{"object single-quoted key", `{'a':1}`, false},
	{"object double colon", `{"a"::1}`, false},
	{"unclosed object", `{"a":1`, false},
	{"unclosed empty object", `{`, false},
	{"unclosed object after key", `{"a"`, false},
	{"unclosed object after colon", `{"a":`, false},
	{"object closed by bracket", `{"a":1]`, false},
	{"stray closing brace", `}`, false},

	// Trailing data.
	{"two values", `{} {}`, false},
	{"trailing comma after value", `1,`, false},
	{"trailing garbage", `{"a":1}x`, false},
	{"trailing nul", "{}\x00", false},
	{"trailing closing brace", `{}}`, false},
	{"trailing closing bracket", `[]]`, false},

	// Depth.
	{"arrays nested to the limit", nest(jsonx.MaxDepth, "1"), true},
	{"objects nested to the limit", nestObjects(jsonx.MaxDepth), true},
}

func TestReaderValue(t *testing.T) {
	for _, tc := range readerCases {
		t.Run(tc.name, func(t *testing.T) {
			want, wantErr := stdValue(tc.in)
			if (wantErr == nil) != tc.valid {
				t.Fatalf("json.Unmarshal(%q) error = %v, but the case says valid=%v", tc.in, wantErr, tc.valid)
			}
			got, err := readValue(tc.in)
			if tc.valid {
				if err != nil {
					t.Fatalf("Value(%q) error = %v, want %#v", tc.in, err, want)
				}
				if diff := valueDiff(want, got); diff != "" {
					t.Errorf("Value(%q) mismatch with encoding/json (-want +got):\n%s", tc.in, diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("Value(%q) = %#v, want an error (encoding/json: %v)", tc.in, got, wantErr)
			}
			var se *jsonx.SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("Value(%q) error = %T %v, want a *jsonx.SyntaxError", tc.in, err, err)
			} else if se.Offset < 0 || se.Offset > len(tc.in) {
				t.Errorf("Value(%q) error offset = %d, want within [0, %d]", tc.in, se.Offset, len(tc.in))
			}
		})
	}
}

// TestReaderSkip checks that Skip accepts exactly what json.Valid
// accepts: it does not convert numbers, so unlike Value it takes 1e400.
func TestReaderSkip(t *testing.T) {
	for _, tc := range readerCases {
		t.Run(tc.name, func(t *testing.T) {
			r := jsonx.NewReader(tc.in)
			r.Skip()
			r.End()
			if valid := json.Valid([]byte(tc.in)); (r.Err() == nil) != valid {
				t.Errorf("Skip(%q) error = %v, but json.Valid = %v", tc.in, r.Err(), valid)
			}
		})
	}
}

// TestReaderDepth checks the nesting limit: MaxDepth levels are read, one
// more is an error rather than a deep recursion. encoding/json's limit is
// higher (10000), so here the two differ on purpose.
func TestReaderDepth(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"arrays at limit", nest(jsonx.MaxDepth, ""), false},
		{"arrays over limit", nest(jsonx.MaxDepth+1, ""), true},
		{"objects at limit", nestObjects(jsonx.MaxDepth), false},
		{"objects over limit", nestObjects(jsonx.MaxDepth + 1), true},
		{"mixed over limit", strings.Repeat(`[{"a":`, jsonx.MaxDepth/2+1) + "1" + strings.Repeat("}]", jsonx.MaxDepth/2+1), true},
		{"very deep", nest(1_000_000, ""), true},
		{"very deep, unclosed", strings.Repeat("[", 1_000_000), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readValue(tc.in)
			if (err != nil) != tc.wantErr {
				t.Errorf("Value(<%d bytes>) error = %v, want error %v", len(tc.in), err, tc.wantErr)
			}
			r := jsonx.NewReader(tc.in)
			r.Skip()
			r.End()
			if (r.Err() != nil) != tc.wantErr {
				t.Errorf("Skip(<%d bytes>) error = %v, want error %v", len(tc.in), r.Err(), tc.wantErr)
			}
		})
	}
}

// TestReaderStringNoCopy checks the promise in the package doc: a string
// without escapes is a substring of the input.
func TestReaderStringNoCopy(t *testing.T) {
	in := `{"key":"value"}`
	allocs := testing.AllocsPerRun(100, func() {
		r := jsonx.NewReader(in)
		r.Object()
		k, _ := r.Next()
		v := r.String()
		r.Next()
		r.End()
		if k != "key" || v != "value" || r.Err() != nil {
			t.Fatalf("read %q %q, error %v", k, v, r.Err())
		}
	})
	if allocs > 1 { // the Reader itself
		t.Errorf("reading an object of plain strings allocated %v times, want at most 1", allocs)
	}
}

func TestReaderStickyError(t *testing.T) {
	r := jsonx.NewReader(`[1, x, "a"]`)
	var got []any
	if r.Array() {
		for r.More() {
			got = append(got, r.Value())
		}
	}
	first := r.Err()
	if first == nil {
		t.Fatalf("reading %q: no error", `[1, x, "a"]`)
	}
	// Every later call is a no-op returning zero values, and the first
	// error stays.
	if s := r.String(); s != "" {
		t.Errorf("String() after error = %q, want empty", s)
	}
	if k := r.Kind(); k != 0 {
		t.Errorf("Kind() after error = %q, want 0", k)
	}
	r.Fail(errors.New("later"))
	if r.Err() != first {
		t.Errorf("Err() = %v after a later Fail, want the first error %v", r.Err(), first)
	}
	if diff := cmp.Diff([]any{1.0, nil}, got); diff != "" {
		t.Errorf("values read before the error (-want +got):\n%s", diff)
	}
}

func TestReaderReset(t *testing.T) {
	r := jsonx.NewReader(`x`)
	r.Value()
	if r.Err() == nil {
		t.Fatal("Value(`x`): no error")
	}
	r.Reset(`"ok"`)
	if got := r.Value(); got != "ok" || r.Err() != nil {
		t.Errorf("after Reset, Value() = %v, %v; want ok, nil", got, r.Err())
	}
}

func TestReaderInt(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"0", 0, false},
		{"200", 200, false},
		{"-1", -1, false},
		{"1.5", 0, true},
		{"1e3", 0, true},
		{"99999999999999999999", 0, true},
		{`"200"`, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			r := jsonx.NewReader(tc.in)
			got := r.Int()
			if got != tc.want || (r.Err() != nil) != tc.wantErr {
				t.Errorf("Int(%q) = %d, %v; want %d, error %v", tc.in, got, r.Err(), tc.want, tc.wantErr)
			}
		})
	}
}

func TestReaderStringMaps(t *testing.T) {
	type kv struct{ K, V string }
	tests := []struct {
		name      string
		in        string
		wantMap   []kv // StringMap
		wantMulti []kv // StringOrArrayMap
		wantErr   bool
	}{
		{
			name:      "document order",
			in:        `{"b":"1","a":"2","b":"3"}`,
			wantMap:   []kv{{"b", "1"}, {"a", "2"}, {"b", "3"}},
			wantMulti: []kv{{"b", "1"}, {"a", "2"}, {"b", "3"}},
		},
		{
			name:      "null object",
			in:        `null`,
			wantMap:   nil,
			wantMulti: nil,
		},
		{
			name:      "null members skipped",
			in:        `{"a":null,"b":"x"}`,
			wantMap:   []kv{{"b", "x"}},
			wantMulti: []kv{{"b", "x"}},
		},
		{
			name:      "commas are never split",
			in:        `{"accept":"a, b","x":"c,d"}`,
			wantMap:   []kv{{"accept", "a, b"}, {"x", "c,d"}},
			wantMulti: []kv{{"accept", "a, b"}, {"x", "c,d"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []kv
			r := jsonx.NewReader(tc.in)
			r.StringMap(func(k, v string) { got = append(got, kv{k, v}) })
			r.End()
			if err := r.Err(); err != nil {
				t.Fatalf("StringMap(%q) error = %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.wantMap, got); diff != "" {
				t.Errorf("StringMap(%q) (-want +got):\n%s", tc.in, diff)
			}
			got = nil
			r.Reset(tc.in)
			r.StringOrArrayMap(func(k, v string) { got = append(got, kv{k, v}) })
			r.End()
			if err := r.Err(); err != nil {
				t.Fatalf("StringOrArrayMap(%q) error = %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.wantMulti, got); diff != "" {
				t.Errorf("StringOrArrayMap(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}

	multi := []struct {
		name    string
		in      string
		want    []kv
		wantErr bool
	}{
		{"arrays in order", `{"a":["1","2"],"b":"3","a":["4"]}`, []kv{{"a", "1"}, {"a", "2"}, {"b", "3"}, {"a", "4"}}, false},
		{"null elements skipped", `{"a":[null,"1",null]}`, []kv{{"a", "1"}}, false},
		{"empty array", `{"a":[]}`, nil, false},
		{"number value", `{"a":1}`, nil, true},
		{"number element", `{"a":[1]}`, nil, true},
		{"nested array", `{"a":[["x"]]}`, nil, true},
		{"trailing comma in array", `{"a":["x",]}`, nil, true},
		{"missing comma in array", `{"a":["x" "y"]}`, nil, true},
	}
	for _, tc := range multi {
		t.Run("multi/"+tc.name, func(t *testing.T) {
			var got []kv
			r := jsonx.NewReader(tc.in)
			r.StringOrArrayMap(func(k, v string) { got = append(got, kv{k, v}) })
			r.End()
			if (r.Err() != nil) != tc.wantErr {
				t.Errorf("StringOrArrayMap(%q) error = %v, want error %v", tc.in, r.Err(), tc.wantErr)
			}
			if tc.wantErr {
				return // after an error, fn may see zero values
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("StringOrArrayMap(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// FuzzReader checks Value against encoding/json: it never panics, and it
// accepts an input exactly when encoding/json decodes it into an any (save
// for nesting deeper than MaxDepth, which only encoding/json accepts),
// with the same result. Skip accepts the same inputs as json.Valid.
func FuzzReader(f *testing.F) {
	for _, tc := range readerCases {
		if len(tc.in) < 4096 {
			f.Add(tc.in)
		}
	}
	f.Add(`{"version":"2.0","headers":{"a":"b"},"requestContext":{"http":{"method":"GET"}},"body":"\ud83d\ude00"}`)
	f.Fuzz(func(t *testing.T, in string) {
		got, err := readValue(in)
		want, wantErr := stdValue(in)

		r := jsonx.NewReader(in)
		r.Skip()
		r.End()
		skipErr := r.Err()

		// Raw fails where Value does, and its text decodes to the same.
		rr := jsonx.NewReader(in)
		raw := rr.Raw()
		rr.End()
		if (rr.Err() == nil) != (err == nil) {
			t.Fatalf("Raw(%q) error = %v, Value error = %v", in, rr.Err(), err)
		}
		if err == nil {
			again, err := readValue(raw)
			if err != nil {
				t.Fatalf("Value(Raw(%q) = %q): %v", in, raw, err)
			}
			if diff := valueDiff(got, again); diff != "" {
				t.Fatalf("Value(Raw(%q)) differs from Value (-Value +Raw):\n%s", in, diff)
			}
		}

		if tooDeep(in) {
			// Past our limit; encoding/json's is 10000.
			if err == nil || skipErr == nil {
				t.Fatalf("input nested deeper than %d: Value error = %v, Skip error = %v, want errors", jsonx.MaxDepth, err, skipErr)
			}
			return
		}
		if valid := json.Valid([]byte(in)); valid != (skipErr == nil) {
			t.Fatalf("Skip(%q) error = %v, but json.Valid = %v", in, skipErr, valid)
		}
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("Value(%q) = %#v, %v; encoding/json: %#v, %v", in, got, err, want, wantErr)
		}
		if err != nil {
			return
		}
		if diff := valueDiff(want, got); diff != "" {
			t.Fatalf("Value(%q) mismatch with encoding/json (-want +got):\n%s", in, diff)
		}
	})
}

// tooDeep reports whether in, taken as JSON, nests arrays and objects more
// than MaxDepth deep outside strings.
func tooDeep(in string) bool {
	depth, inString := 0, false
	for i := 0; i < len(in); i++ {
		c := in[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			if depth > jsonx.MaxDepth {
				return true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return false
}
