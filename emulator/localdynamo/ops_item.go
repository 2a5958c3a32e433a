package localdynamo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
)

// Inputs and outputs of the single-item operations, in DynamoDB's JSON.

type exprParams struct {
	ExpressionAttributeNames  map[string]string `json:"ExpressionAttributeNames"`
	ExpressionAttributeValues exprValues        `json:"ExpressionAttributeValues"`
	ReturnConsumedCapacity    string            `json:"ReturnConsumedCapacity"`

	// The legacy parameters are refused rather than ignored, so that a
	// condition is never silently skipped.
	Expected            json.RawMessage `json:"Expected"`
	ConditionalOperator json.RawMessage `json:"ConditionalOperator"`
	KeyConditions       json.RawMessage `json:"KeyConditions"`
	QueryFilter         json.RawMessage `json:"QueryFilter"`
	ScanFilter          json.RawMessage `json:"ScanFilter"`
	AttributeUpdates    json.RawMessage `json:"AttributeUpdates"`
}

// exprValues is a request's ExpressionAttributeValues. An invalid value
// does not fail the request's decoding, as it would in an item: it is
// kept as a value without a type whose s is what is wrong with it, and
// exprSetup reports it, naming its key, once the keys are found valid.
// A value of the wrong JSON type fails the decoding, as in an item.
type exprValues map[string]*value

