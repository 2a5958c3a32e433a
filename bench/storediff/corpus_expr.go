package main

import (
	"fmt"
	"strings"
)

func expressionGroup() *group {
	g := &group{name: "expression"}
	g.setup("create ex_t (pk S)", "CreateTable", hashTable("ex_t", "S"))
	const item = `{"pk":{"S":"e1"},"s":{"S":"str"},"n":{"N":"5"},"l":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]},` +
		`"m":{"M":{"a":{"M":{"b":{"S":"x"}}}}},"ss":{"SS":["a","b"]},"ns":{"NS":["1","2"]},"bo":{"BOOL":true}}`
	g.setup("put e1", "PutItem", `{"TableName":"ex_t","Item":`+item+`}`)
	// e2 takes the arithmetic that may overflow, so that a server
	// accepting it does not change e1.
	g.setup("put e2", "PutItem", `{"TableName":"ex_t","Item":{"pk":{"S":"e2"},"n":{"N":"5"}}}`)

	// upd is an UpdateItem of e1; names and values are JSON objects or "",
	// extra more members (with a leading comma) or "".
	key := "e1"
	upd := func(name, expr, names, values, extra string) {
		body := fmt.Sprintf(`{"TableName":"ex_t","Key":{"pk":{"S":%q}},"UpdateExpression":%q`, key, expr)
		if names != "" {
			body += `,"ExpressionAttributeNames":` + names
		}
		if values != "" {
			body += `,"ExpressionAttributeValues":` + values
		}
		g.add(name, "UpdateItem", body+extra+`}`)
	}
	// cond is an UpdateItem of e1 with the condition expr that changes
	// nothing if it passes (it removes an attribute e1 does not have).
	cond := func(name, expr, names, values string) {
		upd(name, "REMOVE zz", names, values, fmt.Sprintf(`,"ConditionExpression":%q`, expr))
	}
	const (
		v    = `{":v":{"S":"x"}}`
		one  = `{":one":{"N":"1"}}`
		vals = `{":v":{"S":"x"},":one":{"N":"1"}}`
	)

	// Syntax and the attribute name and value maps.
	upd("syntax error: nothing after =", "SET a = ", "", v, "")
	upd("syntax error: illegal character", "SET a = :v;", "", v, "")
	upd("syntax error: negative list index", "SET l[-1] = :v", "", v, "")
	cond("syntax error in ConditionExpression", "s == :v", "", v)
	upd("empty UpdateExpression", "", "", "", "")
	upd("undefined value", "SET a = :missing", "", v, "")
	upd("undefined name", "SET #missing = :v", "", v, "")
	upd("unused name", "SET a = :v", `{"#u":"x"}`, v, "")
	upd("unused value", "SET a = :v", "", vals, "")
	upd("empty ExpressionAttributeValues", "REMOVE zz", "", `{}`, "")
	upd("value key without colon", "SET a = :v", "", `{"v":{"S":"x"}}`, "")
	upd("name key without #", "SET #a = :v", `{"a":"x"}`, v, "")
	upd("value is an empty set", "SET a = :v", "", `{":v":{"SS":[]}}`, "")
	upd("reserved word in SET", "SET name = :v", "", v, "")
	g.add("ExpressionAttributeNames without any expression", "UpdateItem", `{"TableName":"ex_t","Key":{"pk":{"S":"e1"}},"ExpressionAttributeNames":{"#a":"a"}}`)
	g.add("ExpressionAttributeValues without ConditionExpression", "PutItem", `{"TableName":"ex_t","Item":{"pk":{"S":"e2"}},"ExpressionAttributeValues":{":v":{"S":"x"}}}`)
	g.add("Expected together with ConditionExpression", "PutItem", `{"TableName":"ex_t","Item":{"pk":{"S":"e2"}},"ConditionExpression":"attribute_not_exists(pk)","Expected":{"pk":{"Exists":false}}}`)

	// Functions and operands.
	upd("unknown function in UpdateExpression", "SET a = foo(:v)", "", v, "")
	cond("unknown function in ConditionExpression", "foo(s)", "", "")
	upd("condition function in UpdateExpression", "SET a = size(s)", "", "", "")
	cond("update function in ConditionExpression", "if_not_exists(s, :v) = :v", "", v)
	cond("size of a number value", "size(:one) > :one", "", one)
	cond("begins_with with a number operand", "begins_with(s, :one)", "", one)
	cond("attribute_exists of a value", "attribute_exists(:v)", "", v)
	cond("attribute_type with an unknown type", "attribute_type(s, :t)", "", `{":t":{"S":"XX"}}`)
	cond("BETWEEN with bounds reversed", "n BETWEEN :hi AND :lo", "", `{":hi":{"N":"9"},":lo":{"N":"1"}}`)
	in := repeat(101, func(i int) string { return fmt.Sprintf(":v%d", i) })
	inVals := "{" + repeat(101, func(i int) string { return fmt.Sprintf(`":v%d":{"N":"%d"}`, i, i) }) + "}"
	cond("IN with 101 values", "n IN ("+in+")", "", inVals)
	cond("redundant parentheses", "((s = :v))", "", v)
	cond("comparing two values", ":v = :v", "", v)
	cond("path nested 33 levels", strings.Repeat("a.", 32)+"a = :v", "", v)

	// Update paths.
	upd("SET paths overlap", "SET m = :v, m.a = :v", "", v, "")
	upd("SET and REMOVE the same path", "SET a = :v REMOVE a", "", v, "")
	upd("SET the same path through two names", "SET #a = :v, #b = :v", `{"#a":"x","#b":"x"}`, v, "")
	upd("SET section twice", "SET a = :v SET b = :v", "", v, "")
	upd("REMOVE the key", "REMOVE pk", "", "", "")
	upd("SET inside the key", "SET pk.x = :v", "", v, "")
	upd("ADD a number to a string", "ADD s :one", "", one, "")
	upd("ADD a list", "ADD l :l", "", `{":l":{"L":[{"N":"4"}]}}`, "")
	upd("DELETE a number set from a string set", "DELETE ss :ns", "", `{":ns":{"NS":["1"]}}`, "")
	upd("SET on a list index of a string", "SET s[0] = :v", "", v, "")
	upd("SET into a missing nested map", "SET m.nope.c = :v", "", v, "")
	upd("REMOVE from a missing nested map", "REMOVE m.nope.c", "", "", `,"ReturnValues":"UPDATED_OLD"`)
	upd("plus on strings", "SET a = :v + :v", "", v, "")
	upd("plus with a missing attribute", "SET a = nope + :one", "", one, "")
	upd("list_append of a string", "SET a = list_append(s, :l)", "", `{":l":{"L":[{"N":"4"}]}}`, "")
	key = "e2"
	upd("number result needs 126 digits", "SET n = n + :huge", "", `{":huge":{"N":"9.9999999999999999999999999999999999999E+125"}}`, "")
	upd("number overflow (magnitude above 9.99E+125)", "SET n = :huge + :huge", "", `{":huge":{"N":"9.9999999999999999999999999999999999999E+125"}}`, "")
	upd("number result needs 39 digits", "SET a = :a + :b", "", `{":a":{"N":"12345678901234567890123456789012345678"},":b":{"N":"0.5"}}`, "")
	key = "e1"
	upd("SET list index past the end appends", "SET l[10] = :one", "", one, `,"ReturnValues":"UPDATED_NEW"`)
	upd("REMOVE list index past the end", "REMOVE l[10]", "", "", `,"ReturnValues":"ALL_NEW"`)
	upd("if_not_exists ok", "SET c = if_not_exists(c, :one), s = if_not_exists(s, :v)", "", vals, `,"ReturnValues":"UPDATED_NEW"`)
	upd("ADD new members to a string set", "ADD ss :ss", "", `{":ss":{"SS":["b","c"]}}`, `,"ReturnValues":"UPDATED_NEW"`)
	upd("DELETE every member of a set", "DELETE ns :ns", "", `{":ns":{"NS":["1","2","3"]}}`, `,"ReturnValues":"ALL_NEW"`)
	g.add("GetItem e1 after the updates", "GetItem", `{"TableName":"ex_t","Key":{"pk":{"S":"e1"}}}`)
	return g
}
