package main

import (
	"fmt"
	"strings"
)

// step is one request of the corpus: a case, or a group's setup (whose
// answers are compared too, but which is counted apart).
type step struct {
	name  string
	op    string
	body  string
	setup bool
}

// group is a named sequence of steps with the tables it creates.
type group struct {
	name  string
	steps []step
}

func (g *group) setup(name, op, body string) {
	g.steps = append(g.steps, step{name: name, op: op, body: body, setup: true})
}

func (g *group) add(name, op, body string) {
	g.steps = append(g.steps, step{name: name, op: op, body: body})
}

// corpus returns the groups in the order they run.
func corpus() []*group {
	return []*group{
		protocolGroup(),
		createTableGroup(),
		itemGroup(),
		expressionGroup(),
		queryScanGroup(),
		batchGroup(),
		transactGroup(),
		ttlGroup(),
	}
}

// join joins the parts with commas: a JSON array's or object's members.
func join(parts []string) string { return strings.Join(parts, ",") }

// repeat returns n members made by f(i) for i from 0, comma-joined.
func repeat(n int, f func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = f(i)
	}
	return join(parts)
}

// hashTable is a CreateTable body for a table keyed by pk of type t,
// billed per request.
func hashTable(name, t string) string {
	return fmt.Sprintf(`{"TableName":%q,"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":%q}],`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`, name, t)
}

// rangeTable is a CreateTable body for a table keyed by pk (S) and sk
// (N), billed per request.
func rangeTable(name string) string {
	return fmt.Sprintf(`{"TableName":%q,"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"}`, name)
}

func protocolGroup() *group {
	g := &group{name: "protocol"}
	g.add("unknown operation", "DescribeEverything", `{}`)
	g.add("body is not JSON", "GetItem", `{"TableName":`)
	g.add("body is a JSON array", "ListTables", `[]`)
	g.add("empty body", "ListTables", ``)
	g.add("string where a number is expected", "ListTables", `{"Limit":"5"}`)
	g.add("ListTables Limit 0", "ListTables", `{"Limit":0}`)
	g.add("ListTables Limit 101", "ListTables", `{"Limit":101}`)
	g.add("ListTables ExclusiveStartTableName too short", "ListTables", `{"ExclusiveStartTableName":"ab"}`)
	return g
}

func createTableGroup() *group {
	g := &group{name: "createtable"}
	const (
		defPK   = `{"AttributeName":"pk","AttributeType":"S"}`
		defSK   = `{"AttributeName":"sk","AttributeType":"N"}`
		keyPK   = `{"AttributeName":"pk","KeyType":"HASH"}`
		keySK   = `{"AttributeName":"sk","KeyType":"RANGE"}`
		ppr     = `"BillingMode":"PAY_PER_REQUEST"`
		prov    = `"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}`
		hashDef = `"AttributeDefinitions":[` + defPK + `],"KeySchema":[` + keyPK + `]`
		rngDef  = `"AttributeDefinitions":[` + defPK + `,` + defSK + `],"KeySchema":[` + keyPK + `,` + keySK + `]`
	)
	// ct adds a CreateTable case. Cases that should fail name the table
	// ct_x, made unique here, so that one accepted by either server does
	// not turn the next into ResourceInUseException.
	n := 0
	ct := func(name, body string) {
		n++
		g.add(name, "CreateTable", strings.Replace(body, `"ct_x"`, fmt.Sprintf(`"ct_x%02d"`, n), 1))
	}
	gsi := func(name, hash string) string {
		return fmt.Sprintf(`{"IndexName":%q,"KeySchema":[{"AttributeName":%q,"KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}`, name, hash)
	}
	lsi := func(name, rng string) string {
		return fmt.Sprintf(`{"IndexName":%q,"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":%q,"KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}`, name, rng)
	}

	ct("ok: hash key, PAY_PER_REQUEST", `{"TableName":"ct_ok",`+hashDef+`,`+ppr+`}`)
	ct("ok: hash and range key, PROVISIONED", `{"TableName":"ct_prov",`+rngDef+`,"BillingMode":"PROVISIONED",`+prov+`}`)
	ct("ok: GSI and LSI", `{"TableName":"ct_idx","AttributeDefinitions":[`+defPK+`,`+defSK+`,{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"l","AttributeType":"S"}],`+
		`"KeySchema":[`+keyPK+`,`+keySK+`],"GlobalSecondaryIndexes":[{"IndexName":"g_idx","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["x"]}}],`+
		`"LocalSecondaryIndexes":[`+lsi("l_idx", "l")+`],`+ppr+`}`)
	g.add("ListTables", "ListTables", `{}`)
	ct("table exists already", `{"TableName":"ct_ok",`+hashDef+`,`+ppr+`}`)
	ct("missing TableName", `{`+hashDef+`,`+ppr+`}`)
	ct("missing KeySchema", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`],`+ppr+`}`)
	ct("missing AttributeDefinitions", `{"TableName":"ct_x","KeySchema":[`+keyPK+`],`+ppr+`}`)
	ct("empty KeySchema", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`],"KeySchema":[],`+ppr+`}`)
	ct("three KeySchema elements", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`,`+defSK+`,{"AttributeName":"t","AttributeType":"S"}],"KeySchema":[`+keyPK+`,`+keySK+`,{"AttributeName":"t","KeyType":"RANGE"}],`+ppr+`}`)
	ct("TableName too short", `{"TableName":"ab",`+hashDef+`,`+ppr+`}`)
	ct("TableName with bad characters", `{"TableName":"bad name!",`+hashDef+`,`+ppr+`}`)
	ct("TableName of 256 characters", `{"TableName":"`+strings.Repeat("t", 256)+`",`+hashDef+`,`+ppr+`}`)
	ct("AttributeType invalid", `{"TableName":"ct_x","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"X"}],"KeySchema":[`+keyPK+`],`+ppr+`}`)
	ct("KeyType invalid", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`],"KeySchema":[{"AttributeName":"pk","KeyType":"PRIMARY"}],`+ppr+`}`)
	ct("key attribute not defined", `{"TableName":"ct_x","AttributeDefinitions":[{"AttributeName":"other","AttributeType":"S"}],"KeySchema":[`+keyPK+`],`+ppr+`}`)
	ct("attribute defined but unused", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`,{"AttributeName":"extra","AttributeType":"S"}],"KeySchema":[`+keyPK+`],`+ppr+`}`)
	ct("first key is RANGE", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`],"KeySchema":[{"AttributeName":"pk","KeyType":"RANGE"}],`+ppr+`}`)
	ct("two HASH keys", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`,`+defSK+`],"KeySchema":[`+keyPK+`,{"AttributeName":"sk","KeyType":"HASH"}],`+ppr+`}`)
	ct("hash and range key with the same name", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`],"KeySchema":[`+keyPK+`,{"AttributeName":"pk","KeyType":"RANGE"}],`+ppr+`}`)
	ct("attribute defined twice", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`,{"AttributeName":"pk","AttributeType":"N"}],"KeySchema":[`+keyPK+`],`+ppr+`}`)
	ct("BillingMode invalid", `{"TableName":"ct_x",`+hashDef+`,"BillingMode":"FREE"}`)
	ct("PROVISIONED without ProvisionedThroughput", `{"TableName":"ct_x",`+hashDef+`,"BillingMode":"PROVISIONED"}`)
	ct("neither BillingMode nor ProvisionedThroughput", `{"TableName":"ct_x",`+hashDef+`}`)
	ct("PAY_PER_REQUEST with ProvisionedThroughput", `{"TableName":"ct_x",`+hashDef+`,`+ppr+`,`+prov+`}`)
	ct("ReadCapacityUnits 0", `{"TableName":"ct_x",`+hashDef+`,"ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":5}}`)

	defG := `{"AttributeName":"g","AttributeType":"S"}`
	defL := `{"AttributeName":"l","AttributeType":"S"}`
	withG := `"AttributeDefinitions":[` + defPK + `,` + defG + `],"KeySchema":[` + keyPK + `]`
	ct("duplicate GSI names", `{"TableName":"ct_x",`+withG+`,"GlobalSecondaryIndexes":[`+gsi("dup", "g")+`,`+gsi("dup", "g")+`],`+ppr+`}`)
	ct("GSI and LSI with the same name", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`,`+defSK+`,`+defG+`,`+defL+`],"KeySchema":[`+keyPK+`,`+keySK+`],`+
		`"GlobalSecondaryIndexes":[`+gsi("same", "g")+`],"LocalSecondaryIndexes":[`+lsi("same", "l")+`],`+ppr+`}`)
	ct("LSI on a table without range key", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`,`+defL+`],"KeySchema":[`+keyPK+`],"LocalSecondaryIndexes":[`+lsi("l_idx", "l")+`],`+ppr+`}`)
	ct("LSI with another hash key", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`,`+defSK+`,`+defG+`,`+defL+`],"KeySchema":[`+keyPK+`,`+keySK+`],`+
		`"LocalSecondaryIndexes":[{"IndexName":"l_idx","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],`+ppr+`}`)
	ct("LSI without range key", `{"TableName":"ct_x",`+rngDef+`,"LocalSecondaryIndexes":[{"IndexName":"l_idx","KeySchema":[`+keyPK+`],"Projection":{"ProjectionType":"ALL"}}],`+ppr+`}`)
	manyDefs := `{"AttributeName":"pk","AttributeType":"S"},` + repeat(21, func(i int) string { return fmt.Sprintf(`{"AttributeName":"g%d","AttributeType":"S"}`, i) })
	ct("21 GSIs", `{"TableName":"ct_x","AttributeDefinitions":[`+manyDefs+`],"KeySchema":[`+keyPK+`],"GlobalSecondaryIndexes":[`+
		repeat(21, func(i int) string { return gsi(fmt.Sprintf("gsi_%d", i), fmt.Sprintf("g%d", i)) })+`],`+ppr+`}`)
	ct("6 LSIs", `{"TableName":"ct_x","AttributeDefinitions":[`+defPK+`,`+defSK+`,`+repeat(6, func(i int) string { return fmt.Sprintf(`{"AttributeName":"l%d","AttributeType":"S"}`, i) })+
		`],"KeySchema":[`+keyPK+`,`+keySK+`],"LocalSecondaryIndexes":[`+repeat(6, func(i int) string { return lsi(fmt.Sprintf("lsi_%d", i), fmt.Sprintf("l%d", i)) })+`],`+ppr+`}`)
	ct("GSI name too short", `{"TableName":"ct_x",`+withG+`,"GlobalSecondaryIndexes":[`+gsi("gi", "g")+`],`+ppr+`}`)
	ct("GSI KEYS_ONLY with NonKeyAttributes", `{"TableName":"ct_x",`+withG+`,"GlobalSecondaryIndexes":[{"IndexName":"g_idx","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY","NonKeyAttributes":["x"]}}],`+ppr+`}`)
	ct("GSI INCLUDE without NonKeyAttributes", `{"TableName":"ct_x",`+withG+`,"GlobalSecondaryIndexes":[{"IndexName":"g_idx","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE"}}],`+ppr+`}`)
	ct("GSI without Projection", `{"TableName":"ct_x",`+withG+`,"GlobalSecondaryIndexes":[{"IndexName":"g_idx","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}]}],`+ppr+`}`)
	ct("GSI key attribute not defined", `{"TableName":"ct_x",`+hashDef+`,"GlobalSecondaryIndexes":[`+gsi("g_idx", "g")+`],`+ppr+`}`)
	ct("GSI with ProvisionedThroughput under PAY_PER_REQUEST", `{"TableName":"ct_x",`+withG+`,"GlobalSecondaryIndexes":[{"IndexName":"g_idx","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},`+prov+`}],`+ppr+`}`)
	ct("GSI without ProvisionedThroughput under PROVISIONED", `{"TableName":"ct_x",`+withG+`,"GlobalSecondaryIndexes":[`+gsi("g_idx", "g")+`],`+prov+`}`)

	g.add("DescribeTable ok", "DescribeTable", `{"TableName":"ct_prov"}`)
	g.add("DescribeTable missing table", "DescribeTable", `{"TableName":"ct_none"}`)
	g.add("DescribeTable without TableName", "DescribeTable", `{}`)
	g.add("DeleteTable missing table", "DeleteTable", `{"TableName":"ct_none"}`)
	g.add("DeleteTable ok", "DeleteTable", `{"TableName":"ct_ok"}`)
	g.add("DescribeTable after DeleteTable", "DescribeTable", `{"TableName":"ct_ok"}`)
	return g
}