func (ev *exprValues) UnmarshalJSON(data []byte) error {
	// The values SDKs send decode on the fast path; anything else is
	// decoded value by value.
	d := decoder{b: data, wire: true}
	if m, ok := d.item(); ok && d.i == len(d.b) {
		*ev = exprValues(m)
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if raw == nil {
		*ev = nil
		return nil
	}
	m := make(exprValues, len(raw))
	for k, r := range raw {
		v := new(value)
		var err error = errEmptyValue
		if string(bytes.TrimSpace(r)) != "null" {
			err = v.UnmarshalJSON(r)
		}
		var ae *apiError
		switch {
		case err == nil:
		case errors.As(err, &ae) && ae.code != codeSerialization:
			v = &value{s: ae.message}
		default:
			return err
		}
		m[k] = v
	}
	*ev = m
	return nil
}

// checkLegacy refuses the legacy parameters in p. exprs names the
// expression parameters the request has and legacy the legacy ones the
// operation honours (AttributesToGet) that it has: DynamoDB refuses a mix
// of the two kinds before anything else.
func (p *exprParams) checkLegacy(exprs, legacy []string) error {
	var refused []string
	for _, l := range []struct {
		name string
		v    json.RawMessage
	}{
		{"AttributeUpdates", p.AttributeUpdates}, {"Expected", p.Expected}, {"QueryFilter", p.QueryFilter},
		{"ScanFilter", p.ScanFilter}, {"ConditionalOperator", p.ConditionalOperator}, {"KeyConditions", p.KeyConditions},
	} {
		if len(l.v) > 0 && string(l.v) != "null" {
			refused = append(refused, l.name)
		}
	}
	if len(exprs) > 0 && len(legacy)+len(refused) > 0 {
		return validationf("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {%s} Expression parameters: {%s}",
			strings.Join(append(legacy, refused...), ", "), strings.Join(exprs, ", "))
	}
	if len(refused) > 0 {
		return validationf("localdynamo does not support the legacy parameter %s; use expressions instead", refused[0])
	}
	return nil
}

// param is a request parameter's name and whether the request has it.
type param struct {
	name string
	set  bool
}

// present lists the names of the parameters the request has.
func present(params ...param) []string {
	var names []string
	for _, p := range params {
		if p.set {
			names = append(names, p.name)
		}
	}
	return names
}

type putItemInput struct {
	exprParams
	TableName                           string  `json:"TableName"`
	Item                                attrMap `json:"Item"`
	ConditionExpression                 *string `json:"ConditionExpression"`
	ReturnValues                        string  `json:"ReturnValues"`
	ReturnValuesOnConditionCheckFailure string  `json:"ReturnValuesOnConditionCheckFailure"`
	ReturnItemCollectionMetrics         string  `json:"ReturnItemCollectionMetrics"`
}

type writeOutput struct {
	Attributes            attrMap                `json:"Attributes,omitempty"`
	ConsumedCapacity      *consumedCapacity      `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics *itemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// itemCollectionMetrics reports an item collection: the items of one
// partition key in a table with local secondary indexes.
type itemCollectionMetrics struct {
	ItemCollectionKey   attrMap   `json:"ItemCollectionKey"`
	SizeEstimateRangeGB []float64 `json:"SizeEstimateRangeGB"`
}

// collectionMetrics is what a write with ReturnItemCollectionMetrics
// want reports for the item collection of key. DynamoDB reports item
// collections of tables with local secondary indexes only, and estimates
// their size as a range of gigabytes; the store's collections are far
// below its 10 GB limit, so the range is always [0, 1].
func collectionMetrics(t *table, want string, key attrMap) *itemCollectionMetrics {
	if want != "SIZE" {
		return nil
	}
	for _, ix := range t.order {
		if !ix.meta.Global {
			return &itemCollectionMetrics{ItemCollectionKey: attrMap{t.key.hash: key[t.key.hash]}, SizeEstimateRangeGB: []float64{0, 1}}
		}
	}
	return nil
}

// collections gathers, per table, the item collections a multi-item
// write touches on tables with local secondary indexes, each once, in the
// order first written: the ItemCollectionMetrics of BatchWriteItem and
// TransactWriteItems.
type collections struct {
	byTable map[string][]*itemCollectionMetrics
	seen    map[string]bool
}

// add notes the item collection of key in t, if want is SIZE.
func (c *collections) add(t *table, want string, key attrMap) {
	m := collectionMetrics(t, want, key)
	if m == nil {
		return
	}
	id := t.name() + "\x00" + keyString(key[t.key.hash])
	if c.seen[id] {
		return
	}
	if c.byTable == nil {
		c.byTable, c.seen = map[string][]*itemCollectionMetrics{}, map[string]bool{}
	}
	c.seen[id] = true
	c.byTable[t.name()] = append(c.byTable[t.name()], m)
}

type getItemInput struct {
	exprParams
	TableName            string  `json:"TableName"`
	Key                  attrMap `json:"Key"`
	ProjectionExpression *string `json:"ProjectionExpression"`
	ConsistentRead       bool    `json:"ConsistentRead"`
	AttributesToGet      []string
}

type getItemOutput struct {
	Item             json.RawMessage   `json:"Item,omitempty"`
	ConsumedCapacity *consumedCapacity `json:"ConsumedCapacity,omitempty"`
}

type deleteItemInput struct {
	exprParams
	TableName                           string  `json:"TableName"`
	Key                                 attrMap `json:"Key"`
	ConditionExpression                 *string `json:"ConditionExpression"`
	ReturnValues                        string  `json:"ReturnValues"`
	ReturnValuesOnConditionCheckFailure string  `json:"ReturnValuesOnConditionCheckFailure"`
	ReturnItemCollectionMetrics         string  `json:"ReturnItemCollectionMetrics"`
}

type updateItemInput struct {
	exprParams
	TableName                           string  `json:"TableName"`
	Key                                 attrMap `json:"Key"`
	UpdateExpression                    *string `json:"UpdateExpression"`
	ConditionExpression                 *string `json:"ConditionExpression"`
	ReturnValues                        string  `json:"ReturnValues"`
	ReturnValuesOnConditionCheckFailure string  `json:"ReturnValuesOnConditionCheckFailure"`
	ReturnItemCollectionMetrics         string  `json:"ReturnItemCollectionMetrics"`
}

func (o *writeOutput) appendJSON(b []byte) ([]byte, error) {
	if o == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '{')
	if len(o.Attributes) > 0 {
		b = append(b, `"Attributes":`...)
		b = appendItem(b, o.Attributes)
	}
	b, err := appendCapacity(b, len(o.Attributes) > 0, o.ConsumedCapacity)
	if err != nil {
		return b, err
	}
	if m := o.ItemCollectionMetrics; m != nil {
		if len(o.Attributes) > 0 || o.ConsumedCapacity != nil {
			b = append(b, ',')
		}
		b = append(b, `"ItemCollectionMetrics":{"ItemCollectionKey":`...)
		b = appendItem(b, m.ItemCollectionKey)
		size, err := json.Marshal(m.SizeEstimateRangeGB)
		if err != nil {
			return b, err
		}
		b = append(append(append(b, `,"SizeEstimateRangeGB":`...), size...), '}')
	}
	return append(b, '}'), nil
}

func (o *getItemOutput) appendJSON(b []byte) ([]byte, error) {
	if o == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '{')
	if len(o.Item) > 0 {
		b = append(b, `"Item":`...)
		b = append(b, o.Item...)
	}
	b, err := appendCapacity(b, len(o.Item) > 0, o.ConsumedCapacity)
	return append(b, '}'), err
}

// appendCapacity appends the member "ConsumedCapacity" of an output, if c
// is not nil, after a comma if more is true.
func appendCapacity(b []byte, more bool, c *consumedCapacity) ([]byte, error) {
	if c == nil {
		return b, nil
	}
	data, err := json.Marshal(c)
	if err != nil {
		return b, err
	}
	if more {
		b = append(b, ',')
	}
	b = append(b, `"ConsumedCapacity":`...)
	return append(b, data...), nil
}

// consumedCapacity reports capacity units the way DynamoDB does: the
// total, and with INDEXES the table's share and each index's. Only
// transactions split the units into reads and writes.
type consumedCapacity struct {
	TableName              string                    `json:"TableName"`
	CapacityUnits          float64                   `json:"CapacityUnits"`
	ReadCapacityUnits      float64                   `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits     float64                   `json:"WriteCapacityUnits,omitempty"`
	Table                  *capacityUnits            `json:"Table,omitempty"`
	LocalSecondaryIndexes  map[string]*capacityUnits `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes map[string]*capacityUnits `json:"GlobalSecondaryIndexes,omitempty"`
}

type capacityUnits struct {
	CapacityUnits      float64 `json:"CapacityUnits"`
	ReadCapacityUnits  float64 `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits float64 `json:"WriteCapacityUnits,omitempty"`
}

// readUnits is one unit per 4 KB read, halved for eventually consistent
// reads.
func readUnits(size int, consistent bool) float64 {
	u := math.Max(1, math.Ceil(float64(size)/4096))
	if !consistent {
		u /= 2
	}
	return u
}

// writeUnits is one unit per 1 KB written.
func writeUnits(size int) float64 {
	return math.Max(1, math.Ceil(float64(size)/1024))
}

// wantsCapacity reports whether ReturnConsumedCapacity mode asks for a
// report.
func wantsCapacity(mode string) bool { return mode == "TOTAL" || mode == "INDEXES" }

// consumed reports the units of a read, or of a write that touches no
// index, as the aggregate alone.
func consumed(mode, table string, units float64) *consumedCapacity {
	if !wantsCapacity(mode) {
		return nil
	}
	c := &consumedCapacity{TableName: table, CapacityUnits: units}
	if mode == "INDEXES" {
		c.Table = &capacityUnits{CapacityUnits: units}
	}
	return c
}

// consumedRead reports the units of a Query or Scan of ix (nil: the
// table). With INDEXES, DynamoDB charges a read of an index to the index
// and reports the table's share as 0.
func consumedRead(mode, table string, ix *index, units float64) *consumedCapacity {
	c := consumed(mode, table, units)
	if c == nil || c.Table == nil || ix == nil {
		return c
	}
	c.Table.CapacityUnits = 0
	arm := map[string]*capacityUnits{ix.meta.IndexName: {CapacityUnits: units}}
	if ix.meta.Global {
		c.GlobalSecondaryIndexes = arm
	} else {
		c.LocalSecondaryIndexes = arm
	}
	return c
}

// consumedSplit reports the units of a transaction, which DynamoDB also
// reports as read or write units.
func consumedSplit(mode, table string, read bool, units float64) *consumedCapacity {
	if !wantsCapacity(mode) {
		return nil
	}
	c := &consumedCapacity{TableName: table, CapacityUnits: units}
	if read {
		c.ReadCapacityUnits = units
	} else {
		c.WriteCapacityUnits = units
	}
	if mode == "INDEXES" {
		c.Table = &capacityUnits{CapacityUnits: units, ReadCapacityUnits: c.ReadCapacityUnits, WriteCapacityUnits: c.WriteCapacityUnits}
	}
	return c
}

// writeCost is the capacity units writes to a table consume: the table's,
// and those of each index whose entries they change.
type writeCost struct {
	table         float64
	global, local map[string]float64
}

// add counts the write of new in place of old (either nil if absent),
// tableUnits for the table.
func (c *writeCost) add(t *table, old, new attrMap, tableUnits float64) {
	c.table += tableUnits
	for _, ix := range t.order {
		u := indexWriteUnits(t, ix, old, new)
		if u == 0 {
			continue
		}
		m := &c.local
		if ix.meta.Global {
			m = &c.global
		}
		if *m == nil {
			*m = map[string]float64{}
		}
		(*m)[ix.meta.IndexName] += u
	}
}

// report renders the cost for ReturnConsumedCapacity mode: the total,
// and with INDEXES the table's share and each index charged (an index the
// writes did not change has no entry).
func (c *writeCost) report(mode, table string) *consumedCapacity {
	if !wantsCapacity(mode) {
		return nil
	}
	total := c.table
	for _, u := range c.global {
		total += u
	}
	for _, u := range c.local {
		total += u
	}
	cc := &consumedCapacity{TableName: table, CapacityUnits: total}
	if mode == "INDEXES" {
		cc.Table = &capacityUnits{CapacityUnits: c.table}
		cc.GlobalSecondaryIndexes = indexArms(c.global)
		cc.LocalSecondaryIndexes = indexArms(c.local)
	}
	return cc
}

func indexArms(m map[string]float64) map[string]*capacityUnits {
	if len(m) == 0 {
		return nil
	}
	arms := make(map[string]*capacityUnits, len(m))
	for name, u := range m {
		arms[name] = &capacityUnits{CapacityUnits: u}
	}
	return arms
}

// indexWriteUnits is what writing new in place of old costs index ix:
// nothing if the index's entry does not change, one write of the entry
// added, removed or rewritten, and two (a delete and an insert) when the
// entry's key changes.
func indexWriteUnits(t *table, ix *index, old, new attrMap) float64 {
	po, pn := t.project(ix, old), t.project(ix, new)
	switch {
	case po == nil && pn == nil:
		return 0
	case po == nil:
		return writeUnits(pn.size())
	case pn == nil:
		return writeUnits(po.size())
	}
	oh, or := indexKey(ix, old)
	nh, nr := indexKey(ix, new)
	if !bytes.Equal(oh, nh) || !bytes.Equal(or, nr) {
		return writeUnits(po.size()) + writeUnits(pn.size())
	}
	if sameItem(po, pn) {
		return 0
	}
	return writeUnits(pn.size())
}

// sameItem reports whether items a and b hold equal attributes.
func sameItem(a, b attrMap) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !equal(v, b[k]) {
			return false
		}
	}
	return true
}

