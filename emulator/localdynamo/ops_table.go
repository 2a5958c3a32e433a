package localdynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

type indexInput struct {
	IndexName             string          `json:"IndexName"`
	KeySchema             []keyElem       `json:"KeySchema"`
	Projection            *projection     `json:"Projection"`
	ProvisionedThroughput *throughput     `json:"ProvisionedThroughput"`
	OnDemandThroughput    *onDemandLimits `json:"OnDemandThroughput"`
	WarmThroughput        *warmInput      `json:"WarmThroughput"`
}

type createTableInput struct {
	TableName                 string       `json:"TableName"`
	AttributeDefinitions      []attrDef    `json:"AttributeDefinitions"`
	KeySchema                 []keyElem    `json:"KeySchema"`
	LocalSecondaryIndexes     []indexInput `json:"LocalSecondaryIndexes"`
	GlobalSecondaryIndexes    []indexInput `json:"GlobalSecondaryIndexes"`
	BillingMode               string       `json:"BillingMode"`
	ProvisionedThroughput     *throughput  `json:"ProvisionedThroughput"`
	DeletionProtectionEnabled bool         `json:"DeletionProtectionEnabled"`
	// Streams are not implemented; the specification is only validated.
	StreamSpecification *streamSpec     `json:"StreamSpecification"`
	TableClass          string          `json:"TableClass"`
	SSESpecification    *sseSpec        `json:"SSESpecification"`
	OnDemandThroughput  *onDemandLimits `json:"OnDemandThroughput"`
	WarmThroughput      *warmInput      `json:"WarmThroughput"`
	Tags                []tag           `json:"Tags"`
}

// sseSpec is a table's SSESpecification. Data is not encrypted; the
// store only reports the key as DynamoDB does.
type sseSpec struct {
	Enabled        *bool  `json:"Enabled"`
	SSEType        string `json:"SSEType"`
	KMSMasterKeyId string `json:"KMSMasterKeyId"`
}

type sseDesc struct {
	Status          string `json:"Status"`
	SSEType         string `json:"SSEType"`
	KMSMasterKeyArn string `json:"KMSMasterKeyArn"`
}

type tableClassSummary struct {
	TableClass         string  `json:"TableClass"`
	LastUpdateDateTime float64 `json:"LastUpdateDateTime,omitempty"`
}

type streamSpec struct {
	StreamEnabled  bool   `json:"StreamEnabled"`
	StreamViewType string `json:"StreamViewType"`
}

type provisionedDesc struct {
	LastDecreaseDateTime   float64 `json:"LastDecreaseDateTime,omitempty"`
	LastIncreaseDateTime   float64 `json:"LastIncreaseDateTime,omitempty"`
	NumberOfDecreasesToday int64   `json:"NumberOfDecreasesToday"`
	ReadCapacityUnits      int64   `json:"ReadCapacityUnits"`
	WriteCapacityUnits     int64   `json:"WriteCapacityUnits"`
}

type billingSummary struct {
	BillingMode                       string  `json:"BillingMode"`
	LastUpdateToPayPerRequestDateTime float64 `json:"LastUpdateToPayPerRequestDateTime,omitempty"`
}

type indexDesc struct {
	IndexName             string           `json:"IndexName"`
	KeySchema             []keyElem        `json:"KeySchema"`
	Projection            projection       `json:"Projection"`
	IndexStatus           string           `json:"IndexStatus,omitempty"`
	Backfilling           *bool            `json:"Backfilling,omitempty"`
	ProvisionedThroughput *provisionedDesc `json:"ProvisionedThroughput,omitempty"`
	IndexSizeBytes        int64            `json:"IndexSizeBytes"`
	ItemCount             int64            `json:"ItemCount"`
	IndexArn              string           `json:"IndexArn"`
	OnDemandThroughput    *onDemandLimits  `json:"OnDemandThroughput,omitempty"`
	WarmThroughput        *warmDesc        `json:"WarmThroughput,omitempty"`
}

// warmDesc is a WarmThroughput as DescribeTable reports it.
type warmDesc struct {
	warmUnits
	Status string `json:"Status"`
}

