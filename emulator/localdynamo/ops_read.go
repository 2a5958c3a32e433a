package localdynamo

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

type queryInput struct {
	exprParams
	TableName              string   `json:"TableName"`
	IndexName              *string  `json:"IndexName"`
	KeyConditionExpression *string  `json:"KeyConditionExpression"`
	FilterExpression       *string  `json:"FilterExpression"`
	ProjectionExpression   *string  `json:"ProjectionExpression"`
	AttributesToGet        []string `json:"AttributesToGet"`
	Select                 string   `json:"Select"`
	Limit                  *int     `json:"Limit"`
	ConsistentRead         bool     `json:"ConsistentRead"`
	ScanIndexForward       *bool    `json:"ScanIndexForward"`
	ExclusiveStartKey      attrMap  `json:"ExclusiveStartKey"`
	Segment                *int     `json:"Segment"`
	TotalSegments          *int     `json:"TotalSegments"`
}

type queryOutput struct {
	Items            *itemList         `json:"Items,omitempty"`
	Count            int               `json:"Count"`
	ScannedCount     int               `json:"ScannedCount"`
	LastEvaluatedKey attrMap           `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *consumedCapacity `json:"ConsumedCapacity,omitempty"`
}

func (o *queryOutput) appendJSON(b []byte) ([]byte, error) {
	if o == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '{')
	if o.Items != nil {
		b = append(b, `"Items":`...)
		b = o.Items.appendJSON(b)
		b = append(b, ',')
	}
	b = append(b, `"Count":`...)
	b = strconv.AppendInt(b, int64(o.Count), 10)
	b = append(b, `,"ScannedCount":`...)
	b = strconv.AppendInt(b, int64(o.ScannedCount), 10)
	if len(o.LastEvaluatedKey) > 0 {
		b = append(b, `,"LastEvaluatedKey":`...)
		b = appendItem(b, o.LastEvaluatedKey)
	}
	b, err := appendCapacity(b, true, o.ConsumedCapacity)
	return append(b, '}'), err
}

// itemList is the Items of a Query or Scan answer: the items, or the
// stored documents of items answered as stored.
type itemList struct {
	items []attrMap
	docs  [][]byte
}

func (l *itemList) appendJSON(b []byte) []byte {
	b = append(b, '[')
	n := 0
	for _, it := range l.items {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendItem(b, it)
	}
	for _, doc := range l.docs {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, doc...)
	}
	return append(b, ']')
}

func (l *itemList) MarshalJSON() ([]byte, error) { return l.appendJSON(nil), nil }

// maxPage is DynamoDB's limit on the data one Query or Scan reads.
const maxPage = 1 << 20

// readPlan is a parsed Query or Scan.
type readPlan struct {
	t          *table
	ix         *index // nil: the table
	key        keySchema
	filter     *node
	paths      []docPath
	countOnly  bool
	fetchBase  bool // LSI read needing attributes outside the projection
	limit      int
	consistent bool
	capMode    string
}

func (s *Store) planRead(ctx context.Context, in *queryInput, isQuery bool) (*readPlan, *keyCondition, error) {
	if err := checkTableName(in.TableName, "tableName"); err != nil {
		return nil, nil, err
	}
	if in.IndexName != nil {
		if err := checkTableName(*in.IndexName, "indexName"); err != nil {
			return nil, nil, err
		}
	}
	if in.Limit != nil && *in.Limit < 1 {
		if isQuery {
			// Query names the member without its value, Scan with it.
			return nil, nil, validationf("1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
		}
		return nil, nil, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", *in.Limit)
	}
	switch in.Select {
	case "", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT":
	default:
		return nil, nil, validationf("1 validation error detected: Value '%s' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]", in.Select)
	}
	projects := in.ProjectionExpression != nil || len(in.AttributesToGet) > 0
	if in.Select == "SPECIFIC_ATTRIBUTES" && !projects {
		const msg = "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
		if isQuery {
			return nil, nil, validationf("1 validation error detected: %s", msg)
		}
		return nil, nil, validationf(msg)
	}
	if projects && in.Select != "" && in.Select != "SPECIFIC_ATTRIBUTES" {
		what, sel := "ProjectionExpression", string(in.Select)
		if in.ProjectionExpression == nil {
			what = "AttributesToGet"
		}
		if sel == "COUNT" {
			sel = "only the Count"
		}
		return nil, nil, validationf("Cannot specify the %s when choosing to get %s", what, sel)
	}
	if in.Select == "ALL_PROJECTED_ATTRIBUTES" && in.IndexName == nil {
		return nil, nil, validationf("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
	}
	if isQuery && in.KeyConditionExpression == nil {
		return nil, nil, validationf("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	if !isQuery {
		if in.Segment != nil && *in.Segment < 0 {
			// The wording most regions answer; a few name the member
			// 'Segment' without its value.
			return nil, nil, validationf("1 validation error detected: Value '%d' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0", *in.Segment)
		}
		if in.Segment != nil && in.TotalSegments == nil {
			return nil, nil, validationf("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
		}
		if in.TotalSegments != nil && in.Segment == nil {
			return nil, nil, validationf("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
		}
		if in.TotalSegments != nil {
			if *in.TotalSegments < 1 || *in.TotalSegments > 1000000 {
				return nil, nil, validationf("1 validation error detected: Value '%d' at 'totalSegments' failed to satisfy constraint: Member must have value between 1 and 1000000", *in.TotalSegments)
			}
			if *in.Segment >= *in.TotalSegments {
				return nil, nil, validationf("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %d is not less than TotalSegments: %d", *in.Segment, *in.TotalSegments)
			}
		}
	}
	ectx, err := exprSetup(&in.exprParams, present(param{"ProjectionExpression", in.ProjectionExpression != nil},
		param{"FilterExpression", in.FilterExpression != nil}, param{"KeyConditionExpression", in.KeyConditionExpression != nil}),
		present(param{"AttributesToGet", in.AttributesToGet != nil})...)
	if err != nil {
		return nil, nil, err
	}
	p := &readPlan{countOnly: in.Select == "COUNT", consistent: in.ConsistentRead, capMode: in.ReturnConsumedCapacity}
	if in.Limit != nil {
		p.limit = *in.Limit
	}
	t, err := s.table(in.TableName)
	if err != nil {
		return nil, nil, err
	}
	p.t, p.key = t, t.key
	if in.IndexName != nil {
		ix := t.indexes[*in.IndexName]
		if ix == nil {
			return nil, nil, validationf("The table does not have the specified index: %s", *in.IndexName)
		}
		p.ix, p.key = ix, ix.key
		if ix.meta.Global && in.ConsistentRead {
			return nil, nil, validationf("Consistent reads are not supported on global secondary indexes")
		}
		if ix.meta.Projection.ProjectionType != "ALL" && in.Select == "ALL_ATTRIBUTES" {
			if ix.meta.Global {
				return nil, nil, validationf("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index %s because its projection type is not ALL", ix.meta.IndexName)
			}
			p.fetchBase = true
		}
	}
	var kc *keyCondition
	if isQuery {
		if kc, err = parseKeyCondition(*in.KeyConditionExpression, ectx, p.key, t.types); err != nil {
			return nil, nil, err
		}
		// The partition key value a Query names is held to the limit of
		// stored ones (recorded from DynamoDB in facebook/ThreatExchange
		// issue 1324).
		if keyValueSize(kc.hash) > maxHashKeySize {
			return nil, nil, errHashKeySize()
		}
		// As a key given to GetItem, the partition key value a Query
		// names cannot be empty (recorded from DynamoDB in
		// getmoto/moto#7062).
		if v := kc.hash; v != nil && (v.t == typeS || v.t == typeB) && v.s == "" {
			return nil, nil, validationf("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty %s value. Key: %s", emptyKind(v.t), p.key.hash)
		}
	}
	if in.FilterExpression != nil {
		if p.filter, err = parseCondition("FilterExpression", *in.FilterExpression, ectx); err != nil {
			return nil, nil, err
		}
		if isQuery {
			for _, a := range nodePaths(p.filter) {
				if len(a) == 1 && (a[0].name == p.key.hash || a[0].name == p.key.rng) {
					return nil, nil, validationf("Filter Expression can only contain non-primary key attributes: Primary key attribute: %s", a[0].name)
				}
			}
		}
	}
	if in.ProjectionExpression != nil {
		if p.paths, err = parseProjection(*in.ProjectionExpression, ectx); err != nil {
			return nil, nil, err
		}
	}
	p.paths = append(p.paths, legacyAttrs(in.AttributesToGet)...)
	if p.paths != nil {
		if p.ix != nil && !p.ix.meta.Global && p.ix.meta.Projection.ProjectionType != "ALL" {
			p.fetchBase = true
		}
	}
	if err := ectx.checkUnused(); err != nil {
		return nil, nil, err
	}
	return p, kc, nil
}

// nodePaths lists the document paths expression n (nil: none) refers to.
func nodePaths(n *node) []docPath {
	var out []docPath
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil {
			return
		}
		if n.kind == nPath {
			out = append(out, n.path)
		}
		for _, a := range n.args {
			walk(a)
		}
	}
	walk(n)
	return out
}

// access is the Access of a Query or Scan of in planned as p, with the
// partition key values leading (nil for a Scan) and the key condition kc
// (nil for a Scan).
func (p *readPlan) access(action string, in *queryInput, leading []string, kc *keyCondition) *Access {
	evaluated := nodePaths(p.filter)
	if kc != nil {
		evaluated = append(evaluated, docPath{{name: p.key.hash}})
		if kc.rngOp != "" {
			evaluated = append(evaluated, docPath{{name: p.key.rng}})
		}
	}
	a := &Access{Action: action, Table: p.t.name(), LeadingKeys: leading, Attributes: readAttrs(p.paths, evaluated),
		Select: selectKey(in.Select, p.paths != nil, p.ix != nil), ReturnConsumedCapacity: orNone(in.ReturnConsumedCapacity)}
	if p.ix != nil {
		a.Index = p.ix.meta.IndexName
	}
	return a
}

func (s *Store) query(ctx context.Context, in *queryInput) (*queryOutput, error) {
	p, kc, err := s.planRead(ctx, in, true)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(ctx, p.access("dynamodb:Query", in, []string{keyString(kc.hash)}, kc)); err != nil {
		return nil, err
	}
	forward := in.ScanIndexForward == nil || *in.ScanIndexForward
	h := keyBytes(kc.hash)
	var where []string
	var args []any
	from := "ddb_items WHERE t=? AND hh=? AND h=?"
	args = append(args, p.t.id, hashOf(h), h)
	order := "r"
	if p.ix != nil {
		from = "ddb_index_items WHERE t=? AND i=? AND hh=? AND h=?"
		args = []any{p.t.id, p.ix.meta.IndexName, hashOf(h), h}
		order = "r, ph, pr"
	}
	if kc.rngOp != "" {
		k := keyBytes(kc.rngVals[0])
		switch kc.rngOp {
		case "=", "<", "<=", ">", ">=":
			where = append(where, "r "+kc.rngOp+" ?")
			args = append(args, k)
		case "BETWEEN":
			where = append(where, "r >= ? AND r <= ?")
			args = append(args, k, keyBytes(kc.rngVals[1]))
		case "begins_with":
			where = append(where, "r >= ?")
			args = append(args, k)
			if succ := prefixSuccessor(k); succ != nil {
				where = append(where, "r < ?")
				args = append(args, succ)
			}
		}
	}
	if in.ExclusiveStartKey != nil {
		esk, err := s.startKey(p, in.ExclusiveStartKey, true)
		if err != nil {
			return nil, err
		}
		if !equal(in.ExclusiveStartKey[p.key.hash], kc.hash) {
			return nil, validationf("The provided starting key is invalid: The provided key element does not match the schema")
		}
		cmp := ">"
		if !forward {
			cmp = "<"
		}
		if p.ix != nil {
			where = append(where, "(r, ph, pr) "+cmp+" (?, ?, ?)")
			args = append(args, esk.r, esk.ph, esk.pr)
		} else {
			where = append(where, "r "+cmp+" ?")
			args = append(args, esk.r)
		}
	}
	dir := " ASC"
	if !forward {
		dir = " DESC"
	}
	q := "SELECT doc, exp FROM " + from
	for _, w := range where {
		q += " AND " + w
	}
	q += " ORDER BY " + strings.ReplaceAll(order, ",", dir+",") + dir
	return s.runRead(ctx, p, q, args)
}

// prefixSuccessor returns the smallest byte string greater than every
// string with prefix p, or nil if there is none.
func prefixSuccessor(p []byte) []byte {
	s := append([]byte(nil), p...)
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < 0xFF {
			s[i]++
			return s[:i+1]
		}
	}
	return nil
}

type startKey struct {
	hh     int64
	h, r   []byte
	ph, pr []byte
}

// startKey validates an ExclusiveStartKey and encodes it. Query words a
// key that does not match the schema more briefly than Scan.
func (s *Store) startKey(p *readPlan, esk attrMap, isQuery bool) (*startKey, error) {
	if err := checkValues(esk); err != nil {
		return nil, err
	}
	bad := validationf("The provided starting key is invalid: The provided key element does not match the schema")
	if isQuery {
		bad = validationf("The provided starting key is invalid")
	}
	want := map[string]bool{}
	for _, a := range p.t.key.attrs() {
		want[a] = true
	}
	if p.ix != nil {
		for _, a := range p.ix.key.attrs() {
			want[a] = true
		}
	}
	if len(esk) != len(want) {
		return nil, bad
	}
	for a := range want {
		v := esk[a]
		if v == nil || v.t != p.t.types[a] {
			return nil, bad
		}
	}
	k := &startKey{}
	k.ph, k.pr = p.t.primaryKey(esk)
	if p.ix != nil {
		k.h, k.r = indexKey(p.ix, esk)
	} else {
		k.h, k.r = k.ph, k.pr
	}
	k.hh = hashOf(k.h)
	return k, nil
}

// runRead streams rows, applying the limit, the page size, the filter and
// the projection.
func (s *Store) runRead(ctx context.Context, p *readPlan, q string, args []any) (out *queryOutput, err error) {
	err = s.read(func(db querier) (err error) {
		out, err = s.runReadOn(ctx, db, p, q, args)
		return err
	})
	return out, err
}

// runReadOn is runRead on db, one snapshot of the store.
func (s *Store) runReadOn(ctx context.Context, db querier, p *readPlan, q string, args []any) (*queryOutput, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.dbError(err)
	}
	defer rows.Close()
	out := &queryOutput{}
	// Without a filter, a projection or a base table to read, the items
	// answered are the stored documents, which need no decoding.
	raw := p.filter == nil && p.paths == nil && !p.fetchBase
	list := &itemList{items: []attrMap{}}
	read := 0
	var lastDoc []byte
	stopped := false
	for rows.Next() {
		var doc []byte
		var exp sql.NullInt64
		if err := rows.Scan(&doc, &exp); err != nil {
			return nil, s.dbError(err)
		}
		if exp.Valid && s.expired(exp.Int64) {
			continue
		}
		out.ScannedCount++
		lastDoc = doc
		// The page limit and the capacity count items' sizes as
		// DynamoDB measures them (as GetItem's capacity does), read off
		// the stored document when it need not be decoded.
		var it attrMap
		size, sized := 0, false
		if raw {
			size, sized = docSize(doc)
		}
		if !sized {
			var err error
			if it, err = decodeItem(doc); err != nil {
				return nil, s.dbError(err)
			}
			size = it.size()
		}
		read += size
		switch {
		case raw:
			out.Count++
			if !p.countOnly {
				list.docs = append(list.docs, doc)
			}
		default:
			if p.filter == nil || test(p.filter, it) {
				out.Count++
				if !p.countOnly {
					list.items = append(list.items, it)
				}
			}
		}
		if (p.limit > 0 && out.ScannedCount >= p.limit) || read >= maxPage {
			stopped = true
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.dbError(err)
	}
	if stopped && lastDoc != nil {
		last, err := decodeItem(lastDoc)
		if err != nil {
			return nil, s.dbError(err)
		}
		lek := p.t.keyOf(last)
		if p.ix != nil {
			for _, a := range p.ix.key.attrs() {
				lek[a] = last[a]
			}
		}
		out.LastEvaluatedKey = lek
	}
	rows.Close()
	if !p.countOnly {
		// Rows are closed first: a memory store has a single connection.
		for i, it := range list.items {
			if p.fetchBase {
				base, err := s.getItem(ctx, db, p.t, it)
				if err != nil {
					return nil, s.dbError(err)
				}
				if base != nil {
					it = base
				}
			}
			if p.paths != nil {
				it = project(it, p.paths)
			}
			list.items[i] = it
		}
		out.Items = list
	}
	out.ConsumedCapacity = consumedRead(p.capMode, p.t.name(), p.ix, readUnits(read, p.consistent))
	return out, nil
}

func (s *Store) scan(ctx context.Context, in *queryInput) (*queryOutput, error) {
	p, _, err := s.planRead(ctx, in, false)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(ctx, p.access("dynamodb:Scan", in, nil, nil)); err != nil {
		return nil, err
	}
	var q string
	args := []any{p.t.id}
	if p.ix != nil {
		q = "SELECT doc, exp FROM ddb_index_items WHERE t=? AND i=?"
		args = append(args, p.ix.meta.IndexName)
	} else {
		q = "SELECT doc, exp FROM ddb_items WHERE t=?"
	}
	if in.TotalSegments != nil {
		lo := int64(*in.Segment) * (1 << 32) / int64(*in.TotalSegments)
		hi := int64(*in.Segment+1) * (1 << 32) / int64(*in.TotalSegments)
		q += " AND hh >= ? AND hh < ?"
		args = append(args, lo, hi)
	}
	if in.ExclusiveStartKey != nil {
		esk, err := s.startKey(p, in.ExclusiveStartKey, false)
		if err != nil {
			return nil, err
		}
		if p.ix != nil {
			q += " AND (hh, h, r, ph, pr) > (?, ?, ?, ?, ?)"
			args = append(args, esk.hh, esk.h, esk.r, esk.ph, esk.pr)
		} else {
			q += " AND (hh, h, r) > (?, ?, ?)"
			args = append(args, esk.hh, esk.h, esk.r)
		}
	}
	if p.ix != nil {
		q += " ORDER BY hh, h, r, ph, pr"
	} else {
		q += " ORDER BY hh, h, r"
	}
	return s.runRead(ctx, p, q, args)
}
