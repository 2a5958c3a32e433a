package main

import (
	"fmt"
	"strings"
)

func batchGroup() *group {
	g := &group{name: "batch"}
	g.setup("create bt_h (pk S)", "CreateTable", hashTable("bt_h", "S"))
	g.setup("create bt_r (pk S, sk N)", "CreateTable", rangeTable("bt_r"))
	g.setup("put bt_h a, b and bt_r a/1", "BatchWriteItem", `{"RequestItems":{"bt_h":[{"PutRequest":{"Item":{"pk":{"S":"a"},"v":{"N":"1"}}}},{"PutRequest":{"Item":{"pk":{"S":"b"},"v":{"N":"2"}}}}],`+
		`"bt_r":[{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"N":"3"}}}}]}}`)

	key := func(i int) string { return fmt.Sprintf(`{"pk":{"S":"k%d"}}`, i) }
	bg := func(name, body string) { g.add(name, "BatchGetItem", body) }
	bg("BatchGetItem empty RequestItems", `{"RequestItems":{}}`)
	bg("BatchGetItem without RequestItems", `{}`)
	bg("BatchGetItem empty Keys", `{"RequestItems":{"bt_h":{"Keys":[]}}}`)
	bg("BatchGetItem 101 keys", `{"RequestItems":{"bt_h":{"Keys":[`+repeat(101, key)+`]}}}`)
	bg("BatchGetItem 100 keys", `{"RequestItems":{"bt_h":{"Keys":[{"pk":{"S":"a"}},`+repeat(99, key)+`]}}}`)
	bg("BatchGetItem 101 keys over two tables", `{"RequestItems":{"bt_h":{"Keys":[`+repeat(51, key)+`]},"bt_r":{"Keys":[`+
		repeat(50, func(i int) string { return fmt.Sprintf(`{"pk":{"S":"a"},"sk":{"N":"%d"}}`, i) })+`]}}}`)
	bg("BatchGetItem duplicate keys", `{"RequestItems":{"bt_h":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"a"}}]}}}`)
	bg("BatchGetItem missing table", `{"RequestItems":{"bt_none":{"Keys":[{"pk":{"S":"a"}}]}}}`)
	bg("BatchGetItem key not matching the schema", `{"RequestItems":{"bt_r":{"Keys":[{"pk":{"S":"a"}}]}}}`)
	bg("BatchGetItem ProjectionExpression and AttributesToGet", `{"RequestItems":{"bt_h":{"Keys":[{"pk":{"S":"a"}}],"ProjectionExpression":"v","AttributesToGet":["v"]}}}`)
	bg("BatchGetItem unused ExpressionAttributeNames", `{"RequestItems":{"bt_h":{"Keys":[{"pk":{"S":"a"}}],"ProjectionExpression":"v","ExpressionAttributeNames":{"#v":"v"}}}}`)
	bg("BatchGetItem ok", `{"RequestItems":{"bt_h":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"b"}},{"pk":{"S":"zz"}}]}}}`)

	putReq := func(i int) string { return fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"w%d"}}}}`, i) }
	bw := func(name, body string) { g.add(name, "BatchWriteItem", body) }
	bw("BatchWriteItem empty RequestItems", `{"RequestItems":{}}`)
	bw("BatchWriteItem empty list", `{"RequestItems":{"bt_h":[]}}`)
	bw("BatchWriteItem 26 requests", `{"RequestItems":{"bt_h":[`+repeat(26, putReq)+`]}}`)
	bw("BatchWriteItem 26 requests over two tables", `{"RequestItems":{"bt_h":[`+
		repeat(13, func(i int) string { return fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"o%d"}}}}`, i) })+`],"bt_r":[`+
		repeat(13, func(i int) string { return fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"o"},"sk":{"N":"%d"}}}}`, i) })+`]}}`)
	bw("BatchWriteItem duplicate puts", `{"RequestItems":{"bt_h":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}},{"PutRequest":{"Item":{"pk":{"S":"x"},"v":{"N":"1"}}}}]}}`)
	bw("BatchWriteItem put and delete of one key", `{"RequestItems":{"bt_h":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"x"}}}}]}}`)
	bw("BatchWriteItem missing table", `{"RequestItems":{"bt_none":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}}]}}`)
	bw("BatchWriteItem empty request", `{"RequestItems":{"bt_h":[{}]}}`)
	bw("BatchWriteItem request with PutRequest and DeleteRequest", `{"RequestItems":{"bt_h":[{"PutRequest":{"Item":{"pk":{"S":"o1"}}},"DeleteRequest":{"Key":{"pk":{"S":"o2"}}}}]}}`)
	bw("BatchWriteItem put without the key", `{"RequestItems":{"bt_h":[{"PutRequest":{"Item":{"v":{"S":"x"}}}}]}}`)
	bw("BatchWriteItem put with empty string key", `{"RequestItems":{"bt_h":[{"PutRequest":{"Item":{"pk":{"S":""}}}}]}}`)
	bw("BatchWriteItem item over 400 KB", `{"RequestItems":{"bt_h":[{"PutRequest":{"Item":{"pk":{"S":"big"},"a":{"S":"`+strings.Repeat("x", 410*1024)+`"}}}}]}}`)
	bw("BatchWriteItem 25 requests over two tables", `{"RequestItems":{"bt_h":[`+repeat(13, putReq)+`,{"DeleteRequest":{"Key":{"pk":{"S":"b"}}}}],"bt_r":[`+
		repeat(11, func(i int) string { return fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"w"},"sk":{"N":"%d"}}}}`, i) })+`]}}`)
	bg("BatchGetItem after the writes", `{"RequestItems":{"bt_h":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"b"}},{"pk":{"S":"w0"}},{"pk":{"S":"w12"}},{"pk":{"S":"w13"}}]},"bt_r":{"Keys":[{"pk":{"S":"w"},"sk":{"N":"10"}},{"pk":{"S":"w"},"sk":{"N":"11"}}]}}}`)
	return g
}

