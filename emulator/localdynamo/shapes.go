package localdynamo

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf16"
)

// DynamoDB reads a request's whole body into its input structure before
// it validates anything, and refuses a member of the wrong JSON type with
// a SerializationException whose message names what it found and what it
// expected (dynalite's test/helpers.js assertType records the messages
// against DynamoDB). The store decodes requests with encoding/json and
// its own AttributeValue decoders, which stop at the first problem of
// any kind and word it their own way; so once a request fails to decode,
// typeMismatch walks the body again against the shapes below and reports
// the first mismatch in the body's order, as a streaming parser meets
// them (DynamoDB's order among several was not observed). Requests that
// decode never take that path, which leaves the decoders' speed alone.

// shapeKind is the kind of JSON value a request member takes.
type shapeKind uint8

const (
	kindString shapeKind = iota
	kindBoolean
	kindInteger
	kindLong
	kindBlob
	kindList
	kindMap
	kindStruct
)

// shape is the type of a request member, as DynamoDB's model gives it.
type shape struct {
	kind shapeKind
	// name is a structure's name in DynamoDB's model.
	name string
	// elem is the type of a list's members or a map's values.
	elem *shape
	// members are a structure's members. Members the store does not
	// decode (the legacy parameters among them) are left out, and
	// skipped as DynamoDB skips members it does not know.
	members map[string]*shape
}

// position is where a value sits, which some messages depend on.
type position uint8

const (
	atMember     position = iota // a structure's member
	atMapValue                   // a map's value
	atListMember                 // a list's member
)

func listOf(elem *shape) *shape { return &shape{kind: kindList, elem: elem} }
func mapOf(elem *shape) *shape  { return &shape{kind: kindMap, elem: elem} }
func structure(name string, members map[string]*shape) *shape {
	return &shape{kind: kindStruct, name: name, members: members}
}

var (
	shapeString  = &shape{kind: kindString}
	shapeBoolean = &shape{kind: kindBoolean}
	shapeInteger = &shape{kind: kindInteger}
	shapeLong    = &shape{kind: kindLong}
	shapeBlob    = &shape{kind: kindBlob}
	shapeStrings = listOf(shapeString)
	shapeNames   = mapOf(shapeString) // ExpressionAttributeNames

	// shapeValue is an AttributeValue; its members are set in init, as
	// L and M hold AttributeValues.
	shapeValue  = structure("AttributeValue", nil)
	shapeValues = mapOf(shapeValue) // an item, a key, ExpressionAttributeValues

	shapeThroughput = structure("ProvisionedThroughput", map[string]*shape{
		"ReadCapacityUnits": shapeLong, "WriteCapacityUnits": shapeLong,
	})
	shapeOnDemand = structure("OnDemandThroughput", map[string]*shape{
		"MaxReadRequestUnits": shapeLong, "MaxWriteRequestUnits": shapeLong,
	})
	shapeWarm = structure("WarmThroughput", map[string]*shape{
		"ReadUnitsPerSecond": shapeLong, "WriteUnitsPerSecond": shapeLong,
	})
	shapeKeySchema = listOf(structure("KeySchemaElement", map[string]*shape{
		"AttributeName": shapeString, "KeyType": shapeString,
	}))
	shapeAttrDefs = listOf(structure("AttributeDefinition", map[string]*shape{
		"AttributeName": shapeString, "AttributeType": shapeString,
	}))
	shapeProjection = structure("Projection", map[string]*shape{
		"ProjectionType": shapeString, "NonKeyAttributes": shapeStrings,
	})
	shapeStreamSpec = structure("StreamSpecification", map[string]*shape{
		"StreamEnabled": shapeBoolean, "StreamViewType": shapeString,
	})
	shapeSSESpec = structure("SSESpecification", map[string]*shape{
		"Enabled": shapeBoolean, "SSEType": shapeString, "KMSMasterKeyId": shapeString,
	})
	shapeTags = listOf(structure("Tag", map[string]*shape{
		"Key": shapeString, "Value": shapeString,
	}))
)