// wordChar reports whether c is in [A-Za-z0-9_].
func wordChar(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// validTableName reports whether name matches [a-zA-Z0-9_.-]+.
func validTableName(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; !wordChar(c) && c != '.' && c != '-' {
			return false
		}
	}
	return name != ""
}

// validPlaceholder reports whether k is sigil followed by [A-Za-z0-9_]+,
// the shape of the keys of ExpressionAttributeNames (#) and
// ExpressionAttributeValues (:).
func validPlaceholder(k string, sigil byte) bool {
	if len(k) < 2 || k[0] != sigil {
		return false
	}
	for i := 1; i < len(k); i++ {
		if !wordChar(k[i]) {
			return false
		}
	}
	return true
}

// checkTableName validates a table name as DynamoDB's request validation
// does. An empty table name (in a member called tableName) is taken as
// absent: the handler refuses an empty TableName before operations run.
func checkTableName(name, field string) error {
	switch {
	case strings.HasPrefix(name, "arn:") && len(name) <= 1024:
		// An ARN the store did not resolve to one of its tables: the
		// lookup fails as for a missing table.
		return nil
	case name == "" && strings.HasSuffix(field, "tableName"):
		return validationf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
	case len(name) < 3:
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 3", name, field)
	case len(name) > 255:
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to 255", name, field)
	case !validTableName(name):
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+", name, field)
	}
	return nil
}

