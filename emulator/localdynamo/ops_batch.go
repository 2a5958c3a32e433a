package localdynamo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

type keysAndAttrs struct {
	Keys                     []attrMap         `json:"Keys"`
	ProjectionExpression     *string           `json:"ProjectionExpression"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames"`
	ConsistentRead           bool              `json:"ConsistentRead"`
	AttributesToGet          []string          `json:"AttributesToGet"`
}

type batchGetInput struct {
	RequestItems           map[string]*keysAndAttrs `json:"RequestItems"`
	ReturnConsumedCapacity string                   `json:"ReturnConsumedCapacity"`
}

type batchGetOutput struct {
	Responses        map[string][]attrMap     `json:"Responses"`
	UnprocessedKeys  map[string]*keysAndAttrs `json:"UnprocessedKeys"`
	ConsumedCapacity []*consumedCapacity      `json:"ConsumedCapacity,omitempty"`
}

func checkRequestItems(n int, field string) error {
	if n == 0 {
		return validationf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
	}
	return nil
}

// badRequestItemsKey is BatchGetItem's answer to a malformed table name:
// a constraint on the keys of RequestItems, which the message echoes as
// JSON.
func badRequestItemsKey(items map[string]*keysAndAttrs) error {
	type echo struct {
		Keys                     []attrMap         `json:"Keys"`
		ProjectionExpression     *string           `json:"ProjectionExpression,omitempty"`
		ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
		ConsistentRead           bool              `json:"ConsistentRead,omitempty"`
		AttributesToGet          []string          `json:"AttributesToGet,omitempty"`
	}
	m := make(map[string]echo, len(items))
	for name, ka := range items {
		m[name] = echo(*ka)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return err
	}
	return validationf("1 validation error detected: Value '%s' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: "+
		"[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]",
		strings.TrimSuffix(b.String(), "\n"))
}

// keyID identifies an item's primary key, for duplicate detection.
func keyID(t *table, it attrMap) string {
	h, r := t.primaryKey(it)
	return t.name() + "\x00" + string(h) + "\x00" + string(r)
}

// resolveRequestItems renames the members of a batch's RequestItems that
// name a table by its ARN to its name (see Store.tableName), and returns
// the ARN each such table was named by. When a request names a table both
// ways, its ARN stays apart, and fails as a table the store does not have.
func resolveRequestItems[V any](s *Store, m map[string]V) map[string]string {
	var byARN map[string]string
	for _, k := range sortedKeys(m) {
		n := s.tableName(k)
		if _, dup := m[n]; n == k || dup {
			continue
		}
		m[n] = m[k]
		delete(m, k)
		if byARN == nil {
			byARN = map[string]string{}
		}
		byARN[n] = k
	}
	return byARN
}