// globalIndex is a global secondary index of CreateTable or UpdateTable,
// named name in DynamoDB's model.
func globalIndex(name string) *shape {
	return structure(name, map[string]*shape{
		"IndexName": shapeString, "KeySchema": shapeKeySchema, "Projection": shapeProjection,
		"ProvisionedThroughput": shapeThroughput, "OnDemandThroughput": shapeOnDemand, "WarmThroughput": shapeWarm,
	})
}

// withMembers returns members and extra in one map.
func withMembers(members map[string]*shape, extra map[string]*shape) map[string]*shape {
	m := make(map[string]*shape, len(members)+len(extra))
	for k, v := range members {
		m[k] = v
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// exprMembers are the expression parameters of the item operations.
var exprMembers = map[string]*shape{
	"ExpressionAttributeNames": shapeNames, "ExpressionAttributeValues": shapeValues,
	"ReturnConsumedCapacity": shapeString,
}

// txMembers are the members common to a TransactWriteItems member.
var txMembers = map[string]*shape{
	"TableName": shapeString, "Key": shapeValues, "ConditionExpression": shapeString,
	"ExpressionAttributeNames": shapeNames, "ExpressionAttributeValues": shapeValues,
	"ReturnValuesOnConditionCheckFailure": shapeString,
}

// requestShapes are the input structures of the operations the store
// serves, as DynamoDB's model has them.
var requestShapes = map[string]*shape{
	"CreateTable": structure("CreateTableInput", map[string]*shape{
		"TableName": shapeString, "AttributeDefinitions": shapeAttrDefs, "KeySchema": shapeKeySchema,
		"LocalSecondaryIndexes": listOf(structure("LocalSecondaryIndex", map[string]*shape{
			"IndexName": shapeString, "KeySchema": shapeKeySchema, "Projection": shapeProjection,
		})),
		"GlobalSecondaryIndexes": listOf(globalIndex("GlobalSecondaryIndex")),
		"BillingMode":            shapeString, "ProvisionedThroughput": shapeThroughput,
		"DeletionProtectionEnabled": shapeBoolean, "StreamSpecification": shapeStreamSpec,
		"TableClass": shapeString, "SSESpecification": shapeSSESpec, "OnDemandThroughput": shapeOnDemand,
		"WarmThroughput": shapeWarm, "Tags": shapeTags,
	}),
	"DescribeTable": structure("DescribeTableInput", map[string]*shape{"TableName": shapeString}),
	"DeleteTable":   structure("DeleteTableInput", map[string]*shape{"TableName": shapeString}),
	"ListTables": structure("ListTablesInput", map[string]*shape{
		"ExclusiveStartTableName": shapeString, "Limit": shapeInteger,
	}),
	"UpdateTable": structure("UpdateTableInput", map[string]*shape{
		"TableName": shapeString, "AttributeDefinitions": shapeAttrDefs, "BillingMode": shapeString,
		"ProvisionedThroughput": shapeThroughput,
		"GlobalSecondaryIndexUpdates": listOf(structure("GlobalSecondaryIndexUpdate", map[string]*shape{
			"Create": globalIndex("CreateGlobalSecondaryIndexAction"),
			"Delete": structure("DeleteGlobalSecondaryIndexAction", map[string]*shape{"IndexName": shapeString}),
			"Update": structure("UpdateGlobalSecondaryIndexAction", map[string]*shape{
				"IndexName": shapeString, "ProvisionedThroughput": shapeThroughput,
				"OnDemandThroughput": shapeOnDemand, "WarmThroughput": shapeWarm,
			}),
		})),
		"DeletionProtectionEnabled": shapeBoolean, "TableClass": shapeString, "OnDemandThroughput": shapeOnDemand,
		"SSESpecification": shapeSSESpec, "StreamSpecification": shapeStreamSpec, "WarmThroughput": shapeWarm,
	}),
	"PutItem": structure("PutItemInput", withMembers(exprMembers, map[string]*shape{
		"TableName": shapeString, "Item": shapeValues, "ConditionExpression": shapeString,
		"ReturnValues": shapeString, "ReturnValuesOnConditionCheckFailure": shapeString,
		"ReturnItemCollectionMetrics": shapeString,
	})),
	"GetItem": structure("GetItemInput", map[string]*shape{
		"TableName": shapeString, "Key": shapeValues, "ProjectionExpression": shapeString,
		"ConsistentRead": shapeBoolean, "AttributesToGet": shapeStrings,
		"ExpressionAttributeNames": shapeNames, "ReturnConsumedCapacity": shapeString,
	}),
	"DeleteItem": structure("DeleteItemInput", withMembers(exprMembers, map[string]*shape{
		"TableName": shapeString, "Key": shapeValues, "ConditionExpression": shapeString,
		"ReturnValues": shapeString, "ReturnValuesOnConditionCheckFailure": shapeString,
		"ReturnItemCollectionMetrics": shapeString,
	})),
	"UpdateItem": structure("UpdateItemInput", withMembers(exprMembers, map[string]*shape{
		"TableName": shapeString, "Key": shapeValues, "UpdateExpression": shapeString,
		"ConditionExpression": shapeString, "ReturnValues": shapeString,
		"ReturnValuesOnConditionCheckFailure": shapeString, "ReturnItemCollectionMetrics": shapeString,
	})),
	"Query": structure("QueryInput", withMembers(exprMembers, map[string]*shape{
		"TableName": shapeString, "IndexName": shapeString, "KeyConditionExpression": shapeString,
		"FilterExpression": shapeString, "ProjectionExpression": shapeString, "AttributesToGet": shapeStrings,
		"Select": shapeString, "Limit": shapeInteger, "ConsistentRead": shapeBoolean,
		"ScanIndexForward": shapeBoolean, "ExclusiveStartKey": shapeValues,
	})),
	"Scan": structure("ScanInput", withMembers(exprMembers, map[string]*shape{
		"TableName": shapeString, "IndexName": shapeString, "FilterExpression": shapeString,
		"ProjectionExpression": shapeString, "AttributesToGet": shapeStrings, "Select": shapeString,
		"Limit": shapeInteger, "ConsistentRead": shapeBoolean, "ExclusiveStartKey": shapeValues,
		"Segment": shapeInteger, "TotalSegments": shapeInteger,
	})),
	"BatchGetItem": structure("BatchGetItemInput", map[string]*shape{
		"RequestItems": mapOf(structure("KeysAndAttributes", map[string]*shape{
			"Keys": listOf(shapeValues), "ProjectionExpression": shapeString,
			"ExpressionAttributeNames": shapeNames, "ConsistentRead": shapeBoolean,
			"AttributesToGet": shapeStrings,
		})),
		"ReturnConsumedCapacity": shapeString,
	}),
	"BatchWriteItem": structure("BatchWriteItemInput", map[string]*shape{
		"RequestItems": mapOf(listOf(structure("WriteRequest", map[string]*shape{
			"PutRequest":    structure("PutRequest", map[string]*shape{"Item": shapeValues}),
			"DeleteRequest": structure("DeleteRequest", map[string]*shape{"Key": shapeValues}),
		}))),
		"ReturnConsumedCapacity": shapeString, "ReturnItemCollectionMetrics": shapeString,
	}),
	"TransactWriteItems": structure("TransactWriteItemsInput", map[string]*shape{
		"TransactItems": listOf(structure("TransactWriteItem", map[string]*shape{
			"ConditionCheck": structure("ConditionCheck", txMembers),
			"Put":            structure("Put", withMembers(txMembers, map[string]*shape{"Item": shapeValues})),
			"Delete":         structure("Delete", txMembers),
			"Update":         structure("Update", withMembers(txMembers, map[string]*shape{"UpdateExpression": shapeString})),
		})),
		"ClientRequestToken": shapeString, "ReturnConsumedCapacity": shapeString,
		"ReturnItemCollectionMetrics": shapeString,
	}),
	"TransactGetItems": structure("TransactGetItemsInput", map[string]*shape{
		"TransactItems": listOf(structure("TransactGetItem", map[string]*shape{
			"Get": structure("Get", map[string]*shape{
				"TableName": shapeString, "Key": shapeValues, "ProjectionExpression": shapeString,
				"ExpressionAttributeNames": shapeNames,
			}),
		})),
		"ReturnConsumedCapacity": shapeString,
	}),
	"UpdateTimeToLive": structure("UpdateTimeToLiveInput", map[string]*shape{
		"TableName": shapeString,
		"TimeToLiveSpecification": structure("TimeToLiveSpecification", map[string]*shape{
			"Enabled": shapeBoolean, "AttributeName": shapeString,
		}),
	}),
	"DescribeTimeToLive": structure("DescribeTimeToLiveInput", map[string]*shape{"TableName": shapeString}),
	"DescribeEndpoints":  structure("DescribeEndpointsRequest", map[string]*shape{}),
	"TagResource": structure("TagResourceInput", map[string]*shape{
		"ResourceArn": shapeString, "Tags": shapeTags,
	}),
	"UntagResource": structure("UntagResourceInput", map[string]*shape{
		"ResourceArn": shapeString, "TagKeys": shapeStrings,
	}),
	"ListTagsOfResource": structure("ListTagsOfResourceInput", map[string]*shape{
		"ResourceArn": shapeString, "NextToken": shapeString,
	}),
}

func init() {
	shapeValue.members = map[string]*shape{
		"S": shapeString, "N": shapeString, "B": shapeBlob, "BOOL": shapeBoolean, "NULL": shapeBoolean,
		"SS": shapeStrings, "NS": shapeStrings, "BS": listOf(shapeBlob),
		"L": listOf(shapeValue), "M": shapeValues,
	}
}

// javaType is the type DynamoDB's messages name for s.
func (s *shape) javaType() string {
	switch s.kind {
	case kindString:
		return "java.lang.String"
	case kindBoolean:
		return "java.lang.Boolean"
	case kindInteger:
		return "java.lang.Integer"
	case kindLong:
		return "java.lang.Long"
	case kindBlob:
		return "java.nio.ByteBuffer"
	case kindList:
		return "java.util.List<" + s.elem.javaType() + ">"
	case kindMap:
		return "java.util.Map<java.lang.String, " + s.elem.javaType() + ">"
	}
	return "com.amazonaws.dynamodb.v20120810." + s.name
}

// Messages of DynamoDB's SerializationException that do not depend on
// the value.
const (
	msgObjectFound = "Start of structure or map found where not expected"
	msgFieldType   = "Unexpected field type"
	msgValueType   = "Unexpected value type in payload"
	msgBoolString  = "Unexpected token received from parser"
	msgNotBase64   = "only base-64-encoded strings are convertible to bytes"
	msgLastBase64  = "Invalid last non-pad Base64 character dectected" // sic
	// msgCast is DynamoDB's answer to a scalar where a list that is a
	// map's value, or a map that is a list's member, belongs: its Java
	// deserializer fails on the generic type.
	msgCast = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class " +
		"(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')"
)

func serializationError(msg string) *apiError {
	return &apiError{code: codeSerialization, message: msg, status: http.StatusBadRequest}
}

// typeMismatch returns DynamoDB's SerializationException for the first
// value in body, in the body's order, whose JSON type s does not allow,
// or nil if there is none. A body that is not a JSON object, and
// anything after a JSON syntax error, is not looked at.
func typeMismatch(body []byte, s *shape) *apiError {
	if b := bytes.TrimSpace(body); len(b) == 0 || b[0] != '{' {
		return nil
	}
	return valueMismatch(body, s, atMember)
}

// valueMismatch is typeMismatch for data, one JSON value at pos.
func valueMismatch(data []byte, s *shape, pos position) *apiError {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if msg, _ := s.check(d, pos); msg != "" {
		return serializationError(msg)
	}
	return nil
}

// check reads the next value of d, which sits at pos, and returns what
// DynamoDB says of it or of the first value in it that s does not allow;
// "" if there is none. The error is d's, on a JSON syntax error.
func (s *shape) check(d *json.Decoder, pos position) (string, error) {
	tok, err := d.Token()
	if err != nil {
		return "", err
	}
	switch t := tok.(type) {
	case nil:
		return "", nil // null is an absent member
	case json.Delim:
		if t == '[' {
			if s.kind != kindList {
				return s.listFound(), nil
			}
			for d.More() {
				if msg, err := s.elem.check(d, atListMember); msg != "" || err != nil {
					return msg, err
				}
			}
			_, err := d.Token()
			return "", err
		}
		if s.kind != kindStruct && s.kind != kindMap {
			return msgObjectFound, nil
		}
		for d.More() {
			tok, err := d.Token()
			if err != nil {
				return "", err
			}
			name, _ := tok.(string)
			m, at := s.elem, atMapValue
			if s.kind == kindStruct {
				m, at = s.members[name], atMember
			}
			if m == nil {
				var skip json.RawMessage
				if err := d.Decode(&skip); err != nil {
					return "", err
				}
				continue
			}
			if msg, err := m.check(d, at); msg != "" || err != nil {
				return msg, err
			}
		}
		_, err := d.Token()
		return "", err
	}
	return s.scalarFound(tok, pos), nil
}

// listFound is DynamoDB's message for a JSON array where s belongs.
func (s *shape) listFound() string {
	if s.kind == kindMap {
		return "Unrecognized collection type " + s.javaType()
	}
	return "Unrecognized collection type class " + s.javaType()
}

// tokenName names a JSON scalar as DynamoDB's parser does: integers and
// decimals apart (34.56 is DECIMAL_VALUE; exponents are taken to be
// decimals too).
func tokenName(v any) string {
	switch v := v.(type) {
	case bool:
		if v {
			return "TRUE_VALUE"
		}
		return "FALSE_VALUE"
	case json.Number:
		if strings.ContainsAny(string(v), ".eE") {
			return "DECIMAL_VALUE"
		}
		return "NUMBER_VALUE"
	}
	return "STRING_VALUE"
}

// scalarFound is DynamoDB's message for the JSON scalar v (a string, a
// json.Number or a bool) at pos where s belongs, "" if s takes it.
func (s *shape) scalarFound(v any, pos position) string {
	_, isString := v.(string)
	switch s.kind {
	case kindString:
		if isString {
			return ""
		}
		return tokenName(v) + " cannot be converted to String"
	case kindBoolean:
		switch v.(type) {
		case bool:
			return ""
		case string:
			// Observed for "23"; taken to hold for "true" too, as the
			// message is about the token.
			return msgBoolString
		}
		return tokenName(v) + " cannot be converted to Boolean"
	case kindInteger, kindLong:
		if _, ok := v.(json.Number); ok {
			// A decimal, or an integer out of range, is left to the
			// decoder: DynamoDB's answer is not known.
			return ""
		}
		if s.kind == kindInteger {
			return tokenName(v) + " cannot be converted to Integer"
		}
		return tokenName(v) + " cannot be converted to Long"
	case kindBlob:
		if !isString {
			return msgNotBase64
		}
		return base64Mismatch(v.(string))
	case kindStruct:
		if pos == atMember {
			return msgFieldType
		}
		return msgValueType
	}
	// A list or a map.
	if pos == atMember {
		return msgFieldType
	}
	return msgCast
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// base64Mismatch is DynamoDB's message for s where base64 belongs, for
// the two faults its answers are known for: a length that is not a
// multiple of 4, and a last character before the padding that leaves
// bits over (observed for "+/+=" and "=+/="). Other invalid base64 gets
// "", and the decoder's refusal.
func base64Mismatch(s string) string {
	// The length is counted as Java counts a string, in UTF-16 units;
	// only ASCII lengths were observed.
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	if n%4 != 0 {
		return "Base64 encoded length is expected a multiple of 4 bytes but found: " + strconv.Itoa(n)
	}
	pad := 0
	for pad < 2 && pad < len(s) && s[len(s)-1-pad] == '=' {
		pad++
	}
	if pad == 0 || pad == len(s) {
		return ""
	}
	c := strings.IndexByte(base64Alphabet, s[len(s)-1-pad])
	spare := 3 // the bits of the last character that one '=' leaves over
	if pad == 2 {
		spare = 15
	}
	if c >= 0 && c&spare != 0 {
		return msgLastBase64
	}
	return ""
}
