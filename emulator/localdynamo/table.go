package localdynamo

import (
	"cmp"
	"context"
	"database/sql"
	"math"
	"slices"
	"time"
)

// Wire shapes shared by table operations and the stored table metadata.
type attrDef struct {
	AttributeName string `json:"AttributeName"`
	AttributeType string `json:"AttributeType"`
}

type keyElem struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"`
}

type projection struct {
	ProjectionType   string   `json:"ProjectionType,omitempty"`
	NonKeyAttributes []string `json:"NonKeyAttributes,omitempty"`
}

type throughput struct {
	ReadCapacityUnits  int64 `json:"ReadCapacityUnits"`
	WriteCapacityUnits int64 `json:"WriteCapacityUnits"`
}

type indexMeta struct {
	IndexName  string      `json:"IndexName"`
	KeySchema  []keyElem   `json:"KeySchema"`
	Projection projection  `json:"Projection"`
	Throughput *throughput `json:"ProvisionedThroughput,omitempty"`
	// OnDemand is a global index's OnDemandThroughput (not enforced).
	OnDemand *onDemandLimits `json:"OnDemandThroughput,omitempty"`
	// Warm is a global index's WarmThroughput as last set or raised;
	// nil until then (see effectiveWarm).
	Warm   *warmUnits `json:"WarmThroughput,omitempty"`
	Global bool       `json:"Global"`
	throughputChanges
}

// tableMeta is what the store persists about a table.
type tableMeta struct {
	Name                 string      `json:"Name"`
	AttributeDefinitions []attrDef   `json:"AttributeDefinitions"`
	KeySchema            []keyElem   `json:"KeySchema"`
	Indexes              []indexMeta `json:"Indexes,omitempty"`
	BillingMode          string      `json:"BillingMode"`
	Throughput           throughput  `json:"Throughput"`
	Created              float64     `json:"Created"`
	TableID              string      `json:"TableId"`
	TTLAttribute         string      `json:"TTLAttribute,omitempty"`
	TTLEnabled           bool        `json:"TTLEnabled,omitempty"`
	DeletionProtection   bool        `json:"DeletionProtection,omitempty"`
	// TableClass is the class the table was created or updated with, ""
	// if never set (DynamoDB's STANDARD, reported by omission).
	TableClass string `json:"TableClass,omitempty"`
	// SSEKey is the ARN of the KMS key of a table created with
	// SSESpecification Enabled; "" for the default AWS-owned key.
	SSEKey   string          `json:"SSEKey,omitempty"`
	OnDemand *onDemandLimits `json:"OnDemandThroughput,omitempty"`
	// PayPerRequestSince is when the table last switched to
	// PAY_PER_REQUEST through UpdateTable; 0 if it never did.
	PayPerRequestSince float64 `json:"PayPerRequestSince,omitempty"`
	// BillingSwitched is set once UpdateTable has changed the billing
	// mode, after which DynamoDB reports a BillingModeSummary whatever
	// the mode.
	BillingSwitched bool `json:"BillingSwitched,omitempty"`
	// Warm is the table's WarmThroughput as last set or raised; nil until
	// then (see effectiveWarm).
	Warm *warmUnits `json:"WarmThroughput,omitempty"`
	// Tags are the table's tags, in the order their keys were first set.
	Tags []storedTag `json:"Tags,omitempty"`
	throughputChanges
}

// throughputChanges are the changes of a table's or a global index's
// provisioned throughput that DescribeTable reports: when UpdateTable last
// raised or lowered it (Unix seconds), and the decreases of the UTC day
// DecreaseDay.
type throughputChanges struct {
	LastIncrease   float64 `json:"LastIncrease,omitempty"`
	LastDecrease   float64 `json:"LastDecrease,omitempty"`
	DecreaseDay    string  `json:"DecreaseDay,omitempty"`
	DecreasesToday int64   `json:"DecreasesToday,omitempty"`
}

// desc returns the ProvisionedThroughputDescription of tp with these
// changes, at now.
func (m *throughputChanges) desc(tp throughput, now time.Time) provisionedDesc {
	return provisionedDesc{
		LastDecreaseDateTime:   m.LastDecrease,
		LastIncreaseDateTime:   m.LastIncrease,
		NumberOfDecreasesToday: m.decreasesOn(now),
		ReadCapacityUnits:      tp.ReadCapacityUnits,
		WriteCapacityUnits:     tp.WriteCapacityUnits,
	}
}

