package main

import (
	"fmt"
	"strings"
)

func itemGroup() *group {
	g := &group{name: "item"}
	g.setup("create it_h (pk S)", "CreateTable", hashTable("it_h", "S"))
	g.setup("create it_hr (pk S, sk N)", "CreateTable", rangeTable("it_hr"))
	g.setup("create it_n (pk N)", "CreateTable", hashTable("it_n", "N"))
	g.setup("create it_b (pk B)", "CreateTable", hashTable("it_b", "B"))

	put := func(name, body string) { g.add(name, "PutItem", body) }
	// attr is a PutItem of pk "v" on it_h with the attribute a set to v.
	attr := func(name, v string) {
		put(name, `{"TableName":"it_h","Item":{"pk":{"S":"v"},"a":`+v+`}}`)
	}

	put("PutItem ok", `{"TableName":"it_h","Item":{"pk":{"S":"a"},"s":{"S":"x"},"n":{"N":"1"}}}`)
	put("PutItem without TableName", `{"Item":{"pk":{"S":"a"}}}`)
	put("PutItem missing table", `{"TableName":"it_none","Item":{"pk":{"S":"a"}}}`)
	put("PutItem missing hash key", `{"TableName":"it_h","Item":{"other":{"S":"a"}}}`)
	put("PutItem hash key of wrong type", `{"TableName":"it_h","Item":{"pk":{"N":"1"}}}`)
	put("PutItem empty string hash key", `{"TableName":"it_h","Item":{"pk":{"S":""}}}`)
	put("PutItem empty string non-key attribute", `{"TableName":"it_h","Item":{"pk":{"S":"e"},"s":{"S":""}}}`)
	attr("PutItem empty SS", `{"SS":[]}`)
	attr("PutItem empty BS", `{"BS":[]}`)
	attr("PutItem duplicate SS members", `{"SS":["x","y","x"]}`)
	attr("PutItem duplicate NS members (1 and 1.0)", `{"NS":["1","1.0"]}`)
	attr("PutItem N not a number", `{"N":"abc"}`)
	attr("PutItem N with 39 significant digits", `{"N":"123456789012345678901234567890123456789"}`)
	attr("PutItem N with 38 significant digits", `{"N":"12345678901234567890123456789012345678"}`)
	attr("PutItem N with trailing zeros beyond 38 digits", `{"N":"1234567890123456789012345678901234567800000"}`)
	attr("PutItem N too large (1E+126)", `{"N":"1E+126"}`)
	attr("PutItem N leading space", `{"N":" 1"}`)
	attr("PutItem N trailing junk", `{"N":"1abc"}`)
	attr("PutItem N leading plus", `{"N":"+1"}`)
	attr("PutItem N empty", `{"N":""}`)
	attr("PutItem NULL false", `{"NULL":false}`)
	attr("PutItem empty AttributeValue", `{}`)
	attr("PutItem two types in one AttributeValue", `{"S":"a","N":"1"}`)
	attr("PutItem B not base64", `{"B":"not base64!"}`)
	attr("PutItem empty SS nested in a map", `{"M":{"inner":{"SS":[]}}}`)
	put("PutItem empty attribute name", `{"TableName":"it_h","Item":{"pk":{"S":"v"},"":{"S":"x"}}}`)
	put("PutItem item over 400 KB", `{"TableName":"it_h","Item":{"pk":{"S":"big"},"a":{"S":"`+strings.Repeat("x", 410*1024)+`"}}}`)
	put("PutItem ReturnValues ALL_NEW", `{"TableName":"it_h","Item":{"pk":{"S":"bad"}},"ReturnValues":"ALL_NEW"}`)
	put("PutItem ReturnValues bogus", `{"TableName":"it_h","Item":{"pk":{"S":"bad"}},"ReturnValues":"EVERYTHING"}`)
	put("PutItem ReturnValues ALL_OLD", `{"TableName":"it_h","Item":{"pk":{"S":"a"},"s":{"S":"y"}},"ReturnValues":"ALL_OLD"}`)
	put("PutItem condition fails", `{"TableName":"it_h","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(pk)"}`)
	put("PutItem condition fails, ReturnValuesOnConditionCheckFailure ALL_OLD", `{"TableName":"it_h","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`)
	put("PutItem ReturnValuesOnConditionCheckFailure bogus", `{"TableName":"it_h","Item":{"pk":{"S":"bad"}},"ReturnValuesOnConditionCheckFailure":"ALL_NEW"}`)
	put("PutItem number key 01.50", `{"TableName":"it_n","Item":{"pk":{"N":"01.50"},"n":{"N":"-0.0"}}}`)
	g.add("GetItem number key 1.5 finds 01.50", "GetItem", `{"TableName":"it_n","Key":{"pk":{"N":"1.5"}}}`)

	get := func(name, body string) { g.add(name, "GetItem", body) }
	get("GetItem ok", `{"TableName":"it_h","Key":{"pk":{"S":"a"}}}`)
	get("GetItem without Key", `{"TableName":"it_h"}`)
	get("GetItem extra key attribute", `{"TableName":"it_h","Key":{"pk":{"S":"a"},"s":{"S":"y"}}}`)
	get("GetItem missing table", `{"TableName":"it_none","Key":{"pk":{"S":"a"}}}`)
	get("GetItem no such item", `{"TableName":"it_h","Key":{"pk":{"S":"nope"}}}`)
	get("GetItem ProjectionExpression with undefined name", `{"TableName":"it_h","Key":{"pk":{"S":"a"}},"ProjectionExpression":"#x"}`)
	get("GetItem ProjectionExpression overlapping paths", `{"TableName":"it_h","Key":{"pk":{"S":"a"}},"ProjectionExpression":"s, s.x"}`)
	get("GetItem ProjectionExpression reserved word", `{"TableName":"it_h","Key":{"pk":{"S":"a"}},"ProjectionExpression":"name"}`)
	get("GetItem ProjectionExpression nested ok", `{"TableName":"it_h","Key":{"pk":{"S":"a"}},"ProjectionExpression":"s, m.x[0], #n","ExpressionAttributeNames":{"#n":"n"}}`)

	del := func(name, body string) { g.add(name, "DeleteItem", body) }
	g.setup("put d for the deletes", "PutItem", `{"TableName":"it_h","Item":{"pk":{"S":"d"},"s":{"S":"keep"}}}`)
	del("DeleteItem ReturnValues ALL_NEW", `{"TableName":"it_h","Key":{"pk":{"S":"bad"}},"ReturnValues":"ALL_NEW"}`)
	del("DeleteItem missing table", `{"TableName":"it_none","Key":{"pk":{"S":"d"}}}`)
	del("DeleteItem condition fails on a missing item", `{"TableName":"it_h","Key":{"pk":{"S":"nope"}},"ConditionExpression":"attribute_exists(pk)"}`)
	del("DeleteItem condition fails, ReturnValuesOnConditionCheckFailure ALL_OLD", `{"TableName":"it_h","Key":{"pk":{"S":"d"}},"ConditionExpression":"s = :v","ExpressionAttributeValues":{":v":{"S":"other"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`)
	del("DeleteItem ok ALL_OLD", `{"TableName":"it_h","Key":{"pk":{"S":"d"}},"ReturnValues":"ALL_OLD"}`)

	upd := func(name, body string) { g.add(name, "UpdateItem", body) }
	upd("UpdateItem SET on the hash key", `{"TableName":"it_h","Key":{"pk":{"S":"bad"}},"UpdateExpression":"SET pk = :v","ExpressionAttributeValues":{":v":{"S":"b"}}}`)
	upd("UpdateItem ReturnValues bogus", `{"TableName":"it_h","Key":{"pk":{"S":"bad"}},"UpdateExpression":"SET s = :v","ExpressionAttributeValues":{":v":{"S":"z"}},"ReturnValues":"NEW"}`)
	upd("UpdateItem ALL_NEW", `{"TableName":"it_h","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET s = :v, t = :v","ExpressionAttributeValues":{":v":{"S":"z"}},"ReturnValues":"ALL_NEW"}`)
	upd("UpdateItem ADD creates the item", `{"TableName":"it_h","Key":{"pk":{"S":"counter"}},"UpdateExpression":"ADD c :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"ALL_NEW"}`)
	upd("UpdateItem without UpdateExpression creates the item", `{"TableName":"it_h","Key":{"pk":{"S":"bare"}},"ReturnValues":"ALL_NEW"}`)
	upd("UpdateItem condition fails, ReturnValuesOnConditionCheckFailure ALL_OLD", `{"TableName":"it_h","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET s = :v","ConditionExpression":"s = :v","ExpressionAttributeValues":{":v":{"S":"never"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`)
	upd("UpdateItem growing the item over 400 KB", fmt.Sprintf(`{"TableName":"it_h","Key":{"pk":{"S":"bad"}},"UpdateExpression":"SET big1 = :v, big2 = :v","ExpressionAttributeValues":{":v":{"S":%q}}}`, strings.Repeat("y", 210*1024)))
	get("GetItem after the updates", `{"TableName":"it_h","Key":{"pk":{"S":"a"}}}`)
	return g
}