// exprSetup validates ExpressionAttributeNames and ExpressionAttributeValues
// against the expression parameters the request has (exprs, by name); legacy
// names the legacy parameters it has that the operation honours.
func exprSetup(p *exprParams, exprs []string, legacy ...string) (*exprContext, error) {
	if err := p.checkLegacy(exprs, legacy); err != nil {
		return nil, err
	}
	hasExpr := len(exprs) > 0
	if p.ReturnConsumedCapacity != "" && p.ReturnConsumedCapacity != "TOTAL" && p.ReturnConsumedCapacity != "INDEXES" && p.ReturnConsumedCapacity != "NONE" {
		return nil, validationf("1 validation error detected: Value '%s' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]", p.ReturnConsumedCapacity)
	}
	if p.ExpressionAttributeNames != nil {
		if !hasExpr {
			return nil, validationf("ExpressionAttributeNames can only be specified when using expressions")
		}
		if len(p.ExpressionAttributeNames) == 0 {
			return nil, validationf("ExpressionAttributeNames must not be empty")
		}
		for _, k := range sortedKeys(p.ExpressionAttributeNames) {
			if !validPlaceholder(k, '#') {
				return nil, validationf("ExpressionAttributeNames contains invalid key: Syntax error; key: \"%s\"", k)
			}
		}
	}
	if p.ExpressionAttributeValues != nil {
		if !hasExpr {
			return nil, validationf("ExpressionAttributeValues can only be specified when using expressions")
		}
		if len(p.ExpressionAttributeValues) == 0 {
			return nil, validationf("ExpressionAttributeValues must not be empty")
		}
		keys := sortedKeys(p.ExpressionAttributeValues)
		for _, k := range keys {
			if !validPlaceholder(k, ':') {
				return nil, validationf("ExpressionAttributeValues contains invalid key: Syntax error; key: \"%s\"", k)
			}
		}
		for _, k := range keys {
			switch v := p.ExpressionAttributeValues[k]; {
			case v == nil:
				return nil, validationf("ExpressionAttributeValues contains invalid value: %s for key %s", errEmptyValue.message, k)
			case v.t == "":
				return nil, validationf("ExpressionAttributeValues contains invalid value: %s for key %s", v.s, k)
			}
		}
	}
	return newExprContext(p.ExpressionAttributeNames, p.ExpressionAttributeValues), nil
}