// noteThroughput records a change of provisioned throughput from old to
// tp at now, as DescribeTable reports them: a raise of either unit is an
// increase, a cut of either a decrease. DynamoDB allows four decreases a
// UTC day, then one an hour, and refuses others with its
// LimitExceededException (worded as recorded in
// ansible-collections/community.aws#1558).
func (m *throughputChanges) noteThroughput(old, tp throughput, now time.Time) error {
	at := float64(now.UnixMilli()) / 1000
	if tp.ReadCapacityUnits < old.ReadCapacityUnits || tp.WriteCapacityUnits < old.WriteCapacityUnits {
		n := m.decreasesOn(now)
		last := time.UnixMilli(int64(m.LastDecrease * 1000)).UTC()
		if next := last.Add(time.Hour); n >= 4 && now.Before(next) {
			const layout = "Monday, January 2, 2006 at 3:04:05 PM Coordinated Universal Time"
			return limitExceeded("Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. "+
				"After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. "+
				"Number of decreases today: %d. Last decrease at %s. Next decrease can be made at %s", n, last.Format(layout), next.Format(layout))
		}
		m.LastDecrease = at
		m.DecreaseDay, m.DecreasesToday = now.UTC().Format(time.DateOnly), n+1
	}
	if tp.ReadCapacityUnits > old.ReadCapacityUnits || tp.WriteCapacityUnits > old.WriteCapacityUnits {
		m.LastIncrease = at
	}
	return nil
}

// decreasesOn returns the number of throughput decreases on now's UTC day.
func (m *throughputChanges) decreasesOn(now time.Time) int64 {
	if m.DecreaseDay != now.UTC().Format(time.DateOnly) {
		return 0
	}
	return m.DecreasesToday
}

// warmUnits is a WarmThroughput: the read and write units per second a
// table or index is ready for at once (not enforced). DynamoDB reports it
// for every table and global index: 12,000 and 4,000 for PAY_PER_REQUEST,
// the provisioned units otherwise, raised by UpdateTable and never
// lowered (ack-api-quirks DDB-TABLE-134, DDB-TABLE-153, DDB-TABLE-155).
type warmUnits struct {
	ReadUnitsPerSecond  int64 `json:"ReadUnitsPerSecond"`
	WriteUnitsPerSecond int64 `json:"WriteUnitsPerSecond"`
}

// On-demand tables and indexes start warm for this many units per second.
const (
	onDemandWarmRead  = 12000
	onDemandWarmWrite = 4000
)

// effectiveWarm is the WarmThroughput of a table or index whose recorded
// one is stored, billed by mode, with provisioned throughput tp: stored,
// raised to what the mode and throughput give.
func effectiveWarm(stored *warmUnits, mode string, tp *throughput) warmUnits {
	var w warmUnits
	if stored != nil {
		w = *stored
	}
	r, wr := int64(onDemandWarmRead), int64(onDemandWarmWrite)
	if mode != "PAY_PER_REQUEST" {
		r, wr = 0, 0
		if tp != nil {
			r, wr = tp.ReadCapacityUnits, tp.WriteCapacityUnits
		}
	}
	w.ReadUnitsPerSecond = max(w.ReadUnitsPerSecond, r)
	w.WriteUnitsPerSecond = max(w.WriteUnitsPerSecond, wr)
	return w
}

// onDemandLimits is a table's OnDemandThroughput: the most request units
// per second it may use (not enforced).
type onDemandLimits struct {
	MaxReadRequestUnits  int64 `json:"MaxReadRequestUnits,omitempty"`
	MaxWriteRequestUnits int64 `json:"MaxWriteRequestUnits,omitempty"`
}

// keySchema is a resolved primary key: the hash attribute and, if any, the
// range attribute, with their types.
type keySchema struct {
	hash, rng         string
	hashType, rngType string
}

type index struct {
	meta indexMeta
	key  keySchema
	// include is the projected non-key attributes of an INCLUDE index.
	include map[string]bool
}

// table is a table's metadata with derived lookups. It is immutable once
// published in Store.tables; schema changes publish a new table.
type table struct {
	id      int64
	meta    tableMeta
	key     keySchema
	indexes map[string]*index
	order   []*index
	// byName is the indexes in the order of their names, the order in
	// which DynamoDB checks an item's index keys.
	byName []*index
	types  map[string]string
}