func (s *Store) batchGetItem(ctx context.Context, in *batchGetInput) (*batchGetOutput, error) {
	if in.RequestItems != nil && len(in.RequestItems) == 0 {
		return nil, validationf("1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	// Responses are keyed as the request named each table.
	byARN := resolveRequestItems(s, in.RequestItems)
	if err := checkRequestItems(len(in.RequestItems), "requestItems"); err != nil {
		return nil, err
	}
	total := 0
	// A projection given as an expression for one table and as
	// AttributesToGet for another mixes the two kinds in one request.
	var legacy, expr bool
	for _, name := range sortedKeys(in.RequestItems) {
		ka := in.RequestItems[name]
		if ka != nil {
			legacy = legacy || ka.AttributesToGet != nil
			expr = expr || ka.ProjectionExpression != nil
		}
		switch {
		case ka == nil || ka.Keys == nil:
			return nil, validationf("1 validation error detected: Value null at 'requestItems.member.keys' failed to satisfy constraint: Member must not be null")
		case len(ka.Keys) == 0:
			return nil, validationf("1 validation error detected: Value at 'RequestItems.%s.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1", name)
		case len(ka.Keys) > 100:
			return nil, validationf("1 validation error detected: Value at 'RequestItems.%s.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100", name)
		}
		if legacy && expr {
			return nil, validationf("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")
		}
		if len(name) < 3 || len(name) > 255 || !validTableName(name) {
			return nil, badRequestItemsKey(in.RequestItems)
		}
		total += len(ka.Keys)
	}
	if total > 100 {
		return nil, validationf("Too many items requested for the BatchGetItem call")
	}
	out := &batchGetOutput{Responses: map[string][]attrMap{}, UnprocessedKeys: map[string]*keysAndAttrs{}}
	type plan struct {
		t     *table
		ka    *keysAndAttrs
		paths []docPath
	}
	var plans []plan
	for _, name := range sortedKeys(in.RequestItems) {
		ka := in.RequestItems[name]
		if err := checkTableName(name, "requestItems"); err != nil {
			return nil, err
		}
		ep := exprParams{ExpressionAttributeNames: ka.ExpressionAttributeNames, ReturnConsumedCapacity: in.ReturnConsumedCapacity}
		paths, err := projectionExprs(&ep, ka.ProjectionExpression, ka.AttributesToGet)
		if err != nil {
			return nil, err
		}
		paths = append(paths, legacyAttrs(ka.AttributesToGet)...)
		t, err := s.table(name)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, k := range ka.Keys {
			if err := checkValues(k); err != nil {
				return nil, err
			}
			if err := t.checkKey(k); err != nil {
				return nil, err
			}
			id := keyID(t, k)
			if seen[id] {
				return nil, validationf("Provided list of item keys contains duplicates")
			}
			seen[id] = true
			if err := s.authorize(ctx, &Access{Action: "dynamodb:BatchGetItem", Table: name, LeadingKeys: []string{keyString(k[t.key.hash])}, Attributes: attrsOf(paths),
				Select: selectKey("", paths != nil, false), ReturnConsumedCapacity: orNone(in.ReturnConsumedCapacity)}); err != nil {
				return nil, err
			}
		}
		plans = append(plans, plan{t, ka, paths})
	}
	for _, p := range plans {
		items := []attrMap{}
		// DynamoDB reads each key as a GetItem of its own: each item's
		// size rounded up to 4 KB, and a missing item still a read
		// (the developer guide's "Read and write operations").
		units := 0.0
		err := s.read(func(q querier) error {
			for _, k := range p.ka.Keys {
				it, err := s.getItem(ctx, q, p.t, k)
				if err != nil {
					return err
				}
				units += readUnits(it.size(), p.ka.ConsistentRead) // nil: a missing item's read
				if it == nil {
					continue
				}
				if p.paths != nil {
					it = project(it, p.paths)
				}
				items = append(items, it)
			}
			return nil
		})
		if err != nil {
			return nil, s.dbError(err)
		}
		key := p.t.name()
		if arn, ok := byARN[key]; ok {
			key = arn
		}
		out.Responses[key] = items
		if c := consumed(in.ReturnConsumedCapacity, p.t.name(), units); c != nil {
			out.ConsumedCapacity = append(out.ConsumedCapacity, c)
		}
	}
	return out, nil
}

type writeRequest struct {
	PutRequest *struct {
		Item attrMap `json:"Item"`
	} `json:"PutRequest,omitempty"`
	DeleteRequest *struct {
		Key attrMap `json:"Key"`
	} `json:"DeleteRequest,omitempty"`
}

type batchWriteInput struct {
	RequestItems                map[string][]writeRequest `json:"RequestItems"`
	ReturnConsumedCapacity      string                    `json:"ReturnConsumedCapacity"`
	ReturnItemCollectionMetrics string                    `json:"ReturnItemCollectionMetrics"`
}

type batchWriteOutput struct {
	UnprocessedItems      map[string][]writeRequest           `json:"UnprocessedItems"`
	ConsumedCapacity      []*consumedCapacity                 `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics map[string][]*itemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

func (s *Store) batchWriteItem(ctx context.Context, in *batchWriteInput) (*batchWriteOutput, error) {
	if in.RequestItems != nil && len(in.RequestItems) == 0 {
		return nil, validationf("The requestItems parameter is required for BatchWriteItem")
	}
	resolveRequestItems(s, in.RequestItems)
	if err := checkRequestItems(len(in.RequestItems), "requestItems"); err != nil {
		return nil, err
	}
	if err := checkReturnMetrics(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	total := 0
	for _, name := range sortedKeys(in.RequestItems) {
		reqs := in.RequestItems[name]
		total += len(reqs)
		switch {
		case len(reqs) == 0:
			return nil, validationf("1 validation error detected: Value at 'RequestItems.%s.member' failed to satisfy constraint: Member must have length greater than or equal to 1", name)
		case len(reqs) > 25:
			return nil, validationf("1 validation error detected: Value at 'RequestItems.%s.member' failed to satisfy constraint: Member must have length less than or equal to 25", name)
		}
	}
	if total > 25 {
		return nil, validationf("Too many items requested for the BatchWriteItem call")
	}
	wantCost := wantsCapacity(in.ReturnConsumedCapacity)
	costs := map[string]*writeCost{}
	cost := func(t *table) *writeCost {
		c := costs[t.name()]
		if c == nil {
			c = &writeCost{}
			costs[t.name()] = c
		}
		return c
	}
	var colls collections
	err := s.write(func(tx querier) error {
		seen := map[string]bool{}
		type op struct {
			t   *table
			put attrMap
			key attrMap
		}
		var ops []op
		for _, name := range sortedKeys(in.RequestItems) {
			if err := checkTableName(name, "requestItems"); err != nil {
				return err
			}
			t, err := s.table(name)
			if err != nil {
				return err
			}
			for _, wr := range in.RequestItems[name] {
				var o op
				o.t = t
				switch {
				case wr.PutRequest != nil && wr.DeleteRequest == nil:
					if err := checkValues(wr.PutRequest.Item); err != nil {
						return err
					}
					// A put request's key of the wrong type does not match
					// the schema, where PutItem names the types.
					for _, a := range t.key.attrs() {
						if v := wr.PutRequest.Item[a]; v != nil && v.t != t.types[a] {
							return validationf("The provided key element does not match the schema")
						}
					}
					if err := t.checkItem(wr.PutRequest.Item); err != nil {
						return err
					}
					o.put, o.key = wr.PutRequest.Item, t.keyOf(wr.PutRequest.Item)
				case wr.DeleteRequest != nil && wr.PutRequest == nil:
					if err := checkValues(wr.DeleteRequest.Key); err != nil {
						return err
					}
					if err := t.checkKey(wr.DeleteRequest.Key); err != nil {
						return err
					}
					o.key = wr.DeleteRequest.Key
				default:
					return validationf("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
				}
				id := keyID(t, o.key)
				if seen[id] {
					return validationf("Provided list of item keys contains duplicates")
				}
				seen[id] = true
				attrs := []string(nil)
				if o.put != nil {
					attrs = sortedKeys(o.put)
				}
				// BatchWriteItem has no ReturnValues: it returns nothing of
				// the items.
				if err := s.authorize(ctx, &Access{Action: "dynamodb:BatchWriteItem", Table: name, LeadingKeys: []string{keyString(o.key[t.key.hash])}, Attributes: attrs,
					ReturnConsumedCapacity: orNone(in.ReturnConsumedCapacity)}); err != nil {
					return err
				}
				ops = append(ops, o)
			}
		}
		for _, o := range ops {
			old, err := s.getItem(ctx, tx, o.t, o.key)
			if err != nil {
				return err
			}
			colls.add(o.t, in.ReturnItemCollectionMetrics, o.key)
			if o.put != nil {
				if err := s.putRow(ctx, tx, o.t, old, o.put); err != nil {
					return err
				}
				if wantCost {
					cost(o.t).add(o.t, old, o.put, writeUnits(max(o.put.size(), old.size())))
				}
			} else {
				if old != nil {
					if err := s.deleteRow(ctx, tx, o.t, old); err != nil {
						return err
					}
				}
				if wantCost {
					cost(o.t).add(o.t, old, nil, writeUnits(old.size()))
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &batchWriteOutput{UnprocessedItems: map[string][]writeRequest{}, ItemCollectionMetrics: colls.byTable}
	for _, name := range sortedKeys(costs) {
		if c := costs[name].report(in.ReturnConsumedCapacity, name); c != nil {
			out.ConsumedCapacity = append(out.ConsumedCapacity, c)
		}
	}
	return out, nil
}

// Transactions.

type txCommon struct {
	TableName                           string            `json:"TableName"`
	Key                                 attrMap           `json:"Key,omitempty"`
	ConditionExpression                 *string           `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           exprValues        `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure string            `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

type txPut struct {
	txCommon
	Item attrMap `json:"Item"`
}

type txUpdate struct {
	txCommon
	UpdateExpression *string `json:"UpdateExpression"`
}

type transactWriteItem struct {
	ConditionCheck *txCommon `json:"ConditionCheck,omitempty"`
	Put            *txPut    `json:"Put,omitempty"`
	Delete         *txCommon `json:"Delete,omitempty"`
	Update         *txUpdate `json:"Update,omitempty"`
}

type transactWriteInput struct {
	TransactItems               []transactWriteItem `json:"TransactItems"`
	ClientRequestToken          *string             `json:"ClientRequestToken"`
	ReturnConsumedCapacity      string              `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics string              `json:"ReturnItemCollectionMetrics,omitempty"`
}

type transactWriteOutput struct {
	ConsumedCapacity      []*consumedCapacity                 `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics map[string][]*itemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// txOp is one prepared item of a TransactWriteItems request.
type txOp struct {
	kind    string // ConditionCheck, Put, Delete, Update
	action  string
	common  *txCommon
	t       *table
	key     attrMap
	put     attrMap
	cond    *node
	acts    []updateAction
	attrs   []string
	rvOnErr string
	// invalid is the message of an action error (see apiError.action):
	// the member cancels the transaction with reason ValidationError.
	invalid string
}

// prepareTxOp validates and parses w, the member at position pos (from 1)
// of a TransactWriteItems request.
func (s *Store) prepareTxOp(w transactWriteItem, pos int) (*txOp, error) {
	n := 0
	o := &txOp{}
	var update *string
	member := func(kind, field string) string {
		return fmt.Sprintf("transactItems.%d.member.%s.%s", pos, kind, field)
	}
	if w.ConditionCheck != nil {
		n++
		o.kind, o.common = "ConditionCheck", w.ConditionCheck
		if w.ConditionCheck.ConditionExpression == nil {
			return nil, validationf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member("conditionCheck", "conditionExpression"))
		}
	}
	if w.Put != nil {
		n++
		o.kind, o.common, o.put = "Put", &w.Put.txCommon, w.Put.Item
		if o.put == nil {
			return nil, validationf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member("put", "item"))
		}
	}
	if w.Delete != nil {
		n++
		o.kind, o.common = "Delete", w.Delete
	}
	if w.Update != nil {
		n++
		o.kind, o.common, update = "Update", &w.Update.txCommon, w.Update.UpdateExpression
		if update == nil {
			return nil, validationf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member("update", "updateExpression"))
		}
	}
	if n != 1 {
		return nil, validationf("TransactItems can only contain one of Check, Put, Update or Delete")
	}
	o.action = transactActions[o.kind]
	c := o.common
	c.TableName = s.tableName(c.TableName)
	kind := strings.ToLower(o.kind[:1]) + o.kind[1:] // as the member is named in messages
	if err := checkTableName(c.TableName, member(kind, "tableName")); err != nil {
		return nil, err
	}
	if err := checkReturnOnFailure(c.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	o.rvOnErr = c.ReturnValuesOnConditionCheckFailure
	ep := exprParams{ExpressionAttributeNames: c.ExpressionAttributeNames, ExpressionAttributeValues: c.ExpressionAttributeValues}
	var err error
	if o.acts, o.cond, err = writeExprs(&ep, update, c.ConditionExpression); err != nil {
		return nil, err
	}
	t, err := s.table(c.TableName)
	if err != nil {
		return nil, err
	}
	o.t = t
	// invalidate records an action error as the member's cancellation
	// reason; any other error refuses the request.
	invalidate := func(err error) error {
		msg, ok := isActionError(err)
		if !ok {
			return err
		}
		o.invalid = msg
		return nil
	}
	if o.put != nil {
		if err := checkValues(o.put); err != nil {
			return nil, err
		}
		if err := invalidate(t.checkItem(o.put)); err != nil {
			return nil, err
		}
		o.key = t.keyOf(o.put)
		o.attrs = attrNames(sortedKeys(o.put), nodePaths(o.cond))
	} else {
		if c.Key == nil {
			return nil, validationf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member(kind, "key"))
		}
		if err := checkValues(c.Key); err != nil {
			return nil, err
		}
		if err := invalidate(t.checkKey(c.Key)); err != nil {
			return nil, err
		}
		o.key = c.Key
	}
	if o.kind == "Update" {
		if err := checkKeyUpdates(t, o.acts); err != nil {
			return nil, err
		}
		o.attrs = updateAttrs(t, o.acts, o.cond)
	}
	if o.kind == "ConditionCheck" {
		// A check reads only what its condition evaluates; a Delete's
		// Attributes stay nil, all, as it removes them all.
		o.attrs = attrNames(nil, nodePaths(o.cond))
	}
	return o, nil
}

// checkTransactItems validates the length of a transaction's
// TransactItems (n members; empty tells an empty list from an absent one).
func checkTransactItems(n int, empty bool) error {
	switch {
	case empty:
		return validationf("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	case n == 0:
		return validationf("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null")
	}
	return nil
}

// txCanceled is TransactionCanceledException with the members' reasons.
func txCanceled(reasons []cancellationReason) error {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = r.Code
	}
	e := newError(codeTransactionCanceled, http.StatusBadRequest, "Transaction cancelled, please refer cancellation reasons for specific reasons [%s]", strings.Join(codes, ", "))
	e.reasons = reasons
	return e
}

func (s *Store) transactWriteItems(ctx context.Context, in *transactWriteInput) (*transactWriteOutput, error) {
	if err := checkTransactItems(len(in.TransactItems), in.TransactItems != nil && len(in.TransactItems) == 0); err != nil {
		return nil, err
	}
	if len(in.TransactItems) > 100 {
		return nil, validationf("1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have length less than or equal to 100")
	}
	if in.ReturnConsumedCapacity != "" {
		if _, err := exprSetup(&exprParams{ReturnConsumedCapacity: in.ReturnConsumedCapacity}, nil); err != nil {
			return nil, err
		}
	}
	if err := checkReturnMetrics(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	var digest []byte
	if in.ClientRequestToken != nil {
		switch tok := *in.ClientRequestToken; {
		case tok == "":
			return nil, validationf("1 validation error detected: Value '' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 1")
		case utf8.RuneCountInString(tok) > 36:
			return nil, validationf("1 validation error detected: Value '%s' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36", tok)
		}
		canon, _ := json.Marshal(in.TransactItems)
		sum := sha256.Sum256(canon)
		digest = sum[:]
	}
	out := &transactWriteOutput{}
	err := s.write(func(tx querier) error {
		var ops []*txOp
		seen := map[string]bool{}
		for i, w := range in.TransactItems {
			o, err := s.prepareTxOp(w, i+1)
			if err != nil {
				return err
			}
			if o.invalid == "" {
				id := keyID(o.t, o.key)
				if seen[id] {
					return validationf("Transaction request cannot include multiple operations on one item")
				}
				seen[id] = true
			}
			ops = append(ops, o)
		}
		if txSize(ops) > maxTxSize {
			return validationf("Transaction request cannot be larger than 4 MB")
		}
		for _, o := range ops {
			if o.invalid != "" {
				continue
			}
			// The transactions guide governs what a member returns on a
			// failed condition with dynamodb:ReturnValues ("Prevent
			// information from being returned on a ConditionCheck
			// failure"): ReturnValuesOnConditionCheckFailure is the
			// members' ReturnValues.
			if err := s.authorize(ctx, &Access{Action: o.action, Table: o.t.name(), LeadingKeys: []string{keyString(o.key[o.t.key.hash])}, Attributes: o.attrs,
				ReturnValues: orNone(o.rvOnErr), ReturnConsumedCapacity: orNone(in.ReturnConsumedCapacity), EnclosingOperation: "TransactWriteItems"}); err != nil {
				return err
			}
		}
		if digest != nil {
			replay, err := s.checkToken(ctx, tx, *in.ClientRequestToken, digest)
			if err != nil {
				return err
			}
			if replay {
				// A replay changes nothing, and reports what reading the
				// items cost: "Subsequent TransactWriteItems calls with
				// the same client token return the number of read
				// capacity units consumed in reading the item" (API
				// reference, ClientRequestToken). They are read as a
				// transaction reads them.
				units := map[string]float64{}
				for _, o := range ops {
					if !wantsCapacity(in.ReturnConsumedCapacity) {
						break
					}
					it, err := s.getItem(ctx, tx, o.t, o.key)
					if err != nil {
						return err
					}
					units[o.t.name()] += 2 * readUnits(it.size(), true)
				}
				for _, name := range sortedKeys(units) {
					if c := consumedSplit(in.ReturnConsumedCapacity, name, true, units[name]); c != nil {
						out.ConsumedCapacity = append(out.ConsumedCapacity, c)
					}
				}
				return nil
			}
		}
		olds := make([]attrMap, len(ops))
		reasons := make([]cancellationReason, len(ops))
		failed := false
		for i, o := range ops {
			reasons[i].Code = "None"
			if o.invalid != "" {
				failed = true
				reasons[i] = cancellationReason{Code: "ValidationError", Message: o.invalid}
				continue
			}
			old, err := s.getItem(ctx, tx, o.t, o.key)
			if err != nil {
				return err
			}
			olds[i] = old
			if o.cond != nil && !test(o.cond, old) {
				failed = true
				reasons[i] = cancellationReason{Code: "ConditionalCheckFailed", Message: "The conditional request failed"}
				if o.rvOnErr == "ALL_OLD" {
					reasons[i].Item = old
				}
			}
		}
		news := make([]attrMap, len(ops))
		if !failed {
			for i, o := range ops {
				switch o.kind {
				case "Put":
					news[i] = o.put
				case "Update":
					n, err := applyUpdate(o.acts, olds[i], o.key)
					if err == nil {
						// The item the update leaves is checked as a
						// PutItem's: only action errors cancel.
						if err = o.t.checkUpdated(n); err != nil {
							if _, ok := isActionError(err); !ok {
								return err
							}
						}
					}
					if err != nil {
						failed = true
						reasons[i] = cancellationReason{Code: "ValidationError", Message: asAPIError(err).message}
						continue
					}
					news[i] = n
				}
			}
		}
		if failed {
			return txCanceled(reasons)
		}
		units := map[string]float64{}
		var colls collections
		for i, o := range ops {
			if o.kind != "ConditionCheck" {
				colls.add(o.t, in.ReturnItemCollectionMetrics, o.key)
			}
			switch o.kind {
			case "Put", "Update":
				if err := s.putRow(ctx, tx, o.t, olds[i], news[i]); err != nil {
					return err
				}
				units[o.t.name()] += 2 * writeUnits(max(news[i].size(), olds[i].size()))
			case "Delete":
				if olds[i] != nil {
					if err := s.deleteRow(ctx, tx, o.t, olds[i]); err != nil {
						return err
					}
				}
				units[o.t.name()] += 2 * writeUnits(olds[i].size())
			case "ConditionCheck":
				units[o.t.name()] += 2 * readUnits(olds[i].size(), true)
			}
		}
		for _, name := range sortedKeys(units) {
			if c := consumedSplit(in.ReturnConsumedCapacity, name, false, units[name]); c != nil {
				out.ConsumedCapacity = append(out.ConsumedCapacity, c)
			}
		}
		out.ItemCollectionMetrics = colls.byTable
		if digest != nil {
			_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO ddb_tokens (token, digest, result, at) VALUES (?,?,?,?)`,
				*in.ClientRequestToken, digest, []byte("{}"), s.now().Unix())
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// maxTxSize is DynamoDB's limit on the aggregate size of the items of a
// TransactWriteItems request.
const maxTxSize = 4 << 20

// txSize is the aggregate size of a transaction's members: the items put,
// the keys of the others, and the values of every member's expressions.
func txSize(ops []*txOp) int {
	n := 0
	for _, o := range ops {
		if o.put != nil {
			n += o.put.size()
		} else {
			n += o.key.size()
		}
		n += attrMap(o.common.ExpressionAttributeValues).size()
	}
	return n
}

// idempotencyWindow is how long a ClientRequestToken is remembered.
const idempotencyWindow = 10 * 60

// checkToken reports whether token names an identical transaction already
// applied within the last 10 minutes.
func (s *Store) checkToken(ctx context.Context, tx querier, token string, digest []byte) (bool, error) {
	now := s.now().Unix()
	if _, err := tx.ExecContext(ctx, `DELETE FROM ddb_tokens WHERE at < ?`, now-idempotencyWindow); err != nil {
		return false, err
	}
	var prev []byte
	err := tx.QueryRowContext(ctx, `SELECT digest FROM ddb_tokens WHERE token=?`, token).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if string(prev) != string(digest) {
		return false, newError(codeIdempotentMismatch, http.StatusBadRequest, "The request uses the same client token as a previous, but non-identical request.")
	}
	return true, nil
}

type transactGetInput struct {
	TransactItems []struct {
		Get *struct {
			TableName                string            `json:"TableName"`
			Key                      attrMap           `json:"Key"`
			ProjectionExpression     *string           `json:"ProjectionExpression"`
			ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames"`
		} `json:"Get"`
	} `json:"TransactItems"`
	ReturnConsumedCapacity string `json:"ReturnConsumedCapacity"`
}

type itemResponse struct {
	Item json.RawMessage `json:"Item,omitempty"`
}

type transactGetOutput struct {
	Responses        []itemResponse      `json:"Responses"`
	ConsumedCapacity []*consumedCapacity `json:"ConsumedCapacity,omitempty"`
}

func (s *Store) transactGetItems(ctx context.Context, in *transactGetInput) (*transactGetOutput, error) {
	if err := checkTransactItems(len(in.TransactItems), in.TransactItems != nil && len(in.TransactItems) == 0); err != nil {
		return nil, err
	}
	if len(in.TransactItems) > 100 {
		return nil, validationf("1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have length less than or equal to 100")
	}
	type get struct {
		t     *table
		key   attrMap
		paths []docPath
	}
	var gets []get
	seen := map[string]bool{}
	reasons := make([]cancellationReason, len(in.TransactItems))
	failed := false
	for i, ti := range in.TransactItems {
		g := ti.Get
		if g == nil {
			return nil, validationf("1 validation error detected: Value null at 'transactItems.%d.member.get' failed to satisfy constraint: Member must not be null", i+1)
		}
		g.TableName = s.tableName(g.TableName)
		if err := checkTableName(g.TableName, fmt.Sprintf("transactItems.%d.member.get.tableName", i+1)); err != nil {
			return nil, err
		}
		ep := exprParams{ExpressionAttributeNames: g.ExpressionAttributeNames, ReturnConsumedCapacity: in.ReturnConsumedCapacity}
		paths, err := projectionExprs(&ep, g.ProjectionExpression, nil)
		if err != nil {
			return nil, err
		}
		t, err := s.table(g.TableName)
		if err != nil {
			return nil, err
		}
		if err := checkValues(g.Key); err != nil {
			return nil, err
		}
		reasons[i].Code = "None"
		if err := t.checkKey(g.Key); err != nil {
			msg, ok := isActionError(err)
			if !ok {
				return nil, err
			}
			reasons[i] = cancellationReason{Code: "ValidationError", Message: msg}
			failed = true
			continue
		}
		id := keyID(t, g.Key)
		if seen[id] {
			return nil, validationf("Transaction request cannot include multiple operations on one item")
		}
		seen[id] = true
		// A Get is authorized as the GetItem it stands for, Select
		// included.
		if err := s.authorize(ctx, &Access{Action: transactActions["Get"], Table: t.name(), LeadingKeys: []string{keyString(g.Key[t.key.hash])}, Attributes: attrsOf(paths),
			Select: selectKey("", paths != nil, false), ReturnConsumedCapacity: orNone(in.ReturnConsumedCapacity), EnclosingOperation: "TransactGetItems"}); err != nil {
			return nil, err
		}
		gets = append(gets, get{t, g.Key, paths})
	}
	if failed {
		return nil, txCanceled(reasons)
	}
	out := &transactGetOutput{}
	units := map[string]float64{}
	// The items are read from one snapshot: a file store's read
	// transaction, or, in a memory store, whose statements on its one
	// connection would each see the store as it then is, the write lock.
	snapshot := s.read
	if s.readers == nil {
		snapshot = s.write
	}
	err := snapshot(func(tx querier) error {
		for _, g := range gets {
			it, err := s.getItem(ctx, tx, g.t, g.key)
			if err != nil {
				return err
			}
			units[g.t.name()] += 2 * readUnits(it.size(), true)
			if it != nil && g.paths != nil {
				it = project(it, g.paths)
			}
			var r itemResponse
			if it != nil {
				r.Item = rawItem(it)
			}
			out.Responses = append(out.Responses, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, name := range sortedKeys(units) {
		if c := consumedSplit(in.ReturnConsumedCapacity, name, true, units[name]); c != nil {
			out.ConsumedCapacity = append(out.ConsumedCapacity, c)
		}
	}
	return out, nil
}