func transactGroup() *group {
	g := &group{name: "transact"}
	g.setup("create tx_t (pk S)", "CreateTable", hashTable("tx_t", "S"))
	g.setup("put a", "PutItem", `{"TableName":"tx_t","Item":{"pk":{"S":"a"},"v":{"N":"1"}}}`)

	putOp := func(pk string) string {
		return fmt.Sprintf(`{"Put":{"TableName":"tx_t","Item":{"pk":{"S":%q}}}}`, pk)
	}
	tw := func(name, body string) { g.add(name, "TransactWriteItems", body) }
	tw("TransactWriteItems empty", `{"TransactItems":[]}`)
	tw("TransactWriteItems 101 items", `{"TransactItems":[`+repeat(101, func(i int) string { return putOp(fmt.Sprintf("t%d", i)) })+`]}`)
	tw("TransactWriteItems two operations on one item", `{"TransactItems":[`+putOp("x")+`,{"Delete":{"TableName":"tx_t","Key":{"pk":{"S":"x"}}}}]}`)
	tw("TransactWriteItems member without operation", `{"TransactItems":[{}]}`)
	tw("TransactWriteItems condition fails", `{"TransactItems":[{"ConditionCheck":{"TableName":"tx_t","Key":{"pk":{"S":"a"}},"ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}}}},`+putOp("x")+`]}`)
	tw("TransactWriteItems condition fails, ReturnValuesOnConditionCheckFailure ALL_OLD", `{"TransactItems":[`+putOp("x")+`,{"Update":{"TableName":"tx_t","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET v = :two","ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}]}`)
	tw("TransactWriteItems missing table", `{"TransactItems":[{"Put":{"TableName":"tx_none","Item":{"pk":{"S":"x"}}}}]}`)
	tw("TransactWriteItems ClientRequestToken of 37 characters", `{"ClientRequestToken":"`+strings.Repeat("t", 37)+`","TransactItems":[`+putOp("x")+`]}`)
	tw("TransactWriteItems ok with a token", `{"ClientRequestToken":"token-1","TransactItems":[`+putOp("x")+`,{"Update":{"TableName":"tx_t","Key":{"pk":{"S":"a"}},"UpdateExpression":"ADD v :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]}`)
	tw("TransactWriteItems same token, same request", `{"ClientRequestToken":"token-1","TransactItems":[`+putOp("x")+`,{"Update":{"TableName":"tx_t","Key":{"pk":{"S":"a"}},"UpdateExpression":"ADD v :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]}`)
	tw("TransactWriteItems same token, other request", `{"ClientRequestToken":"token-1","TransactItems":[`+putOp("y")+`]}`)

	tg := func(name, body string) { g.add(name, "TransactGetItems", body) }
	getOp := func(pk string) string {
		return fmt.Sprintf(`{"Get":{"TableName":"tx_t","Key":{"pk":{"S":%q}}}}`, pk)
	}
	tg("TransactGetItems empty", `{"TransactItems":[]}`)
	tg("TransactGetItems 101 items", `{"TransactItems":[`+repeat(101, func(i int) string { return getOp(fmt.Sprintf("t%d", i)) })+`]}`)
	tg("TransactGetItems same item twice", `{"TransactItems":[`+getOp("a")+`,`+getOp("a")+`]}`)
	tg("TransactGetItems ok", `{"TransactItems":[`+getOp("a")+`,`+getOp("x")+`,`+getOp("nope")+`]}`)
	return g
}

func ttlGroup() *group {
	g := &group{name: "ttl"}
	g.setup("create ttl_t (pk S)", "CreateTable", hashTable("ttl_t", "S"))
	g.add("DescribeTimeToLive ok", "DescribeTimeToLive", `{"TableName":"ttl_t"}`)
	g.add("DescribeTimeToLive missing table", "DescribeTimeToLive", `{"TableName":"ttl_none"}`)
	g.add("UpdateTimeToLive without specification", "UpdateTimeToLive", `{"TableName":"ttl_t"}`)
	g.add("UpdateTimeToLive empty AttributeName", "UpdateTimeToLive", `{"TableName":"ttl_t","TimeToLiveSpecification":{"Enabled":true,"AttributeName":""}}`)
	g.add("UpdateTimeToLive enable", "UpdateTimeToLive", `{"TableName":"ttl_t","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`)
	g.add("UpdateTimeToLive enable again", "UpdateTimeToLive", `{"TableName":"ttl_t","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`)
	g.add("DescribeTimeToLive after enabling", "DescribeTimeToLive", `{"TableName":"ttl_t"}`)
	return g
}