func (t *table) init() {
	t.types = map[string]string{}
	for _, d := range t.meta.AttributeDefinitions {
		t.types[d.AttributeName] = d.AttributeType
	}
	t.key = t.resolve(t.meta.KeySchema)
	t.indexes = map[string]*index{}
	t.order = nil
	for _, im := range t.meta.Indexes {
		ix := &index{meta: im, key: t.resolve(im.KeySchema)}
		if im.Projection.ProjectionType == "INCLUDE" {
			ix.include = map[string]bool{}
			for _, a := range im.Projection.NonKeyAttributes {
				ix.include[a] = true
			}
		}
		t.indexes[im.IndexName] = ix
		t.order = append(t.order, ix)
	}
	t.byName = slices.SortedFunc(slices.Values(t.order), func(a, b *index) int { return cmp.Compare(a.meta.IndexName, b.meta.IndexName) })
}

func (t *table) resolve(ks []keyElem) keySchema {
	var k keySchema
	for _, e := range ks {
		if e.KeyType == "HASH" {
			k.hash, k.hashType = e.AttributeName, t.types[e.AttributeName]
		} else {
			k.rng, k.rngType = e.AttributeName, t.types[e.AttributeName]
		}
	}
	return k
}

func (t *table) name() string { return t.meta.Name }

// isKeyAttr reports whether name is part of the table's primary key.
func (t *table) isKeyAttr(name string) bool {
	return name == t.key.hash || (t.key.rng != "" && name == t.key.rng)
}

// keyAttrs lists the attributes of the primary key.
func (k keySchema) attrs() []string {
	if k.rng == "" {
		return []string{k.hash}
	}
	return []string{k.hash, k.rng}
}

// checkKey validates a Key parameter: exactly the key attributes, with the
// right types. A key that does not match the schema is an action error: a
// transaction reports it as its member's cancellation reason.
func (t *table) checkKey(key attrMap) error {
	want := 1
	if t.key.rng != "" {
		want = 2
	}
	if len(key) != want {
		return actionError(validationf("The provided key element does not match the schema"))
	}
	for _, a := range t.key.attrs() {
		v := key[a]
		if v == nil || v.t != t.types[a] {
			return actionError(validationf("The provided key element does not match the schema"))
		}
		if (v.t == typeS || v.t == typeB) && v.s == "" {
			return validationf("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty %s value. Key: %s", emptyKind(v.t), a)
		}
	}
	return t.key.checkSizes(key)
}

// DynamoDB's limits on the values of key attributes: the bytes of a
// string (UTF-8) or binary; a number is never too large.
const (
	maxHashKeySize  = 2048
	maxRangeKeySize = 1024
)

// keyValueSize is the size of key value v as the key limits count it.
func keyValueSize(v *value) int {
	if v == nil || (v.t != typeS && v.t != typeB) {
		return 0
	}
	return len(v.s)
}

// checkSizes refuses key values of it over the limits of key schema k,
// the hash key's first, in DynamoDB's words (sic: "of2048").
func (k keySchema) checkSizes(it attrMap) error {
	if keyValueSize(it[k.hash]) > maxHashKeySize {
		return errHashKeySize()
	}
	if k.rng != "" && keyValueSize(it[k.rng]) > maxRangeKeySize {
		return validationf("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of %d bytes", maxRangeKeySize)
	}
	return nil
}

func errHashKeySize() *apiError {
	return validationf("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of%d bytes", maxHashKeySize)
}

func emptyKind(t string) string {
	if t == typeB {
		return "binary"
	}
	return "string"
}

// checkItem validates an item about to be written: its primary key and the
// keys of every index it would appear in. Type mismatches are action
// errors.
func (t *table) checkItem(it attrMap) error { return t.checkWrite(it, false) }

// checkUpdated validates an item as an update leaves it, which DynamoDB
// words differently for empty index keys and size.
func (t *table) checkUpdated(it attrMap) error { return t.checkWrite(it, true) }

