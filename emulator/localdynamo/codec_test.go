package localdynamo

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"testing"
)

var wireValueSeeds = []string{
	`{"S":"abc"}`, `{"S":""}`, `{"S":"a\"b\\c\n\u00e9\ud800"}`, `{"S":"<&>\u2028 é"}`, "{\"S\":\"\xff\"}",
	`{"N":"1"}`, `{"N":"-0.0100e3"}`, `{"N":"+7"}`, `{"N":"1e999"}`, `{"N":"x"}`, `{"N":""}`,
	`{"B":"aGVsbG8="}`, `{"B":""}`, `{"B":"!!"}`, `{"BOOL":true}`, `{"BOOL":false}`, `{"NULL":true}`, `{"NULL":false}`,
	`{"SS":["a","b"]}`, `{"SS":["a","a"]}`, `{"SS":[]}`, `{"SS":null}`, `{"NS":["1","1.0"]}`, `{"NS":["1","2e1","-3"]}`,
	`{"BS":["YQ==","Yg=="]}`, `{"BS":["YQ==","YQ=="]}`, `{"M":{}}`, `{"M":{"a":{"S":"x"},"b":{"M":{"c":{"L":[]}}}}}`,
	`{"M":{"a":{"S":"x"},"a":{"N":"2"}}}`, `{"M":{"a":null}}`, `{"M":{"a":{}}}`, `{"L":[]}`, `{"L":[{"S":"x"},{"N":"01"}]}`,
	`{"L":[null]}`, `{"s":"lower"}`, `{"S":"a","N":"1"}`, `{"S":"a","S":"b"}`, `{ "S" : "spaced" }`, `{}`, `null`,
	`{"S":null}`, `{"X":"1"}`, `{"SS":["a",null]}`, `{"L":[{"S":"x"} ]}`,
	`{"N":1}`, `{"B":"+/+="}`, `{"BS":["YR=="]}`, `{"B":"YQ=="}`, `{"BOOL":"true"}`, `{"L":[5]}`, `[]`, `5`,
}

// checkWireValue checks that the fast decoding of an AttributeValue, when
// it applies, gives what the general decoding gives.
func checkWireValue(t *testing.T, in string) {
	fast, ok := decodeWireValue([]byte(in))
	slow := new(value)
	err := slow.unmarshalWire([]byte(in))
	if !ok {
		return
	}
	if err != nil {
		t.Fatalf("%s: fast path accepted what the general path refuses: %v", in, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%s: fast path gives %#v, general path %#v", in, fast, slow)
	}
}

func TestWireValueFastPath(t *testing.T) {
	accepted := 0
	for _, in := range wireValueSeeds {
		if json.Valid([]byte(in)) {
			checkWireValue(t, in)
			if _, ok := decodeWireValue([]byte(in)); ok {
				accepted++
			}
		}
	}
	if accepted < 20 {
		t.Errorf("the fast path took %d of the seeds, want the common shapes", accepted)
	}
}

func FuzzWireValue(f *testing.F) {
	for _, s := range wireValueSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		// Only valid JSON reaches UnmarshalJSON.
		if json.Valid([]byte(in)) {
			checkWireValue(t, in)
		}
	})
}

// TestMarshalOutput checks that the outputs encoding themselves do so as
// encoding/json would.
func TestMarshalOutput(t *testing.T) {
	it := mustItem(t, `{"a":{"S":"x<y>&z\u2028\u2029"},"n":{"N":"3"},"ss":{"SS":["a","b"]},"l":{"L":[{"S":"x"},{"NULL":true}]},"m":{"M":{"k":{"B":"AAE="}}},"t":{"BOOL":true}}`)
	key := mustItem(t, `{"a":{"S":"x"}}`)
	cc := consumedSplit("INDEXES", "tbl", true, 0.5)
	none := &itemList{items: []attrMap{}}
	some := &itemList{items: []attrMap{it, {}}, docs: [][]byte{rawItem(key), rawItem(it)}}
	for _, out := range []any{
		&getItemOutput{}, &getItemOutput{Item: rawItem(it)}, &getItemOutput{Item: rawItem(nil), ConsumedCapacity: cc},
		&getItemOutput{ConsumedCapacity: consumed("TOTAL", "tbl", 3)}, (*getItemOutput)(nil),
		&writeOutput{}, &writeOutput{Attributes: it}, &writeOutput{Attributes: attrMap{}, ConsumedCapacity: cc}, &writeOutput{Attributes: it, ConsumedCapacity: cc},
		&queryOutput{}, &queryOutput{Items: none, Count: 0, ScannedCount: 3}, &queryOutput{Items: some, Count: 3, ScannedCount: 4, LastEvaluatedKey: key, ConsumedCapacity: cc},
		&queryOutput{Count: 7, ScannedCount: 9, LastEvaluatedKey: attrMap{}},
	} {
		want, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		got, err := marshalOutput(out)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%T:\n got %s\nwant %s", out, got, want)
		}
	}
}

