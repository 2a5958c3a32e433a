package main

import "fmt"

func queryScanGroup() *group {
	g := &group{name: "queryscan"}
	g.setup("create qs_t (pk S, sk N; GSI g_idx on g, sk; LSI l_idx on pk, l)", "CreateTable",
		`{"TableName":"qs_t","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},`+
			`{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"l","AttributeType":"S"}],`+
			`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],`+
			`"GlobalSecondaryIndexes":[{"IndexName":"g_idx","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],`+
			`"LocalSecondaryIndexes":[{"IndexName":"l_idx","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],`+
			`"BillingMode":"PAY_PER_REQUEST"}`)
	item := func(pk string, sk int) string {
		return fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":%q},"sk":{"N":"%d"},"g":{"S":"g%d"},"l":{"S":"l%d"},"v":{"N":"%d"}}}}`, pk, sk, 1+sk%2, sk, sk*10)
	}
	g.setup("put a/1..5 and b/6..7 (no two items share a g_idx key)", "BatchWriteItem", `{"RequestItems":{"qs_t":[`+
		repeat(5, func(i int) string { return item("a", i+1) })+","+item("b", 6)+","+item("b", 7)+`]}}`)

	// q is a Query of qs_t; values is a JSON object or "", extra more
	// members (with a leading comma) or "".
	q := func(name, kce, values, extra string) {
		body := `{"TableName":"qs_t"`
		if kce != "" {
			body += fmt.Sprintf(`,"KeyConditionExpression":%q`, kce)
		}
		if values != "" {
			body += `,"ExpressionAttributeValues":` + values
		}
		g.add(name, "Query", body+extra+`}`)
	}
	const (
		a  = `{":a":{"S":"a"}}`
		ab = `{":a":{"S":"a"},":b":{"S":"b"}}`
		an = `{":a":{"S":"a"},":n":{"N":"2"}}`
	)
	q("Query ok", "pk = :a", a, "")
	q("Query range key BETWEEN", "pk = :a AND sk BETWEEN :lo AND :hi", `{":a":{"S":"a"},":lo":{"N":"2"},":hi":{"N":"4"}}`, "")
	q("Query descending with Limit 2", "pk = :a", a, `,"ScanIndexForward":false,"Limit":2`)
	q("Query from ExclusiveStartKey", "pk = :a", a, `,"ScanIndexForward":false,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"4"}}`)
	q("Query without KeyConditionExpression", "", "", "")
	q("Query key condition on a non-key attribute", "v = :n", `{":n":{"N":"10"}}`, "")
	q("Query on the range key only", "sk = :n", `{":n":{"N":"1"}}`, "")
	q("Query hash key with <", "pk < :a", a, "")
	q("Query hash key with begins_with", "begins_with(pk, :a)", a, "")
	q("Query with OR", "pk = :a OR pk = :b", ab, "")
	q("Query two conditions on the hash key", "pk = :a AND pk = :b", ab, "")
	q("Query on a nested path", "pk.x = :a", a, "")
	q("Query with size", "pk = :a AND size(sk) = :n", an, "")
	q("Query begins_with on a number range key", "pk = :a AND begins_with(sk, :n)", an, "")
	q("Query hash value of wrong type", "pk = :n", `{":n":{"N":"1"}}`, "")
	q("Query Limit 0", "pk = :a", a, `,"Limit":0`)
	q("Query ExclusiveStartKey without range key", "pk = :a", a, `,"ExclusiveStartKey":{"pk":{"S":"a"}}`)
	q("Query ExclusiveStartKey of another partition", "pk = :a", a, `,"ExclusiveStartKey":{"pk":{"S":"b"},"sk":{"N":"6"}}`)
	q("Query ExclusiveStartKey outside the range condition", "pk = :a AND sk > :n", an, `,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"1"}}`)
	q("Query Select COUNT with ProjectionExpression", "pk = :a", a, `,"Select":"COUNT","ProjectionExpression":"v"`)
	q("Query Select ALL_ATTRIBUTES with ProjectionExpression", "pk = :a", a, `,"Select":"ALL_ATTRIBUTES","ProjectionExpression":"v"`)
	q("Query Select bogus", "pk = :a", a, `,"Select":"SOME"`)
	q("Query Select SPECIFIC_ATTRIBUTES without projection", "pk = :a", a, `,"Select":"SPECIFIC_ATTRIBUTES"`)
	q("Query Select ALL_PROJECTED_ATTRIBUTES on the table", "pk = :a", a, `,"Select":"ALL_PROJECTED_ATTRIBUTES"`)
	q("Query unknown index", "pk = :a", a, `,"IndexName":"nope"`)
	q("Query GSI", "g = :g", `{":g":{"S":"g1"}}`, `,"IndexName":"g_idx"`)
	q("Query GSI with ConsistentRead", "g = :g", `{":g":{"S":"g1"}}`, `,"IndexName":"g_idx","ConsistentRead":true`)
	q("Query GSI on the table's hash key", "pk = :a", a, `,"IndexName":"g_idx"`)
	q("Query LSI", "pk = :a AND l > :l", `{":a":{"S":"a"},":l":{"S":"l2"}}`, `,"IndexName":"l_idx"`)
	q("Query filter on the range key", "pk = :a", an, `,"FilterExpression":"sk > :n"`)
	q("Query filter with Limit", "pk = :a", `{":a":{"S":"a"},":n":{"N":"20"}}`, `,"FilterExpression":"v > :n","Limit":3`)
	g.add("Query missing table", "Query", `{"TableName":"qs_none","KeyConditionExpression":"pk = :a","ExpressionAttributeValues":{":a":{"S":"a"}}}`)

	s := func(name, extra string) { g.add(name, "Scan", `{"TableName":"qs_t"`+extra+`}`) }
	s("Scan ok", "")
	s("Scan filter with size", `,"FilterExpression":"size(l) = :two AND v >= :n","ExpressionAttributeValues":{":two":{"N":"2"},":n":{"N":"30"}}`)
	s("Scan Segment without TotalSegments", `,"Segment":0`)
	s("Scan TotalSegments without Segment", `,"TotalSegments":2`)
	s("Scan Segment equal to TotalSegments", `,"Segment":2,"TotalSegments":2`)
	s("Scan TotalSegments 0", `,"Segment":0,"TotalSegments":0`)
	s("Scan Segment -1", `,"Segment":-1,"TotalSegments":2`)
	s("Scan Select COUNT with ProjectionExpression", `,"Select":"COUNT","ProjectionExpression":"v"`)
	s("Scan ExclusiveStartKey not matching the schema", `,"ExclusiveStartKey":{"x":{"S":"a"}}`)
	s("Scan unknown index", `,"IndexName":"nope"`)
	s("Scan GSI with ConsistentRead", `,"IndexName":"g_idx","ConsistentRead":true`)
	s("Scan legacy ScanFilter", `,"ScanFilter":{"v":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"20"}]}}`)
	return g
}