func (t *table) checkWrite(it attrMap, update bool) error {
	for _, a := range t.key.attrs() {
		v := it[a]
		if v == nil {
			return validationf("One or more parameter values were invalid: Missing the key %s in the item", a)
		}
		if v.t != t.types[a] {
			return actionError(validationf("One or more parameter values were invalid: Type mismatch for key %s expected: %s actual: %s", a, t.types[a], v.t))
		}
		if (v.t == typeS || v.t == typeB) && v.s == "" {
			return validationf("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty %s value. Key: %s", emptyKind(v.t), a)
		}
	}
	if err := t.key.checkSizes(it); err != nil {
		return err
	}
	for _, ix := range t.byName {
		for _, a := range ix.key.attrs() {
			v := it[a]
			if v == nil {
				continue
			}
			if v.t != t.types[a] {
				return actionError(validationf("One or more parameter values were invalid: Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s", a, t.types[a], v.t, ix.meta.IndexName))
			}
			if (v.t == typeS || v.t == typeB) && v.s == "" {
				if update {
					return validationf("One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty %s value.", emptyKind(v.t))
				}
				return validationf("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty %s value. IndexName: %s, IndexKey: %s", emptyKind(v.t), ix.meta.IndexName, a)
			}
			limit := maxHashKeySize
			if a == ix.key.rng {
				limit = maxRangeKeySize
			}
			if n := keyValueSize(v); n > limit {
				e := validationf("One or more parameter values were invalid: Size limit exceeded for Index Key %s Actual Size: %d bytes Max Size: %d bytes IndexName: %s", a, n, limit, ix.meta.IndexName)
				if update {
					// An update's index keys depend on the item it
					// changes: in a transaction, they cancel it.
					return actionError(e)
				}
				return e
			}
		}
	}
	if tooDeep(it) {
		if update {
			return actionError(errNesting())
		}
		return errNesting()
	}
	if it.size() > maxItemSize {
		if update {
			// What an update leaves depends on the item it changes: in
			// a transaction, an item grown too large cancels it.
			return actionError(validationf("Item size to update has exceeded the maximum allowed size"))
		}
		return validationf("Item size has exceeded the maximum allowed size")
	}
	return nil
}

// maxNesting is how deeply DynamoDB lets values nest in an item, counting
// a top-level attribute's value as the first level.
const maxNesting = 32

func errNesting() *apiError {
	return validationf("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit")
}

// tooDeep reports whether a value of it nests deeper than maxNesting.
func tooDeep(it attrMap) bool {
	for _, v := range it {
		if v.deeperThan(maxNesting - 1) {
			return true
		}
	}
	return false
}

// deeperThan reports whether v holds values more than n levels below it.
func (v *value) deeperThan(n int) bool {
	switch v.t {
	case typeM:
		if len(v.m) > 0 && n == 0 {
			return true
		}
		for _, e := range v.m {
			if e.deeperThan(n - 1) {
				return true
			}
		}
	case typeL:
		if len(v.l) > 0 && n == 0 {
			return true
		}
		for _, e := range v.l {
			if e.deeperThan(n - 1) {
				return true
			}
		}
	}
	return false
}

const maxItemSize = 400 * 1024

// primaryKey extracts the encoded primary key of an item (or a Key).
func (t *table) primaryKey(it attrMap) (h, r []byte) {
	h = keyBytes(it[t.key.hash])
	r = []byte{}
	if t.key.rng != "" {
		r = keyBytes(it[t.key.rng])
	}
	return h, r
}

// keyOf returns just the primary key attributes of an item.
func (t *table) keyOf(it attrMap) attrMap {
	k := attrMap{t.key.hash: it[t.key.hash]}
	if t.key.rng != "" {
		k[t.key.rng] = it[t.key.rng]
	}
	return k
}

// project returns the attributes of it that index ix holds, or nil if the
// item has no entry in the (sparse) index.
func (t *table) project(ix *index, it attrMap) attrMap {
	for _, a := range ix.key.attrs() {
		if it[a] == nil {
			return nil
		}
	}
	switch ix.meta.Projection.ProjectionType {
	case "ALL":
		return it
	}
	p := attrMap{}
	for _, a := range t.key.attrs() {
		p[a] = it[a]
	}
	for _, a := range ix.key.attrs() {
		p[a] = it[a]
	}
	for a := range ix.include {
		if v, ok := it[a]; ok {
			p[a] = v
		}
	}
	return p
}

// expiry returns the item's TTL instant in Unix seconds, if TTL is enabled
// and the item carries a numeric TTL attribute.
func (t *table) expiry(it attrMap) any {
	if !t.meta.TTLEnabled || t.meta.TTLAttribute == "" {
		return nil
	}
	v := it[t.meta.TTLAttribute]
	if v == nil || v.t != typeN || v.num.neg {
		return nil
	}
	d := v.num
	if d.exp > 18 {
		return int64(math.MaxInt64)
	}
	var n int64
	for i := 0; i < d.exp; i++ {
		n *= 10
		if i < len(d.digits) {
			n += int64(d.digits[i] - '0')
		}
	}
	return n
}

