package localdynamo_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// item parses an item written in DynamoDB's JSON, {"id":{"S":"a"}}.
func item(t testing.TB, js string) map[string]types.AttributeValue {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		t.Fatalf("item(%s): %v", js, err)
	}
	out := map[string]types.AttributeValue{}
	for k, v := range raw {
		out[k] = attr(t, v)
	}
	return out
}

func attr(t testing.TB, js json.RawMessage) types.AttributeValue {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(js, &m); err != nil || len(m) != 1 {
		t.Fatalf("attr(%s): want one type, err %v", js, err)
	}
	for typ, raw := range m {
		switch typ {
		case "S":
			var s string
			json.Unmarshal(raw, &s)
			return &types.AttributeValueMemberS{Value: s}
		case "N":
			var s string
			json.Unmarshal(raw, &s)
			return &types.AttributeValueMemberN{Value: s}
		case "B":
			var b []byte
			json.Unmarshal(raw, &b)
			return &types.AttributeValueMemberB{Value: b}
		case "BOOL":
			var b bool
			json.Unmarshal(raw, &b)
			return &types.AttributeValueMemberBOOL{Value: b}
		case "NULL":
			return &types.AttributeValueMemberNULL{Value: true}
		case "SS", "NS":
			var ss []string
			json.Unmarshal(raw, &ss)
			if typ == "SS" {
				return &types.AttributeValueMemberSS{Value: ss}
			}
			return &types.AttributeValueMemberNS{Value: ss}
		case "BS":
			var bs [][]byte
			json.Unmarshal(raw, &bs)
			return &types.AttributeValueMemberBS{Value: bs}
		case "L":
			var l []json.RawMessage
			json.Unmarshal(raw, &l)
			out := []types.AttributeValue{}
			for _, e := range l {
				out = append(out, attr(t, e))
			}
			return &types.AttributeValueMemberL{Value: out}
		case "M":
			var mm map[string]json.RawMessage
			json.Unmarshal(raw, &mm)
			out := map[string]types.AttributeValue{}
			for k, e := range mm {
				out[k] = attr(t, e)
			}
			return &types.AttributeValueMemberM{Value: out}
		}
		t.Fatalf("attr(%s): unknown type %s", js, typ)
	}
	return nil
}

// js renders an item as canonical DynamoDB JSON: keys sorted, sets sorted.
func js(it map[string]types.AttributeValue) string {
	if it == nil {
		return "<nil>"
	}
	var b bytes.Buffer
	writeMap(&b, it)
	return b.String()
}

func jsItems(items []map[string]types.AttributeValue) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, js(it))
	}
	return out
}

func writeMap(b *bytes.Buffer, m map[string]types.AttributeValue) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, "%q:", k)
		writeAttr(b, m[k])
	}
	b.WriteByte('}')
}

func writeAttr(b *bytes.Buffer, v types.AttributeValue) {
	q := func(s string) string { r, _ := json.Marshal(s); return string(r) }
	strs := func(ss []string) string {
		ss = append([]string(nil), ss...)
		sort.Strings(ss)
		var parts bytes.Buffer
		for i, s := range ss {
			if i > 0 {
				parts.WriteByte(',')
			}
			parts.WriteString(q(s))
		}
		return parts.String()
	}
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		fmt.Fprintf(b, `{"S":%s}`, q(v.Value))
	case *types.AttributeValueMemberN:
		fmt.Fprintf(b, `{"N":%s}`, q(v.Value))
	case *types.AttributeValueMemberB:
		fmt.Fprintf(b, `{"B":%s}`, q(base64.StdEncoding.EncodeToString(v.Value)))
	case *types.AttributeValueMemberBOOL:
		fmt.Fprintf(b, `{"BOOL":%t}`, v.Value)
	case *types.AttributeValueMemberNULL:
		b.WriteString(`{"NULL":true}`)
	case *types.AttributeValueMemberSS:
		fmt.Fprintf(b, `{"SS":[%s]}`, strs(v.Value))
	case *types.AttributeValueMemberNS:
		fmt.Fprintf(b, `{"NS":[%s]}`, strs(v.Value))
	case *types.AttributeValueMemberBS:
		var ss []string
		for _, e := range v.Value {
			ss = append(ss, base64.StdEncoding.EncodeToString(e))
		}
		fmt.Fprintf(b, `{"BS":[%s]}`, strs(ss))
	case *types.AttributeValueMemberL:
		b.WriteString(`{"L":[`)
		for i, e := range v.Value {
			if i > 0 {
				b.WriteByte(',')
			}
			writeAttr(b, e)
		}
		b.WriteString(`]}`)
	case *types.AttributeValueMemberM:
		b.WriteString(`{"M":`)
		writeMap(b, v.Value)
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%T", v)
	}
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }

func sortStrings(s []string) { sort.Strings(s) }

func itoa(i int) string { return strconv.Itoa(i) }

func replaceTable(s, tbl string) string { return strings.ReplaceAll(s, "{TABLE}", tbl) }