type tableDesc struct {
	AttributeDefinitions      []attrDef          `json:"AttributeDefinitions"`
	TableName                 string             `json:"TableName"`
	KeySchema                 []keyElem          `json:"KeySchema"`
	TableStatus               string             `json:"TableStatus"`
	CreationDateTime          float64            `json:"CreationDateTime"`
	ProvisionedThroughput     provisionedDesc    `json:"ProvisionedThroughput"`
	TableSizeBytes            int64              `json:"TableSizeBytes"`
	ItemCount                 int64              `json:"ItemCount"`
	TableArn                  string             `json:"TableArn"`
	TableId                   string             `json:"TableId"`
	BillingModeSummary        *billingSummary    `json:"BillingModeSummary,omitempty"`
	LocalSecondaryIndexes     []indexDesc        `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes    []indexDesc        `json:"GlobalSecondaryIndexes,omitempty"`
	DeletionProtectionEnabled bool               `json:"DeletionProtectionEnabled"`
	TableClassSummary         *tableClassSummary `json:"TableClassSummary,omitempty"`
	SSEDescription            *sseDesc           `json:"SSEDescription,omitempty"`
	OnDemandThroughput        *onDemandLimits    `json:"OnDemandThroughput,omitempty"`
	WarmThroughput            *warmDesc          `json:"WarmThroughput,omitempty"`
}

type tableOutput struct {
	TableDescription *tableDesc `json:"TableDescription"`
}

func tableNotFound(name string) error {
	return notFound("Requested resource not found: Table: %s not found", name)
}

// authorizedTable looks up the table a control-plane request names, and
// checks that the caller may run action on it. A missing table is
// ResourceNotFoundException naming it.
func (s *Store) authorizedTable(ctx context.Context, name, action string) (*table, error) {
	t, err := s.table(name)
	if err != nil {
		return nil, tableNotFound(name)
	}
	if err := s.authorize(ctx, &Access{Action: action, Table: t.name()}); err != nil {
		return nil, err
	}
	return t, nil
}

// maxKeyNameLength is the longest name, in characters, of an attribute
// in a key schema or an attribute definition.
const maxKeyNameLength = 255

// checkAttrNameLength refuses a key or attribute definition's name longer
// than maxKeyNameLength, found at field.
func checkAttrNameLength(name, field string) error {
	if utf8.RuneCountInString(name) > maxKeyNameLength {
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", name, field, maxKeyNameLength)
	}
	return nil
}

func checkKeySchema(ks []keyElem, types map[string]string, field string) error {
	if ks == nil {
		return validationf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
	}
	if len(ks) == 0 {
		return validationf("1 validation error detected: Value '[]' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", field)
	}
	if len(ks) > 2 {
		elems := make([]string, len(ks))
		for i, k := range ks {
			elems[i] = fmt.Sprintf("KeySchemaElement(attributeName=%s, keyType=%s)", k.AttributeName, k.KeyType)
		}
		return validationf("1 validation error detected: Value '[%s]' at '%s' failed to satisfy constraint: Member must have length less than or equal to 2", strings.Join(elems, ", "), field)
	}
	for i, k := range ks {
		if err := checkAttrNameLength(k.AttributeName, fmt.Sprintf("%s.%d.member.attributeName", field, i+1)); err != nil {
			return err
		}
		if k.KeyType != "HASH" && k.KeyType != "RANGE" {
			return validationf("1 validation error detected: Value '%s' at '%s.%d.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]", k.KeyType, field, i+1)
		}
	}
	if ks[0].KeyType != "HASH" {
		return validationf("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	if len(ks) == 2 {
		if ks[1].KeyType != "RANGE" {
			return validationf("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
		}
		if ks[0].AttributeName == ks[1].AttributeName {
			return validationf("Invalid KeySchema: Some index key attribute have no definition")
		}
	}
	var missing []string
	for _, k := range ks {
		if types[k.AttributeName] == "" {
			missing = append(missing, k.AttributeName)
		}
	}
	if len(missing) > 0 {
		var defs []string
		for n := range types {
			defs = append(defs, n)
		}
		// DynamoDB lists the definitions in its Java hash set's order
		// (ack-api-quirks DDB-TABLE-127: "AttributeDefinitions: [sk, pk]").
		sort.Strings(defs)
		return validationf("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]", strings.Join(missing, ", "), strings.Join(javaSetOrder(defs), ", "))
	}
	return nil
}

// checkProjection validates the projection of the index at field (such
// as "globalSecondaryIndexes.1.member").
func checkProjection(p *projection, field string) error {
	if p == nil {
		return validationf("1 validation error detected: Value null at '%s.projection' failed to satisfy constraint: Member must not be null", field)
	}
	nk := p.NonKeyAttributes
	switch p.ProjectionType {
	case "":
		return validationf("One or more parameter values were invalid: Unknown ProjectionType: null")
	case "ALL", "KEYS_ONLY":
		if len(nk) > 0 {
			return validationf("One or more parameter values were invalid: ProjectionType is %s, but NonKeyAttributes is specified", p.ProjectionType)
		}
	case "INCLUDE":
		switch {
		case nk == nil:
			return validationf("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
		case len(nk) == 0:
			return validationf("1 validation error detected: Value '[]' at '%s.projection.nonKeyAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1", field)
		case len(nk) > maxNonKeyAttributes:
			return validationf("1 validation error detected: Value '[%s]' at '%s.projection.nonKeyAttributes' failed to satisfy constraint: Member must have length less than or equal to %d", strings.Join(nk, ", "), field, maxNonKeyAttributes)
		}
		seen := make(map[string]bool, len(nk))
		for _, a := range nk {
			if seen[a] {
				return validationf("One or more parameter values were invalid: Duplicate element in NonKeyAttributes: %s", a)
			}
			seen[a] = true
		}
	default:
		return validationf("1 validation error detected: Value '%s' at '%s.projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]", p.ProjectionType, field)
	}
	return nil
}

// maxNonKeyAttributes is the most attributes one INCLUDE projection names.
const maxNonKeyAttributes = 20

// checkThroughput validates capacity units as DynamoDB's request
// validation does; field names the ProvisionedThroughput member.
func checkThroughput(tp *throughput, field string) error {
	if tp == nil {
		return nil
	}
	var errs []string
	for _, u := range []struct {
		name  string
		units int64
	}{{"readCapacityUnits", tp.ReadCapacityUnits}, {"writeCapacityUnits", tp.WriteCapacityUnits}} {
		if u.units < 1 {
			errs = append(errs, fmt.Sprintf("Value '%d' at '%s.%s' failed to satisfy constraint: Member must have value greater than or equal to 1", u.units, field, u.name))
		}
	}
	return constraintErrors(errs)
}

// constraintErrors reports the request validation errors errs (nil if
// none) in one ValidationException, as DynamoDB does.
func constraintErrors(errs []string) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return validationf("1 validation error detected: %s", errs[0])
	}
	return validationf("%d validation errors detected: %s", len(errs), strings.Join(errs, "; "))
}

func checkTableClass(class string) error {
	switch class {
	case "", "STANDARD", "STANDARD_INFREQUENT_ACCESS":
		return nil
	}
	return validationf("1 validation error detected: Value '%s' at 'tableClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]", class)
}

// sseKey validates an SSESpecification and returns the ARN of the KMS key
// DynamoDB would report for it: "" unless encryption with a KMS key is
// enabled, the AWS managed key unless KMSMasterKeyId names another.
func (s *Store) sseKey(spec *sseSpec) (string, error) {
	if spec == nil {
		return "", nil
	}
	switch spec.SSEType {
	case "", "KMS", "AES256":
	default:
		return "", validationf("1 validation error detected: Value '%s' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]", spec.SSEType)
	}
	if spec.Enabled == nil || !*spec.Enabled {
		return "", nil
	}
	if id := spec.KMSMasterKeyId; id != "" {
		return s.kmsKeyARN(id), nil
	}
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", s.region, s.acct, newID()), nil
}

// kmsKeyARN is the ARN of the KMS key a KMSMasterKeyId names.
func (s *Store) kmsKeyARN(id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", s.region, s.acct, strings.TrimPrefix(id, "key/"))
}

// Per-table limits on secondary indexes.
const (
	maxGSIs = 20
	maxLSIs = 5
)

func (s *Store) createTable(ctx context.Context, in *createTableInput) (*tableOutput, error) {
	if in.TableName == "" {
		return nil, validationf("The parameter 'TableName' is required but was not present in the request")
	}
	if err := checkTableName(in.TableName, "tableName"); err != nil {
		return nil, err
	}
	if strings.HasPrefix(in.TableName, "arn:") {
		// Not the ARN of a table of the store's region and account.
		return nil, validationf("1 validation error detected: Value '%s' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+", in.TableName)
	}
	if err := checkThroughput(in.ProvisionedThroughput, "provisionedThroughput"); err != nil {
		return nil, err
	}
	for i, ix := range in.GlobalSecondaryIndexes {
		if err := checkThroughput(ix.ProvisionedThroughput, fmt.Sprintf("globalSecondaryIndexes.%d.member.provisionedThroughput", i+1)); err != nil {
			return nil, err
		}
	}
	types := map[string]string{}
	for i, d := range in.AttributeDefinitions {
		if err := checkAttrNameLength(d.AttributeName, fmt.Sprintf("attributeDefinitions.%d.member.attributeName", i+1)); err != nil {
			return nil, err
		}
		switch d.AttributeType {
		case typeS, typeN, typeB:
		default:
			return nil, validationf("1 validation error detected: Value '%s' at 'attributeDefinitions.%d.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]", d.AttributeType, i+1)
		}
		if types[d.AttributeName] != "" {
			return nil, validationf("Attribute Name is duplicated: %s", d.AttributeName)
		}
		types[d.AttributeName] = d.AttributeType
	}
	if err := checkKeySchema(in.KeySchema, types, "keySchema"); err != nil {
		return nil, err
	}
	mode := in.BillingMode
	switch mode {
	case "", "PROVISIONED":
		mode = "PROVISIONED"
		if in.ProvisionedThroughput == nil {
			return nil, validationf("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
		}
	case "PAY_PER_REQUEST":
		if in.ProvisionedThroughput != nil {
			return nil, validationf("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
	default:
		return nil, validationf("1 validation error detected: Value '%s' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]", mode)
	}
	if ss := in.StreamSpecification; ss != nil && !ss.StreamEnabled && ss.StreamViewType != "" {
		return nil, validationf("One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified")
	}
	if err := checkTableClass(in.TableClass); err != nil {
		return nil, err
	}
	sseKey, err := s.sseKey(in.SSESpecification)
	if err != nil {
		return nil, err
	}
	meta := tableMeta{
		Name:                 in.TableName,
		AttributeDefinitions: in.AttributeDefinitions,
		KeySchema:            in.KeySchema,
		BillingMode:          mode,
		Created:              float64(s.now().UnixMilli()) / 1000,
		TableID:              newID(),
		DeletionProtection:   in.DeletionProtectionEnabled,
		TableClass:           in.TableClass,
		SSEKey:               sseKey,
		OnDemand:             in.OnDemandThroughput,
	}
	if in.ProvisionedThroughput != nil {
		meta.Throughput = *in.ProvisionedThroughput
	}
	if meta.Warm, err = initialWarm(in.WarmThroughput, "table", mode, &meta.Throughput); err != nil {
		return nil, err
	}
	// ack-api-quirks DDB-TABLE-110: the tags are checked as TagResource
	// checks them; an empty list is accepted.
	if meta.Tags, err = checkTags(in.Tags); err != nil {
		return nil, err
	}
	if len(meta.Tags) == 0 {
		meta.Tags = nil
	}
	used := map[string]bool{}
	for _, k := range in.KeySchema {
		used[k.AttributeName] = true
	}
	if err := checkDefinitionsUsed(in); err != nil {
		return nil, err
	}
	names := map[string]bool{}
	if len(in.LocalSecondaryIndexes) > 0 && len(in.KeySchema) < 2 {
		return nil, validationf("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
	}
	// ack-api-quirks DDB-TABLE-043: an empty list is refused, not taken
	// for none.
	if in.GlobalSecondaryIndexes != nil && len(in.GlobalSecondaryIndexes) == 0 {
		return nil, validationf("One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty")
	}
	if in.LocalSecondaryIndexes != nil && len(in.LocalSecondaryIndexes) == 0 {
		return nil, validationf("One or more parameter values were invalid: List of LocalSecondaryIndexes is empty")
	}
	if len(in.GlobalSecondaryIndexes) > maxGSIs {
		return nil, validationf("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of %d", maxGSIs)
	}
	if len(in.LocalSecondaryIndexes) > maxLSIs {
		return nil, validationf("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of %d", maxLSIs)
	}
	for _, group := range []struct {
		global bool
		field  string
		list   []indexInput
	}{{false, "localSecondaryIndexes", in.LocalSecondaryIndexes}, {true, "globalSecondaryIndexes", in.GlobalSecondaryIndexes}} {
		for i, ix := range group.list {
			im, err := newIndex(ix, fmt.Sprintf("%s.%d.member", group.field, i+1), group.global, mode, types, in.KeySchema)
			if err != nil {
				return nil, err
			}
			if names[ix.IndexName] {
				return nil, validationf("One or more parameter values were invalid: Duplicate index name: %s", ix.IndexName)
			}
			names[ix.IndexName] = true
			for _, k := range ix.KeySchema {
				used[k.AttributeName] = true
			}
			meta.Indexes = append(meta.Indexes, im)
		}
	}
	if len(used) != len(types) {
		return nil, validationf("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
	}
	if err := s.authorize(ctx, &Access{Action: "dynamodb:CreateTable", Table: in.TableName}); err != nil {
		return nil, err
	}
	t := &table{meta: meta}
	t.init()
	err = s.write(func(tx querier) error {
		s.mu.RLock()
		exists := s.tables[in.TableName] != nil
		s.mu.RUnlock()
		if exists {
			return newError(codeResourceInUse, http.StatusBadRequest, "Table already exists: %s", in.TableName)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM ddb_tables`).Scan(&t.id); err != nil {
			return err
		}
		return s.saveTable(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return &tableOutput{s.describe(ctx, s.db, t, "ACTIVE", false)}, nil
}