// querier runs SQL: the store's pool, or a write transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// getItem reads one item by primary key; nil if absent or expired.
func (s *Store) getItem(ctx context.Context, q querier, t *table, key attrMap) (attrMap, error) {
	doc, err := s.getDoc(ctx, q, t, key)
	if doc == nil || err != nil {
		return nil, err
	}
	return decodeItem(doc)
}

// getDoc reads the stored encoding of one item by primary key; nil if
// absent or expired.
func (s *Store) getDoc(ctx context.Context, q querier, t *table, key attrMap) ([]byte, error) {
	h, r := t.primaryKey(key)
	var doc []byte
	var exp sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT doc, exp FROM ddb_items WHERE t=? AND hh=? AND h=? AND r=?`,
		t.id, hashOf(h), h, r).Scan(&doc, &exp)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if exp.Valid && s.expired(exp.Int64) {
		return nil, nil
	}
	return doc, nil
}

func (s *Store) expired(exp int64) bool {
	now, floor := s.ttlBounds()
	return exp <= now && exp >= floor
}

// putRow writes item new in place of old (nil if there was none), keeping
// every index in step, inside tx.
func (s *Store) putRow(ctx context.Context, tx querier, t *table, old, new attrMap) error {
	h, r := t.primaryKey(new)
	hh := hashOf(h)
	if old == nil && len(t.order) > 0 && t.meta.TTLEnabled {
		// An expired item not yet swept still has index entries, which
		// this write must replace.
		var doc []byte
		err := tx.QueryRowContext(ctx, `SELECT doc FROM ddb_items WHERE t=? AND hh=? AND h=? AND r=?`, t.id, hh, h, r).Scan(&doc)
		switch {
		case err == nil:
			if old, err = decodeItem(doc); err != nil {
				return err
			}
		case err != sql.ErrNoRows:
			return err
		}
	}
	doc := appendItem(nil, new)
	exp := t.expiry(new)
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO ddb_items (t, hh, h, r, exp, doc) VALUES (?,?,?,?,?,?)`,
		t.id, hh, h, r, exp, doc); err != nil {
		return err
	}
	return s.indexRows(ctx, tx, t, old, new, h, r, exp)
}

// deleteRow removes item old (which exists) and its index entries.
func (s *Store) deleteRow(ctx context.Context, tx querier, t *table, old attrMap) error {
	h, r := t.primaryKey(old)
	if _, err := tx.ExecContext(ctx, `DELETE FROM ddb_items WHERE t=? AND hh=? AND h=? AND r=?`,
		t.id, hashOf(h), h, r); err != nil {
		return err
	}
	return s.indexRows(ctx, tx, t, old, nil, h, r, nil)
}

func (s *Store) indexRows(ctx context.Context, tx querier, t *table, old, new attrMap, ph, pr []byte, exp any) error {
	for _, ix := range t.order {
		if old != nil {
			if p := t.project(ix, old); p != nil {
				ih, ir := indexKey(ix, old)
				if _, err := tx.ExecContext(ctx, `DELETE FROM ddb_index_items WHERE t=? AND i=? AND hh=? AND h=? AND r=? AND ph=? AND pr=?`,
					t.id, ix.meta.IndexName, hashOf(ih), ih, ir, ph, pr); err != nil {
					return err
				}
			}
		}
		if new != nil {
			if p := t.project(ix, new); p != nil {
				if err := insertIndexRow(ctx, tx, t, ix, p, new, ph, pr, exp); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func insertIndexRow(ctx context.Context, tx querier, t *table, ix *index, p, full attrMap, ph, pr []byte, exp any) error {
	ih, ir := indexKey(ix, full)
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO ddb_index_items (t, i, hh, h, r, ph, pr, exp, doc) VALUES (?,?,?,?,?,?,?,?,?)`,
		t.id, ix.meta.IndexName, hashOf(ih), ih, ir, ph, pr, exp, appendItem(nil, p))
	return err
}

func indexKey(ix *index, it attrMap) (h, r []byte) {
	h = keyBytes(it[ix.key.hash])
	r = []byte{}
	if ix.key.rng != "" {
		r = keyBytes(it[ix.key.rng])
	}
	return h, r
}