func checkValues(it attrMap) error {
	for _, v := range it {
		if v == nil {
			return errEmptyValue
		}
	}
	return nil
}

func checkReturnValues(rv string, update bool) error {
	switch rv {
	case "", "NONE", "ALL_OLD":
		return nil
	case "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW":
		if update {
			return nil
		}
		return validationf("ReturnValues can only be ALL_OLD or NONE")
	}
	return validationf("1 validation error detected: Value '%s' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]", rv)
}

func checkReturnOnFailure(rv string) error {
	switch rv {
	case "", "NONE", "ALL_OLD":
		return nil
	}
	return validationf("1 validation error detected: Value '%s' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]", rv)
}

// failedCondition is ConditionalCheckFailedException, carrying the item
// when the request asked for it.
func failedCondition(rv string, old attrMap) error {
	if rv == "ALL_OLD" {
		return conditionFailed(old)
	}
	return conditionFailed(nil)
}

func optCondition(ctx *exprContext, expr *string) (*node, error) {
	if expr == nil {
		return nil, nil
	}
	return parseCondition("ConditionExpression", *expr, ctx)
}

// checkItemTarget validates what a single-item request names: the table,
// and the item or key it carries in the member called member ("item" or
// "key").
func checkItemTarget(tableName, member string, it attrMap) error {
	if err := checkTableName(tableName, "tableName"); err != nil {
		return err
	}
	if it == nil {
		return validationf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
	}
	return checkValues(it)
}

// checkWriteReturns validates a write's ReturnValues (rv) and
// ReturnValuesOnConditionCheckFailure (onFailure); update allows the
// values only UpdateItem accepts.
func checkWriteReturns(rv, onFailure string, update bool) error {
	if err := checkReturnValues(rv, update); err != nil {
		return err
	}
	return checkReturnOnFailure(onFailure)
}

// checkReturnMetrics validates ReturnItemCollectionMetrics.
func checkReturnMetrics(rm string) error {
	switch rm {
	case "", "SIZE", "NONE":
		return nil
	}
	return validationf("1 validation error detected: Value '%s' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]", rm)
}

// checkWriteRequest makes the request checks that PutItem, UpdateItem and
// DeleteItem report inside the "1 validation error detected: " envelope,
// where TransactWriteItems reports the same faults bare.
func checkWriteRequest(p *exprParams, update, condition *string) error {
	var msg string
	switch {
	case p.ExpressionAttributeNames == nil && p.ExpressionAttributeValues == nil && condition == nil:
		return nil
	case update == nil && condition == nil && p.ExpressionAttributeValues != nil:
		msg = "ExpressionAttributeValues can only be specified when using expressions"
	case update == nil && condition == nil:
		msg = "ExpressionAttributeNames can only be specified when using expressions"
	case p.ExpressionAttributeValues != nil && len(p.ExpressionAttributeValues) == 0:
		msg = "ExpressionAttributeValues must not be empty"
	case p.ExpressionAttributeNames != nil && len(p.ExpressionAttributeNames) == 0:
		msg = "ExpressionAttributeNames must not be empty"
	case condition != nil && strings.TrimSpace(*condition) == "":
		msg = "Invalid ConditionExpression: The expression can not be empty;"
	default:
		return nil
	}
	return validationf("1 validation error detected: %s", msg)
}