// newIndex validates the index ix, which the request has at field (such as
// "globalSecondaryIndexes.1.member"), and returns what the store keeps of
// it.
func newIndex(ix indexInput, field string, global bool, mode string, types map[string]string, tableKey []keyElem) (indexMeta, error) {
	if err := checkTableName(ix.IndexName, field+".indexName"); err != nil {
		return indexMeta{}, err
	}
	if err := checkKeySchema(ix.KeySchema, types, field+".keySchema"); err != nil {
		return indexMeta{}, err
	}
	if err := checkProjection(ix.Projection, field); err != nil {
		return indexMeta{}, err
	}
	im := indexMeta{IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: *ix.Projection, Global: global}
	if !global {
		if len(ix.KeySchema) < 2 {
			return im, validationf("One or more parameter values were invalid: Index KeySchema does not have a range key for index: %s", ix.IndexName)
		}
		if ix.KeySchema[0].AttributeName != tableKey[0].AttributeName {
			return im, validationf("One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: %s. index hash key: %s, table hash key: %s", ix.IndexName, ix.KeySchema[0].AttributeName, tableKey[0].AttributeName)
		}
		return im, nil
	}
	switch {
	case mode == "PROVISIONED" && ix.ProvisionedThroughput == nil:
		return im, validationf("One or more parameter values were invalid: ProvisionedThroughput is not specified for index: %s", ix.IndexName)
	case mode == "PAY_PER_REQUEST" && ix.ProvisionedThroughput != nil:
		return im, validationf("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: %s when BillingMode is PAY_PER_REQUEST", ix.IndexName)
	}
	im.Throughput = ix.ProvisionedThroughput
	im.OnDemand = ix.OnDemandThroughput
	warm, err := initialWarm(ix.WarmThroughput, "index "+ix.IndexName, mode, ix.ProvisionedThroughput)
	if err != nil {
		return im, err
	}
	im.Warm = warm
	return im, nil
}