// TestNamePatterns checks the hand-written matchers against the patterns
// they implement.
func TestNamePatterns(t *testing.T) {
	table := regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)
	name := regexp.MustCompile(`^#[A-Za-z0-9_]+$`)
	val := regexp.MustCompile(`^:[A-Za-z0-9_]+$`)
	for _, s := range []string{"", "a", "ab-c.d_E9", "a b", "é", "#", ":", "#a", ":a", "#a:", ":_9Z", "#a-b", "a\x00", "\xff", "a\n", "::a", "##"} {
		if got, want := validTableName(s), table.MatchString(s); got != want {
			t.Errorf("validTableName(%q) = %v, want %v", s, got, want)
		}
		if got, want := validPlaceholder(s, '#'), name.MatchString(s); got != want {
			t.Errorf("validPlaceholder(%q, '#') = %v, want %v", s, got, want)
		}
		if got, want := validPlaceholder(s, ':'), val.MatchString(s); got != want {
			t.Errorf("validPlaceholder(%q, ':') = %v, want %v", s, got, want)
		}
	}
}

var attrMapSeeds = []string{
	`{"Item":{"a":{"S":"x"},"b":{"N":"1.50"},"c":{"M":{"d":{"L":[{"BOOL":true}]}}}}}`,
	`{"Item":{}}`, `{"Item":null}`, `{}`, `{"Item":{"a":{"S":"x"}},"Item":{"b":{"N":"2"}}}`,
	`{"Item":{"a":{"S":"x"},"a":{"S":"y"}}}`, `{"Item":{"a\u00e9":{"S":"x"}}}`, `{"Item":{"a":null}}`,
	`{"Item":{"a":{}}}`, `{"Item":{"a":{"NULL":false}}}`, `{"Item":[]}`, `{"Item":"x"}`, `{"Item":{ "a" : {"S":"x"} }}`,
	`{"Item":{"a":{"SS":["x","x"]}}}`, `{"Item":{"a":{"N":"x"},"b":{"S":"\ud800"}}}`,
}

// checkAttrMap checks that decoding body into an attrMap gives what
// encoding/json gives for a map[string]*value.
func checkAttrMap(t *testing.T, body string) {
	var got struct{ Item attrMap }
	gotErr := json.Unmarshal([]byte(body), &got)
	var want struct{ Item map[string]*value }
	wantErr := json.Unmarshal([]byte(body), &want)
	// The messages of type errors differ in the type named, not in kind.
	var ae *apiError
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && fmt.Sprintf("%T", gotErr) != fmt.Sprintf("%T", wantErr) ||
		errors.As(gotErr, &ae) && gotErr.Error() != wantErr.Error() {
		t.Fatalf("%s: error %v, want %v", body, gotErr, wantErr)
	}
	if gotErr == nil && !reflect.DeepEqual(map[string]*value(got.Item), want.Item) {
		t.Fatalf("%s: %#v, want %#v", body, got.Item, want.Item)
	}
}

func TestAttrMapFastPath(t *testing.T) {
	for _, body := range attrMapSeeds {
		checkAttrMap(t, body)
	}
}

func FuzzAttrMap(f *testing.F) {
	for _, s := range attrMapSeeds {
		f.Add(s)
	}
	f.Fuzz(checkAttrMap)
}

// TestDocSize checks that the size read off stored items is the size of
// the decoded item, for every stored value the wire seeds give, each as
// an attribute and inside a map and a list.
func TestDocSize(t *testing.T) {
	for _, in := range wireValueSeeds {
		v := new(value)
		if err := json.Unmarshal([]byte(in), v); err != nil || v.t == "" {
			continue
		}
		for _, it := range []attrMap{
			{"a\tb": v},
			{"k": {t: typeM, m: map[string]*value{"é": v, "x": {t: typeN, s: "100", num: mustDecimal(t, "100")}}}},
			{"k": {t: typeL, l: []*value{v, v}}},
		} {
			doc := appendItem(nil, it)
			got, ok := docSize(doc)
			if !ok || got != it.size() {
				t.Errorf("docSize(%s) = %d, %t, want %d, true", doc, got, ok, it.size())
			}
		}
	}
}

func mustDecimal(t *testing.T, s string) decimal {
	t.Helper()
	d, err := parseDecimal(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