// writeExprs validates p against a write's expressions, parses the update
// and condition expressions (either may be nil) and checks that every name
// and value in p is used.
func writeExprs(p *exprParams, update, condition *string) ([]updateAction, *node, error) {
	ectx, err := exprSetup(p, present(param{"UpdateExpression", update != nil}, param{"ConditionExpression", condition != nil}))
	if err != nil {
		return nil, nil, err
	}
	var acts []updateAction
	if update != nil {
		if acts, err = parseUpdate(*update, ectx); err != nil {
			return nil, nil, err
		}
	}
	cond, err := optCondition(ectx, condition)
	if err != nil {
		return nil, nil, err
	}
	if err := ectx.checkUnused(); err != nil {
		return nil, nil, err
	}
	return acts, cond, nil
}

// projectionExprs validates p against a read's projection expression
// (nil if absent), parses it and checks that every name in p is used. The
// paths are nil when there is no projection. attributesToGet is the legacy
// AttributesToGet, which may not come with the projection.
func projectionExprs(p *exprParams, projection *string, attributesToGet []string) ([]docPath, error) {
	ectx, err := exprSetup(p, present(param{"ProjectionExpression", projection != nil}),
		present(param{"AttributesToGet", attributesToGet != nil})...)
	if err != nil {
		return nil, err
	}
	var paths []docPath
	if projection != nil {
		if paths, err = parseProjection(*projection, ectx); err != nil {
			return nil, err
		}
	}
	if err := ectx.checkUnused(); err != nil {
		return nil, err
	}
	return paths, nil
}

// tableForKey looks up the table called name and checks that key is a
// primary key of it.
func (s *Store) tableForKey(name string, key attrMap) (*table, error) {
	t, err := s.table(name)
	if err != nil {
		return nil, err
	}
	if err := t.checkKey(key); err != nil {
		return nil, err
	}
	return t, nil
}

// itemForWrite reads, within tx, the item of t with the key of item that
// a write replaces (nil if none), and tests the write's condition, if any,
// against it: a failed condition is ConditionalCheckFailedException, with
// the item when onFailure is ALL_OLD.
func (s *Store) itemForWrite(ctx context.Context, tx querier, t *table, item attrMap, cond *node, onFailure string) (attrMap, error) {
	old, err := s.getItem(ctx, tx, t, item)
	if err != nil {
		return nil, err
	}
	if cond != nil && !test(cond, old) {
		return nil, failedCondition(onFailure, old)
	}
	return old, nil
}