func (s *Store) saveMeta(ctx context.Context, tx querier, t *table) error {
	meta, err := json.Marshal(t.meta)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO ddb_tables (name, id, meta) VALUES (?,?,?)`, t.meta.Name, t.id, meta)
	return err
}

// saveTable stores t's metadata within tx, and makes t the current
// version of its table once tx commits.
func (s *Store) saveTable(ctx context.Context, tx querier, t *table) error {
	if err := s.saveMeta(ctx, tx, t); err != nil {
		return err
	}
	s.onCommit(func() { s.publish(t) })
	return nil
}

// publish makes t the current version of its table.
func (s *Store) publish(t *table) {
	s.mu.Lock()
	s.tables[t.meta.Name] = t
	s.mu.Unlock()
}

// describe builds a TableDescription, counting items.
func (s *Store) describe(ctx context.Context, q querier, t *table, status string, count bool) *tableDesc {
	m := &t.meta
	d := &tableDesc{
		AttributeDefinitions:      sortedDefinitions(m.AttributeDefinitions),
		TableName:                 m.Name,
		KeySchema:                 m.KeySchema,
		TableStatus:               status,
		CreationDateTime:          m.Created,
		ProvisionedThroughput:     m.desc(m.Throughput, s.now()),
		TableArn:                  s.tableARN(m.Name),
		TableId:                   m.TableID,
		DeletionProtectionEnabled: m.DeletionProtection,
	}
	if m.BillingMode == "PAY_PER_REQUEST" || m.BillingSwitched {
		since := m.PayPerRequestSince
		if since == 0 {
			since = m.Created
		}
		d.BillingModeSummary = &billingSummary{BillingMode: m.BillingMode, LastUpdateToPayPerRequestDateTime: since}
	}
	if m.TableClass != "" {
		d.TableClassSummary = &tableClassSummary{TableClass: m.TableClass}
	}
	if m.SSEKey != "" {
		d.SSEDescription = &sseDesc{Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: m.SSEKey}
	}
	d.OnDemandThroughput = m.OnDemand
	if count {
		q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(LENGTH(doc)), 0) FROM ddb_items WHERE t=?`, t.id).Scan(&d.ItemCount, &d.TableSizeBytes)
	}
	for _, ix := range t.order {
		id := indexDesc{
			IndexName:  ix.meta.IndexName,
			KeySchema:  ix.meta.KeySchema,
			Projection: ix.meta.Projection,
			IndexArn:   s.tableARN(m.Name) + "/index/" + ix.meta.IndexName,
		}
		if nk := id.Projection.NonKeyAttributes; len(nk) > 1 {
			id.Projection.NonKeyAttributes = slices.Sorted(slices.Values(nk))
		}
		if count {
			q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(LENGTH(doc)), 0) FROM ddb_index_items WHERE t=? AND i=?`, t.id, ix.meta.IndexName).Scan(&id.ItemCount, &id.IndexSizeBytes)
		}
		if ix.meta.Global {
			id.IndexStatus = "ACTIVE"
			var tp throughput
			if ix.meta.Throughput != nil {
				tp = *ix.meta.Throughput
			}
			pd := ix.meta.desc(tp, s.now())
			id.ProvisionedThroughput = &pd
			id.OnDemandThroughput = ix.meta.OnDemand
			d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, id)
		} else {
			d.LocalSecondaryIndexes = append(d.LocalSecondaryIndexes, id)
		}
	}
	return d
}

// checkDefinitionsUsed refuses, for a table with secondary indexes,
// attribute definitions that no key uses (ack-api-quirks DDB-TABLE-127,
// captured from DynamoDB: checked before the indexes' other rules; the
// definitions are listed as given, the keys in the order of the Java hash
// set DynamoDB collects them in). A table without indexes gets DynamoDB's
// other message, at the end of createTable.
func checkDefinitionsUsed(in *createTableInput) error {
	if len(in.LocalSecondaryIndexes)+len(in.GlobalSecondaryIndexes) == 0 {
		return nil
	}
	keys := appendKeyNames(nil, in.KeySchema)
	for _, ix := range in.LocalSecondaryIndexes {
		keys = appendKeyNames(keys, ix.KeySchema)
	}
	for _, ix := range in.GlobalSecondaryIndexes {
		keys = appendKeyNames(keys, ix.KeySchema)
	}
	unused := false
	defs := make([]string, len(in.AttributeDefinitions))
	for i, d := range in.AttributeDefinitions {
		defs[i] = d.AttributeName
		unused = unused || !slices.Contains(keys, d.AttributeName)
	}
	if !unused {
		return nil
	}
	return validationf("One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [%s], keys used: [%s]",
		strings.Join(defs, ", "), strings.Join(javaSetOrder(keys), ", "))
}

// appendKeyNames appends to names the attributes of ks it lacks.
func appendKeyNames(names []string, ks []keyElem) []string {
	for _, k := range ks {
		if !slices.Contains(names, k.AttributeName) {
			names = append(names, k.AttributeName)
		}
	}
	return names
}

// javaSetOrder returns names (distinct, in the order added) in the order a
// java.util.HashSet holding them iterates: by bucket of the spread
// String.hashCode in a table grown to hold them at a load factor of 0.75,
// in the order added within a bucket.
func javaSetOrder(names []string) []string {
	n := 16
	for float64(len(names)) > 0.75*float64(n) {
		n *= 2
	}
	bucket := func(s string) int {
		var h int32
		for _, c := range utf16.Encode([]rune(s)) {
			h = 31*h + int32(c)
		}
		u := uint32(h)
		return int((u ^ u>>16) & uint32(n-1))
	}
	out := slices.Clone(names)
	slices.SortStableFunc(out, func(a, b string) int { return bucket(a) - bucket(b) })
	return out
}

// sortedDefinitions returns defs sorted by name, as DynamoDB describes
// them.
func sortedDefinitions(defs []attrDef) []attrDef {
	return slices.SortedFunc(slices.Values(defs), func(a, b attrDef) int { return strings.Compare(a.AttributeName, b.AttributeName) })
}

type tableNameInput struct {
	TableName string `json:"TableName"`
}

type describeTableOutput struct {
	Table *tableDesc `json:"Table"`
}

func (s *Store) describeTable(ctx context.Context, in *tableNameInput) (*describeTableOutput, error) {
	if err := checkTableName(in.TableName, "tableName"); err != nil {
		return nil, err
	}
	t, err := s.authorizedTable(ctx, in.TableName, "dynamodb:DescribeTable")
	if err != nil {
		return nil, err
	}
	d := s.describe(ctx, s.db, t, "ACTIVE", true)
	// DescribeTable reports WarmThroughput on the table and each global
	// index (CreateTable's answer has none on the indexes).
	m := &t.meta
	d.WarmThroughput = &warmDesc{effectiveWarm(m.Warm, m.BillingMode, &m.Throughput), "ACTIVE"}
	for i := range d.GlobalSecondaryIndexes {
		ix := t.indexes[d.GlobalSecondaryIndexes[i].IndexName].meta
		d.GlobalSecondaryIndexes[i].WarmThroughput = &warmDesc{effectiveWarm(ix.Warm, m.BillingMode, ix.Throughput), "ACTIVE"}
	}
	return &describeTableOutput{d}, nil
}

type listTablesInput struct {
	ExclusiveStartTableName string `json:"ExclusiveStartTableName"`
	Limit                   *int   `json:"Limit"`
}

type listTablesOutput struct {
	TableNames             []string `json:"TableNames"`
	LastEvaluatedTableName string   `json:"LastEvaluatedTableName,omitempty"`
}

func (s *Store) listTables(ctx context.Context, in *listTablesInput) (*listTablesOutput, error) {
	if in.ExclusiveStartTableName != "" {
		if err := checkTableName(in.ExclusiveStartTableName, "exclusiveStartTableName"); err != nil {
			return nil, err
		}
	}
	limit := 100
	if in.Limit != nil {
		limit = *in.Limit
		if limit < 1 {
			return nil, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", limit)
		}
		if limit > 100 {
			return nil, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100", limit)
		}
	}
	if err := s.authorize(ctx, &Access{Action: "dynamodb:ListTables", Resource: fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/*", s.region, s.acct)}); err != nil {
		return nil, err
	}
	s.mu.RLock()
	names := sortedKeys(s.tables)
	s.mu.RUnlock()
	out := &listTablesOutput{TableNames: []string{}}
	for _, n := range names {
		if in.ExclusiveStartTableName != "" && n <= in.ExclusiveStartTableName {
			continue
		}
		if len(out.TableNames) == limit {
			out.LastEvaluatedTableName = out.TableNames[limit-1]
			break
		}
		out.TableNames = append(out.TableNames, n)
	}
	return out, nil
}

func (s *Store) deleteTable(ctx context.Context, in *tableNameInput) (*tableOutput, error) {
	if err := checkTableName(in.TableName, "tableName"); err != nil {
		return nil, err
	}
	var desc *tableDesc
	err := s.write(func(tx querier) error {
		t, err := s.authorizedTable(ctx, in.TableName, "dynamodb:DeleteTable")
		if err != nil {
			return err
		}
		if t.meta.DeletionProtection {
			return validationf("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
		}
		desc = s.describe(ctx, tx, t, "DELETING", true)
		for _, q := range []string{
			`DELETE FROM ddb_items WHERE t=?`,
			`DELETE FROM ddb_index_items WHERE t=?`,
			`DELETE FROM ddb_tables WHERE id=?`,
		} {
			if _, err := tx.ExecContext(ctx, q, t.id); err != nil {
				return err
			}
		}
		s.onCommit(func() {
			s.mu.Lock()
			delete(s.tables, in.TableName)
			s.mu.Unlock()
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &tableOutput{desc}, nil
}

// backfill fills a new index from the table's items.
func (s *Store) backfill(ctx context.Context, tx querier, t *table, ix *index) error {
	type row struct {
		ph, pr []byte
		doc    []byte
	}
	rows, err := tx.QueryContext(ctx, `SELECT h, r, doc FROM ddb_items WHERE t=?`, t.id)
	if err != nil {
		return err
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.ph, &r.pr, &r.doc); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range all {
		it, err := decodeItem(r.doc)
		if err != nil {
			return err
		}
		p := t.project(ix, it)
		if p == nil {
			continue
		}
		// Items whose index key has the wrong type stay out of the index,
		// as DynamoDB reports them as backfill violations.
		bad := false
		for _, a := range ix.key.attrs() {
			if it[a].t != t.types[a] {
				bad = true
			}
		}
		if bad {
			continue
		}
		if err := insertIndexRow(ctx, tx, t, ix, p, it, r.ph, r.pr, t.expiry(it)); err != nil {
			return err
		}
	}
	return nil
}

type ttlSpec struct {
	Enabled       bool   `json:"Enabled"`
	AttributeName string `json:"AttributeName"`
}

type updateTTLInput struct {
	TableName               string `json:"TableName"`
	TimeToLiveSpecification *struct {
		Enabled       bool    `json:"Enabled"`
		AttributeName *string `json:"AttributeName"`
	} `json:"TimeToLiveSpecification"`
}

type updateTTLOutput struct {
	TimeToLiveSpecification *ttlSpec `json:"TimeToLiveSpecification"`
}

func (s *Store) updateTimeToLive(ctx context.Context, in *updateTTLInput) (*updateTTLOutput, error) {
	if err := checkTableName(in.TableName, "tableName"); err != nil {
		return nil, err
	}
	if in.TimeToLiveSpecification == nil {
		return nil, validationf("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null")
	}
	switch name := in.TimeToLiveSpecification.AttributeName; {
	case name == nil:
		return nil, validationf("1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null")
	case *name == "":
		return nil, validationf("1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1")
	case len(*name) > 255:
		return nil, validationf("1 validation error detected: Value '%s' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255", *name)
	}
	spec := &ttlSpec{Enabled: in.TimeToLiveSpecification.Enabled, AttributeName: *in.TimeToLiveSpecification.AttributeName}
	err := s.write(func(tx querier) error {
		old, err := s.authorizedTable(ctx, in.TableName, "dynamodb:UpdateTimeToLive")
		if err != nil {
			return err
		}
		if spec.Enabled && old.meta.TTLEnabled {
			return validationf("TimeToLive is already enabled")
		}
		if !spec.Enabled && !old.meta.TTLEnabled {
			return validationf("TimeToLive is already disabled")
		}
		if !spec.Enabled && spec.AttributeName != old.meta.TTLAttribute {
			return validationf("TimeToLive is active on a different AttributeName: current AttributeName is %s", old.meta.TTLAttribute)
		}
		meta := old.meta
		meta.TTLEnabled, meta.TTLAttribute = spec.Enabled, spec.AttributeName
		t := &table{id: old.id, meta: meta}
		t.init()
		if err := s.recomputeExpiry(ctx, tx, t); err != nil {
			return err
		}
		return s.saveTable(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return &updateTTLOutput{spec}, nil
}

// recomputeExpiry rewrites every item's expiry after a TTL change, and
// rebuilds the indexes so that their entries carry it too.
func (s *Store) recomputeExpiry(ctx context.Context, tx querier, t *table) error {
	type row struct {
		hh   int64
		h, r []byte
		doc  []byte
	}
	rows, err := tx.QueryContext(ctx, `SELECT hh, h, r, doc FROM ddb_items WHERE t=?`, t.id)
	if err != nil {
		return err
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.hh, &r.h, &r.r, &r.doc); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ddb_index_items WHERE t=?`, t.id); err != nil {
		return err
	}
	for _, r := range all {
		it, err := decodeItem(r.doc)
		if err != nil {
			return err
		}
		exp := t.expiry(it)
		if _, err := tx.ExecContext(ctx, `UPDATE ddb_items SET exp=? WHERE t=? AND hh=? AND h=? AND r=?`, exp, t.id, r.hh, r.h, r.r); err != nil {
			return err
		}
		if err := s.indexRows(ctx, tx, t, nil, it, r.h, r.r, exp); err != nil {
			return err
		}
	}
	return nil
}

type describeTTLOutput struct {
	TimeToLiveDescription struct {
		TimeToLiveStatus string `json:"TimeToLiveStatus"`
		AttributeName    string `json:"AttributeName,omitempty"`
	} `json:"TimeToLiveDescription"`
}

func (s *Store) describeTimeToLive(ctx context.Context, in *tableNameInput) (*describeTTLOutput, error) {
	if err := checkTableName(in.TableName, "tableName"); err != nil {
		return nil, err
	}
	t, err := s.authorizedTable(ctx, in.TableName, "dynamodb:DescribeTimeToLive")
	if err != nil {
		return nil, err
	}
	out := &describeTTLOutput{}
	out.TimeToLiveDescription.TimeToLiveStatus = "DISABLED"
	if t.meta.TTLEnabled {
		out.TimeToLiveDescription.TimeToLiveStatus = "ENABLED"
		out.TimeToLiveDescription.AttributeName = t.meta.TTLAttribute
	}
	return out, nil
}

type describeEndpointsOutput struct {
	Endpoints []struct {
		Address              string `json:"Address"`
		CachePeriodInMinutes int64  `json:"CachePeriodInMinutes"`
	} `json:"Endpoints"`
}

func (s *Store) describeEndpoints(ctx context.Context, _ *struct{}) (*describeEndpointsOutput, error) {
	out := &describeEndpointsOutput{}
	out.Endpoints = append(out.Endpoints, struct {
		Address              string `json:"Address"`
		CachePeriodInMinutes int64  `json:"CachePeriodInMinutes"`
	}{"dynamodb." + s.region + ".amazonaws.com", 1440})
	return out, nil
}