func (s *Store) putItem(ctx context.Context, in *putItemInput) (*writeOutput, error) {
	if err := checkItemTarget(in.TableName, "item", in.Item); err != nil {
		return nil, err
	}
	if err := checkWriteReturns(in.ReturnValues, in.ReturnValuesOnConditionCheckFailure, false); err != nil {
		return nil, err
	}
	if err := checkReturnMetrics(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	if err := checkWriteRequest(&in.exprParams, nil, in.ConditionExpression); err != nil {
		return nil, err
	}
	_, cond, err := writeExprs(&in.exprParams, nil, in.ConditionExpression)
	if err != nil {
		return nil, err
	}
	var old attrMap
	var t *table
	err = s.write(func(tx querier) error {
		var err error
		if t, err = s.table(in.TableName); err != nil {
			return err
		}
		if err := t.checkItem(in.Item); err != nil {
			return err
		}
		if err := s.authorize(ctx, &Access{Action: "dynamodb:PutItem", Table: t.name(), LeadingKeys: []string{keyString(in.Item[t.key.hash])},
			Attributes: attrNames(sortedKeys(in.Item), nodePaths(cond)), ReturnValues: orNone(in.ReturnValues), ReturnConsumedCapacity: orNone(in.ReturnConsumedCapacity)}); err != nil {
			return err
		}
		// The item replaced matters to a condition, to ALL_OLD, to the
		// capacity report (the larger item counts) and to the index
		// entries to remove; otherwise the row is simply overwritten.
		if cond != nil || in.ReturnValues == "ALL_OLD" || wantsCapacity(in.ReturnConsumedCapacity) || len(t.order) > 0 {
			if old, err = s.itemForWrite(ctx, tx, t, in.Item, cond, in.ReturnValuesOnConditionCheckFailure); err != nil {
				return err
			}
		}
		return s.putRow(ctx, tx, t, old, in.Item)
	})
	if err != nil {
		return nil, err
	}
	var cost writeCost
	if wantsCapacity(in.ReturnConsumedCapacity) { // indexes' shares cost a projection each
		cost.add(t, old, in.Item, writeUnits(max(in.Item.size(), old.size())))
	}
	out := &writeOutput{ConsumedCapacity: cost.report(in.ReturnConsumedCapacity, t.name()),
		ItemCollectionMetrics: collectionMetrics(t, in.ReturnItemCollectionMetrics, in.Item)}
	if in.ReturnValues == "ALL_OLD" {
		out.Attributes = old
	}
	return out, nil
}

func (s *Store) getItemOp(ctx context.Context, in *getItemInput) (*getItemOutput, error) {
	if err := checkItemTarget(in.TableName, "key", in.Key); err != nil {
		return nil, err
	}
	paths, err := projectionExprs(&in.exprParams, in.ProjectionExpression, in.AttributesToGet)
	if err != nil {
		return nil, err
	}
	paths = append(paths, legacyAttrs(in.AttributesToGet)...)
	t, err := s.tableForKey(in.TableName, in.Key)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(ctx, &Access{Action: "dynamodb:GetItem", Table: t.name(), LeadingKeys: []string{keyString(in.Key[t.key.hash])}, Attributes: attrsOf(paths),
		Select: selectKey("", paths != nil, false), ReturnConsumedCapacity: orNone(in.ReturnConsumedCapacity)}); err != nil {
		return nil, err
	}
	var doc []byte
	err = s.read(func(q querier) (err error) {
		doc, err = s.getDoc(ctx, q, t, in.Key)
		return err
	})
	if err != nil {
		return nil, s.dbError(err)
	}
	out := &getItemOutput{}
	if paths == nil && !wantsCapacity(in.ReturnConsumedCapacity) {
		// The stored document is the item's encoding: no need to decode
		// it.
		out.Item = doc
		return out, nil
	}
	var it attrMap
	if doc != nil {
		if it, err = decodeItem(doc); err != nil {
			return nil, s.dbError(err)
		}
	}
	out.ConsumedCapacity = consumed(in.ReturnConsumedCapacity, t.name(), readUnits(it.size(), in.ConsistentRead))
	if it != nil {
		if paths != nil {
			it = project(it, paths)
		}
		// A projection that matches nothing still answers "Item": {}.
		out.Item = rawItem(it)
	}
	return out, nil
}

func rawItem(it attrMap) json.RawMessage {
	if it == nil {
		it = attrMap{}
	}
	return appendItem(nil, it)
}

func legacyAttrs(names []string) []docPath {
	var ps []docPath
	for _, n := range names {
		ps = append(ps, docPath{{name: n}})
	}
	return ps
}

// attrsOf lists the top-level attributes a projection reads; nil means all.
func attrsOf(paths []docPath) []string {
	if paths == nil {
		return nil
	}
	return topNames(paths)
}

func (s *Store) deleteItem(ctx context.Context, in *deleteItemInput) (*writeOutput, error) {
	if err := checkItemTarget(in.TableName, "key", in.Key); err != nil {
		return nil, err
	}
	switch in.ReturnValues {
	case "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW":
		// Enveloped here, bare in PutItem.
		return nil, validationf("1 validation error detected: ReturnValues can only be ALL_OLD or NONE")
	}
	if err := checkWriteReturns(in.ReturnValues, in.ReturnValuesOnConditionCheckFailure, false); err != nil {
		return nil, err
	}
	if err := checkReturnMetrics(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	if err := checkWriteRequest(&in.exprParams, nil, in.ConditionExpression); err != nil {
		return nil, err
	}
	_, cond, err := writeExprs(&in.exprParams, nil, in.ConditionExpression)
	if err != nil {
		return nil, err
	}
	var old attrMap
	var t *table
	err = s.write(func(tx querier) error {
		var err error
		if t, err = s.tableForKey(in.TableName, in.Key); err != nil {
			return err
		}
		// A delete removes every attribute: its Attributes are nil, all
		// of them, those its condition evaluates included.
		if err := s.authorize(ctx, &Access{Action: "dynamodb:DeleteItem", Table: t.name(), LeadingKeys: []string{keyString(in.Key[t.key.hash])},
			ReturnValues: orNone(in.ReturnValues), ReturnConsumedCapacity: orNone(in.ReturnConsumedCapacity)}); err != nil {
			return err
		}
		if old, err = s.itemForWrite(ctx, tx, t, in.Key, cond, in.ReturnValuesOnConditionCheckFailure); err != nil {
			return err
		}
		if old == nil {
			return nil
		}
		return s.deleteRow(ctx, tx, t, old)
	})
	if err != nil {
		return nil, err
	}
	var cost writeCost
	if wantsCapacity(in.ReturnConsumedCapacity) { // indexes' shares cost a projection each
		cost.add(t, old, nil, writeUnits(old.size()))
	}
	out := &writeOutput{ConsumedCapacity: cost.report(in.ReturnConsumedCapacity, t.name()),
		ItemCollectionMetrics: collectionMetrics(t, in.ReturnItemCollectionMetrics, in.Key)}
	if in.ReturnValues == "ALL_OLD" {
		out.Attributes = old
	}
	return out, nil
}

// checkKeyUpdates rejects updates of primary key attributes.
func checkKeyUpdates(t *table, acts []updateAction) error {
	for _, a := range acts {
		if t.isKeyAttr(a.path[0].name) {
			return validationf("One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key", a.path[0].name)
		}
	}
	return nil
}

func updatedPaths(acts []updateAction) []docPath {
	ps := make([]docPath, len(acts))
	for i, a := range acts {
		ps[i] = a.path
	}
	return ps
}

func (s *Store) updateItem(ctx context.Context, in *updateItemInput) (*writeOutput, error) {
	if err := checkItemTarget(in.TableName, "key", in.Key); err != nil {
		return nil, err
	}
	if err := checkWriteReturns(in.ReturnValues, in.ReturnValuesOnConditionCheckFailure, true); err != nil {
		return nil, err
	}
	if err := checkReturnMetrics(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	if err := checkWriteRequest(&in.exprParams, in.UpdateExpression, in.ConditionExpression); err != nil {
		return nil, err
	}
	acts, cond, err := writeExprs(&in.exprParams, in.UpdateExpression, in.ConditionExpression)
	if err != nil {
		if ae := asAPIError(err); ae.code == codeValidation && strings.HasPrefix(ae.message, "Invalid ConditionExpression: An expression attribute value used in expression is not defined;") {
			// UpdateItem reports this one enveloped, PutItem and DeleteItem bare.
			return nil, validationf("1 validation error detected: %s", ae.message)
		}
		return nil, err
	}
	// UpdateItem holds its values to the nesting limit of items, whether
	// they go into the item or only into the condition (TransactWriteItems
	// does not).
	if tooDeep(attrMap(in.ExpressionAttributeValues)) {
		return nil, errNesting()
	}
	var old, new attrMap
	var t *table
	err = s.write(func(tx querier) error {
		var err error
		if t, err = s.tableForKey(in.TableName, in.Key); err != nil {
			return err
		}
		if err := checkKeyUpdates(t, acts); err != nil {
			return err
		}
		if err := s.authorize(ctx, &Access{Action: "dynamodb:UpdateItem", Table: t.name(), LeadingKeys: []string{keyString(in.Key[t.key.hash])},
			Attributes: updateAttrs(t, acts, cond), ReturnValues: orNone(in.ReturnValues), ReturnConsumedCapacity: orNone(in.ReturnConsumedCapacity)}); err != nil {
			return err
		}
		if old, err = s.itemForWrite(ctx, tx, t, in.Key, cond, in.ReturnValuesOnConditionCheckFailure); err != nil {
			return err
		}
		if new, err = applyUpdate(acts, old, in.Key); err != nil {
			return err
		}
		if err := t.checkUpdated(new); err != nil {
			return err
		}
		return s.putRow(ctx, tx, t, old, new)
	})
	if err != nil {
		return nil, err
	}
	var cost writeCost
	if wantsCapacity(in.ReturnConsumedCapacity) { // indexes' shares cost a projection each
		cost.add(t, old, new, writeUnits(max(new.size(), old.size())))
	}
	out := &writeOutput{ConsumedCapacity: cost.report(in.ReturnConsumedCapacity, t.name()),
		ItemCollectionMetrics: collectionMetrics(t, in.ReturnItemCollectionMetrics, in.Key)}
	switch in.ReturnValues {
	case "ALL_OLD":
		out.Attributes = old
	case "ALL_NEW":
		out.Attributes = new
	case "UPDATED_OLD":
		out.Attributes = nonEmpty(project(old, updatedPaths(acts)))
	case "UPDATED_NEW":
		out.Attributes = nonEmpty(project(new, updatedPaths(acts)))
	}
	return out, nil
}

func nonEmpty(it attrMap) attrMap {
	if len(it) == 0 {
		return nil
	}
	return it
}

// updateAttrs lists, for authorization, the attributes an update writes,
// key included, and those it evaluates: the operands of its SET actions
// (SET a = b reads b) and the attributes of its condition cond (nil if
// none).
func updateAttrs(t *table, acts []updateAction, cond *node) []string {
	ps := updatedPaths(acts)
	for _, a := range acts {
		ps = append(ps, nodePaths(a.val)...)
	}
	return attrNames(t.key.attrs(), ps, nodePaths(cond))
}