// sweeper deletes expired items in the background.
func (s *Store) sweeper(every time.Duration) {
	defer close(s.done)
	for {
		t := s.clock.NewTimer(every)
		select {
		case <-s.stop:
			t.Stop()
			return
		case <-t.C():
		}
		if err := s.SweepExpired(context.Background()); err != nil {
			s.log.Warn("localdynamo: TTL sweep", "err", err)
		}
	}
}

// SweepExpired deletes every item whose TTL has passed. The store calls it
// periodically (see [Options.TTLSweepInterval]); expired items are
// invisible to reads before then.
func (s *Store) SweepExpired(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		err := s.sweepExpired(ctx)
		if !errors.Is(err, errTablesChanged) || attempt == 3 {
			return err
		}
		// Another process changed the tables, which are reloaded: sweep
		// by the new list.
	}
}

func (s *Store) sweepExpired(ctx context.Context) error {
	s.mu.RLock()
	tables := make([]*table, 0, len(s.tables))
	for _, t := range s.tables {
		if t.meta.TTLEnabled {
			tables = append(tables, t)
		}
	}
	s.mu.RUnlock()
	for _, t := range tables {
		now, floor := s.ttlBounds()
		err := s.write(func(tx querier) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM ddb_items WHERE t=? AND exp IS NOT NULL AND exp <= ? AND exp >= ?`, t.id, now, floor); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `DELETE FROM ddb_index_items WHERE t=? AND exp IS NOT NULL AND exp <= ? AND exp >= ?`, t.id, now, floor)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
