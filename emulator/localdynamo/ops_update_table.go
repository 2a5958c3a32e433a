package localdynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

type gsiUpdate struct {
	Create *indexInput `json:"Create"`
	Delete *struct {
		IndexName string `json:"IndexName"`
	} `json:"Delete"`
	Update *gsiThroughputUpdate `json:"Update"`
}

// gsiThroughputUpdate is an UpdateGlobalSecondaryIndexAction.
type gsiThroughputUpdate struct {
	IndexName             string          `json:"IndexName"`
	ProvisionedThroughput *throughput     `json:"ProvisionedThroughput"`
	OnDemandThroughput    *onDemandLimits `json:"OnDemandThroughput"`
	WarmThroughput        *warmInput      `json:"WarmThroughput"`
}

// warmInput is a WarmThroughput in a request: either member may be
// left out.
type warmInput struct {
	ReadUnitsPerSecond  *int64 `json:"ReadUnitsPerSecond"`
	WriteUnitsPerSecond *int64 `json:"WriteUnitsPerSecond"`
}

// empty reports whether w sets nothing.
func (w *warmInput) empty() bool {
	return w == nil || (w.ReadUnitsPerSecond == nil && w.WriteUnitsPerSecond == nil)
}

// initialWarm checks the WarmThroughput w that CreateTable, or an index
// creation, gives what ("table" or "index <name>"), billed by mode with
// throughput tp, and returns the WarmThroughput to record: nil for the
// one the mode and throughput give. It may not be lower than that
// (ack-api-quirks DDB-TABLE-442's catalogue; an empty one is dropped,
// DDB-TABLE-456).
func initialWarm(w *warmInput, what, mode string, tp *throughput) (*warmUnits, error) {
	if w.empty() {
		return nil, nil
	}
	warm := effectiveWarm(nil, mode, tp)
	for _, u := range []struct {
		name, capacity string
		set, cur       *int64
	}{
		{"ReadUnitsPerSecond", "ReadCapacityUnits", w.ReadUnitsPerSecond, &warm.ReadUnitsPerSecond},
		{"WriteUnitsPerSecond", "WriteCapacityUnits", w.WriteUnitsPerSecond, &warm.WriteUnitsPerSecond},
	} {
		switch {
		case u.set == nil:
		case *u.set < *u.cur && mode == "PAY_PER_REQUEST":
			// DynamoDB's message goes on with a link to its documentation.
			return nil, invalidParam("Requested %s for WarmThroughput for %s is lower than initial throughput for OnDemand", u.name, what)
		case *u.set < *u.cur:
			return nil, invalidParam("Requested %s for WarmThroughput for %s is lower than %s of ProvisionedThroughput", u.name, what, u.capacity)
		default:
			*u.cur = *u.set
		}
	}
	return &warm, nil
}

// raise returns cur with the units w sets, refusing a decrease of either,
// for what ("table" or "index <name>").
func (w *warmInput) raise(cur warmUnits, what string) (*warmUnits, error) {
	for _, u := range []struct {
		name string
		set  *int64
		cur  *int64
	}{
		{"ReadUnitsPerSecond", w.ReadUnitsPerSecond, &cur.ReadUnitsPerSecond},
		{"WriteUnitsPerSecond", w.WriteUnitsPerSecond, &cur.WriteUnitsPerSecond},
	} {
		if u.set == nil {
			continue
		}
		if *u.set < *u.cur {
			return nil, invalidParam("Requested %s for WarmThroughput for %s is lower than current WarmThroughput, decreasing WarmThroughput is not supported", u.name, what)
		}
		*u.cur = *u.set
	}
	return &cur, nil
}

// name is the index the update names.
func (u *gsiUpdate) name() string {
	switch {
	case u.Create != nil:
		return u.Create.IndexName
	case u.Delete != nil:
		return u.Delete.IndexName
	case u.Update != nil:
		return u.Update.IndexName
	}
	return ""
}

type updateTableInput struct {
	TableName                   string          `json:"TableName"`
	AttributeDefinitions        []attrDef       `json:"AttributeDefinitions"`
	BillingMode                 string          `json:"BillingMode"`
	ProvisionedThroughput       *throughput     `json:"ProvisionedThroughput"`
	GlobalSecondaryIndexUpdates []gsiUpdate     `json:"GlobalSecondaryIndexUpdates"`
	DeletionProtectionEnabled   *bool           `json:"DeletionProtectionEnabled"`
	TableClass                  string          `json:"TableClass"`
	OnDemandThroughput          *onDemandLimits `json:"OnDemandThroughput"`
	SSESpecification            *sseSpec        `json:"SSESpecification"`
	// Streams are not implemented; the specification is only validated.
	StreamSpecification *streamSpec `json:"StreamSpecification"`

	WarmThroughput *warmInput `json:"WarmThroughput"`

	// Members of features the store does not implement, refused by name.
	ReplicaUpdates            json.RawMessage `json:"ReplicaUpdates"`
	MultiRegionConsistency    json.RawMessage `json:"MultiRegionConsistency"`
	GlobalTableWitnessUpdates json.RawMessage `json:"GlobalTableWitnessUpdates"`
}

// errNothingToUpdate is DynamoDB's answer to an UpdateTable that changes
// nothing (AttributeDefinitions alone and an empty
// GlobalSecondaryIndexUpdates count as nothing).
const errNothingToUpdate = "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, " +
	"SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, " +
	"DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"

// errOneOnlineIndex is DynamoDB's LimitExceededException for more than
// one index created or deleted by one UpdateTable.
const errOneOnlineIndex = "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"

func invalidParam(format string, args ...any) *apiError {
	return validationf("One or more parameter values were invalid: "+format, args...)
}

func limitExceeded(format string, args ...any) *apiError {
	return newError(codeLimitExceeded, http.StatusBadRequest, format, args...)
}

// members lists the members of in that ask for a change, in the order
// DynamoDB's single-concern rules are checked.
func (in *updateTableInput) members() []string {
	var m []string
	add := func(present bool, name string) {
		if present {
			m = append(m, name)
		}
	}
	add(in.SSESpecification != nil, "SSESpecification")
	add(in.DeletionProtectionEnabled != nil, "DeletionProtectionEnabled")
	add(in.TableClass != "", "TableClass")
	add(in.OnDemandThroughput != nil, "OnDemandThroughput")
	// An empty WarmThroughput is dropped (ack-api-quirks DDB-TABLE-456).
	add(!in.WarmThroughput.empty(), "WarmThroughput")
	add(in.BillingMode != "", "BillingMode")
	add(in.ProvisionedThroughput != nil, "ProvisionedThroughput")
	add(in.StreamSpecification != nil, "StreamSpecification")
	add(len(in.GlobalSecondaryIndexUpdates) > 0, "GlobalSecondaryIndexUpdates")
	return m
}

// check applies the rules of UpdateTable that depend on the request alone.
// DynamoDB applies them before it looks the table up: an UpdateTable of a
// missing table that changes nothing is a ValidationException.
func (in *updateTableInput) check() error {
	if err := checkTableName(in.TableName, "tableName"); err != nil {
		return err
	}
	if err := checkThroughput(in.ProvisionedThroughput, "provisionedThroughput"); err != nil {
		return err
	}
	for i, u := range in.GlobalSecondaryIndexUpdates {
		switch {
		case u.Create != nil:
			err := checkThroughput(u.Create.ProvisionedThroughput, fmt.Sprintf("globalSecondaryIndexUpdates.%d.member.create.provisionedThroughput", i+1))
			if err != nil {
				return err
			}
		case u.Update != nil:
			err := checkThroughput(u.Update.ProvisionedThroughput, fmt.Sprintf("globalSecondaryIndexUpdates.%d.member.update.provisionedThroughput", i+1))
			if err != nil {
				return err
			}
			// Checked before the table is looked up (DDB-TABLE-456).
			if w := u.Update.WarmThroughput; w != nil && w.empty() {
				return invalidParam("WarmThroughput must have at least one of ReadUnitsPerSecond or WriteUnitsPerSecond specified for index: %s", u.Update.IndexName)
			}
		}
	}
	switch in.BillingMode {
	case "", "PROVISIONED", "PAY_PER_REQUEST":
	default:
		return validationf("1 validation error detected: Value '%s' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]", in.BillingMode)
	}
	if err := checkTableClass(in.TableClass); err != nil {
		return err
	}
	for _, m := range []struct {
		name string
		raw  json.RawMessage
	}{
		{"ReplicaUpdates", in.ReplicaUpdates},
		{"MultiRegionConsistency", in.MultiRegionConsistency},
		{"GlobalTableWitnessUpdates", in.GlobalTableWitnessUpdates},
	} {
		if len(m.raw) > 0 && string(m.raw) != "null" {
			return validationf("localdynamo does not implement %s (global tables are not emulated)", m.name)
		}
	}

	members := in.members()
	if len(members) == 0 {
		return validationf(errNothingToUpdate)
	}
	if in.GlobalSecondaryIndexUpdates != nil && len(in.GlobalSecondaryIndexUpdates) == 0 {
		return invalidParam("List of GlobalSecondaryIndexUpdates is empty")
	}
	seen := map[string]bool{}
	onlineChanges := 0
	for _, u := range in.GlobalSecondaryIndexUpdates {
		actions := 0
		for _, set := range []bool{u.Create != nil, u.Delete != nil, u.Update != nil} {
			if set {
				actions++
			}
		}
		switch {
		case actions == 0:
			return invalidParam("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null")
		case actions > 1:
			return invalidParam("Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object")
		}
		if seen[u.name()] {
			return invalidParam("Only one global secondary index update per index is allowed simultaneously. Index: %s", u.name())
		}
		seen[u.name()] = true
		if u.Update == nil {
			onlineChanges++
		}
	}
	if ss := in.StreamSpecification; ss != nil {
		switch {
		case ss.StreamEnabled && ss.StreamViewType == "":
			return invalidParam("If stream is being enabled then UpdateViewType is required")
		case !ss.StreamEnabled && ss.StreamViewType != "":
			return invalidParam("If stream is being disabled, then UpdateViewType must not be specified")
		}
	}

	// UpdateTable changes one thing at a time; only a billing mode
	// switch combines with throughput and index changes.
	if len(members) > 1 {
		switch members[0] {
		case "SSESpecification":
			return invalidParam("Server-Side Encryption modification must be the only operation in the request")
		case "DeletionProtectionEnabled":
			return invalidParam("DeletionProtection modification must be the only operation in the request")
		case "TableClass":
			return invalidParam("TableClass modification must be the only operation in the request")
		case "OnDemandThroughput":
			if len(members) > 2 || members[1] != "BillingMode" {
				return invalidParam("OnDemandThroughput can only be combined with BillingMode in an UpdateTable request")
			}
		case "WarmThroughput":
			for _, u := range in.GlobalSecondaryIndexUpdates {
				if u.Create != nil {
					return invalidParam("Create global secondary index cannot be specified when updating WarmThroughput")
				}
			}
			return invalidParam("WarmThroughput must be the only operation in the request")
		}
	}
	iops := in.ProvisionedThroughput != nil || in.BillingMode == "PROVISIONED"
	switch {
	case iops && in.StreamSpecification != nil:
		return invalidParam("You cannot modify stream status while updating table IOPS")
	case onlineChanges > 0 && in.ProvisionedThroughput != nil:
		return invalidParam("You cannot create or delete index while updating table IOPS")
	case onlineChanges > 0 && in.StreamSpecification != nil:
		return invalidParam("You cannot create or delete index while changing stream status")
	case onlineChanges > 1:
		return limitExceeded(errOneOnlineIndex)
	}
	return nil
}

func (s *Store) updateTable(ctx context.Context, in *updateTableInput) (*tableOutput, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var desc *tableDesc
	err := s.write(func(tx querier) error {
		old, err := s.authorizedTable(ctx, in.TableName, "dynamodb:UpdateTable")
		if err != nil {
			return err
		}
		meta, created, deleted, err := s.updatedMeta(old, in)
		if err != nil {
			return err
		}
		for _, name := range deleted {
			if _, err := tx.ExecContext(ctx, `DELETE FROM ddb_index_items WHERE t=? AND i=?`, old.id, name); err != nil {
				return err
			}
		}
		t := &table{id: old.id, meta: meta}
		t.init()
		if created != "" {
			if err := s.backfill(ctx, tx, t, t.indexes[created]); err != nil {
				return err
			}
		}
		if err := s.saveTable(ctx, tx, t); err != nil {
			return err
		}
		desc = s.describe(ctx, tx, t, "ACTIVE", false)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &tableOutput{desc}, nil
}

// updatedMeta returns the metadata of old updated by in (which has passed
// check), the name of the index it creates, if any, and those it deletes.
func (s *Store) updatedMeta(old *table, in *updateTableInput) (meta tableMeta, created string, deleted []string, err error) {
	meta = old.meta
	meta.Indexes = slices.Clone(old.meta.Indexes)
	meta.AttributeDefinitions = slices.Clone(old.meta.AttributeDefinitions)
	mode := meta.BillingMode
	if in.BillingMode != "" {
		mode = in.BillingMode
	}
	findIndex := func(name string) int {
		return slices.IndexFunc(meta.Indexes, func(ix indexMeta) bool { return ix.IndexName == name })
	}
	// WarmThroughput never drops: record what the table and its global
	// indexes have now, before their billing or throughput change.
	warm := effectiveWarm(old.meta.Warm, old.meta.BillingMode, &old.meta.Throughput)
	meta.Warm = &warm
	for i := range meta.Indexes {
		if ix := &meta.Indexes[i]; ix.Global {
			w := effectiveWarm(ix.Warm, old.meta.BillingMode, ix.Throughput)
			ix.Warm = &w
		}
	}

	// Indexes named by Update and Delete must exist, and be global.
	for _, u := range in.GlobalSecondaryIndexUpdates {
		verb := "update"
		switch {
		case u.Create != nil:
			continue
		case u.Delete != nil:
			verb = "delete"
		}
		i := findIndex(u.name())
		switch {
		case i < 0 && u.Delete != nil:
			return meta, "", nil, notFound("Requested resource not found: Index: %s not found", u.name())
		case i < 0:
			return meta, "", nil, notFound("Requested resource not found: Index %s for table %s", u.name(), meta.Name)
		case !meta.Indexes[i].Global:
			return meta, "", nil, validationf("Cannot %s an index that is not a GlobalSecondaryIndex: %s", verb, u.name())
		}
	}

	// The table's own throughput and billing mode.
	switch tp := in.ProvisionedThroughput; {
	case in.BillingMode == "PROVISIONED" && tp == nil:
		return meta, "", nil, invalidParam("ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
	case mode == "PAY_PER_REQUEST" && tp != nil:
		return meta, "", nil, invalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
	case tp != nil && old.meta.BillingMode == "PROVISIONED" && *tp == old.meta.Throughput:
		return meta, "", nil, validationf("The provisioned throughput for the table will not change. The requested value equals the current value. "+
			"Current ReadCapacityUnits provisioned for the table: %d. Requested ReadCapacityUnits: %d. "+
			"Current WriteCapacityUnits provisioned for the table: %d. Requested WriteCapacityUnits: %d. "+
			"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
			old.meta.Throughput.ReadCapacityUnits, tp.ReadCapacityUnits, old.meta.Throughput.WriteCapacityUnits, tp.WriteCapacityUnits)
	}
	if od := in.OnDemandThroughput; od != nil && mode == "PROVISIONED" {
		member := "MaxReadRequestUnits"
		if od.MaxReadRequestUnits == 0 {
			member = "MaxWriteRequestUnits"
		}
		return meta, "", nil, invalidParam("%s for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED", member)
	}

	// Index throughput updates.
	updated := map[string]bool{}
	for _, u := range in.GlobalSecondaryIndexUpdates {
		if u.Update == nil {
			continue
		}
		up := u.Update
		ix := &meta.Indexes[findIndex(up.IndexName)]
		switch {
		case mode == "PAY_PER_REQUEST" && up.ProvisionedThroughput != nil && in.BillingMode == "PAY_PER_REQUEST":
			return meta, "", nil, invalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: %s when BillingMode is PAY_PER_REQUEST", up.IndexName)
		case mode == "PAY_PER_REQUEST" && (up.ProvisionedThroughput != nil || (up.OnDemandThroughput == nil && up.WarmThroughput == nil)):
			return meta, "", nil, invalidParam("The only Updates for index: %s when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput", up.IndexName)
		case mode == "PROVISIONED" && up.OnDemandThroughput != nil:
			return meta, "", nil, invalidParam("MaxReadRequestUnits for OnDemandThroughput for index : %s cannot be specified when the table BillingMode is PROVISIONED", up.IndexName)
		case mode == "PROVISIONED" && up.ProvisionedThroughput == nil && up.WarmThroughput == nil:
			return meta, "", nil, invalidParam("Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: %s", up.IndexName)
		}
		if w := up.WarmThroughput; w != nil {
			raised, err := w.raise(*ix.Warm, "index "+up.IndexName)
			if err != nil {
				return meta, "", nil, err
			}
			ix.Warm = raised
		}
		if tp := up.ProvisionedThroughput; tp != nil && old.meta.BillingMode == "PROVISIONED" && ix.Throughput != nil && *tp == *ix.Throughput {
			// The message of the table's case, with the index named: its
			// first sentences are DynamoDB's, the rest follows the
			// table's wording.
			return meta, "", nil, validationf("The provisioned throughput for the index %s will not change. The requested value equals the current value. "+
				"Current ReadCapacityUnits provisioned for index %s: %d. Requested ReadCapacityUnits: %d. "+
				"Current WriteCapacityUnits provisioned for index %s: %d. Requested WriteCapacityUnits: %d. "+
				"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
				up.IndexName, up.IndexName, ix.Throughput.ReadCapacityUnits, tp.ReadCapacityUnits, up.IndexName, ix.Throughput.WriteCapacityUnits, tp.WriteCapacityUnits)
		}
		if up.ProvisionedThroughput != nil {
			tp := *up.ProvisionedThroughput
			if old.meta.BillingMode == "PROVISIONED" && ix.Throughput != nil {
				if err := ix.noteThroughput(*ix.Throughput, tp, s.now()); err != nil {
					return meta, "", nil, err
				}
			}
			ix.Throughput = &tp
		}
		if od := up.OnDemandThroughput; od != nil {
			ix.OnDemand = mergeOnDemand(ix.OnDemand, od)
		}
		updated[up.IndexName] = true
	}
	// Switching to PROVISIONED sets every index's throughput too.
	if in.BillingMode == "PROVISIONED" && old.meta.BillingMode != "PROVISIONED" {
		var missing []string
		for _, ix := range meta.Indexes {
			if ix.Global && !updated[ix.IndexName] {
				missing = append(missing, ix.IndexName)
			}
		}
		if len(missing) > 0 {
			return meta, "", nil, invalidParam("ProvisionedThroughput must be specified for index: %s", strings.Join(missing, ","))
		}
	}

	// Index creation and deletion (one at most, by check).
	for i, u := range in.GlobalSecondaryIndexUpdates {
		switch {
		case u.Create != nil:
			c := *u.Create
			if findIndex(c.IndexName) >= 0 {
				return meta, "", nil, validationf("Attempting to create an index which already exists")
			}
			if gsis(meta.Indexes) >= maxGSIs {
				return meta, "", nil, limitExceeded("Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of %d", maxGSIs)
			}
			if len(in.AttributeDefinitions) == 0 {
				return meta, "", nil, invalidParam("AttributeDefinitions is not specified for index: %s", c.IndexName)
			}
			if mode == "PROVISIONED" && c.ProvisionedThroughput == nil {
				return meta, "", nil, invalidParam("Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: %s", c.IndexName)
			}
			if meta.AttributeDefinitions, err = withKeyDefinitions(meta.AttributeDefinitions, in.AttributeDefinitions, c.KeySchema); err != nil {
				return meta, "", nil, err
			}
			im, err := newIndex(c, fmt.Sprintf("globalSecondaryIndexUpdates.%d.member.create", i+1), true, mode, definedTypes(meta.AttributeDefinitions), meta.KeySchema)
			if err != nil {
				return meta, "", nil, err
			}
			meta.Indexes = append(meta.Indexes, im)
			created = im.IndexName
		case u.Delete != nil:
			meta.Indexes = slices.Delete(meta.Indexes, findIndex(u.name()), findIndex(u.name())+1)
			meta.AttributeDefinitions = usedDefinitions(meta)
			deleted = append(deleted, u.name())
		}
	}

	// The rest of the table's settings.
	if in.BillingMode != "" && in.BillingMode != old.meta.BillingMode {
		meta.BillingMode = in.BillingMode
		meta.BillingSwitched = true
		// A switch of billing mode drops the request-unit limits.
		meta.OnDemand = nil
		for i := range meta.Indexes {
			meta.Indexes[i].OnDemand = nil
		}
		if in.BillingMode == "PAY_PER_REQUEST" {
			meta.Throughput = throughput{}
			meta.PayPerRequestSince = float64(s.now().UnixMilli()) / 1000
			for i := range meta.Indexes {
				meta.Indexes[i].Throughput = nil
			}
		}
	}
	if tp := in.ProvisionedThroughput; tp != nil {
		if old.meta.BillingMode == "PROVISIONED" {
			if err := meta.noteThroughput(old.meta.Throughput, *tp, s.now()); err != nil {
				return meta, "", nil, err
			}
		}
		meta.Throughput = *tp
	}
	if in.DeletionProtectionEnabled != nil {
		meta.DeletionProtection = *in.DeletionProtectionEnabled
	}
	if in.TableClass != "" {
		meta.TableClass = in.TableClass
	}
	if od := in.OnDemandThroughput; od != nil {
		meta.OnDemand = mergeOnDemand(meta.OnDemand, od)
	}
	if w := in.WarmThroughput; !w.empty() {
		if meta.Warm, err = w.raise(*meta.Warm, "table"); err != nil {
			return meta, "", nil, err
		}
	}
	if spec := in.SSESpecification; spec != nil {
		if meta.SSEKey, err = s.updatedSSEKey(meta.SSEKey, spec); err != nil {
			return meta, "", nil, err
		}
	}
	if ss := in.StreamSpecification; ss != nil && !ss.StreamEnabled {
		return meta, "", nil, validationf("Table has no stream to disable: TableName: %s", meta.Name)
	}
	return meta, created, deleted, nil
}

// updatedSSEKey validates an UpdateTable's SSESpecification against the
// table's KMS key (cur, "" for the AWS owned key) and returns the new one.
func (s *Store) updatedSSEKey(cur string, spec *sseSpec) (string, error) {
	enable := spec.Enabled != nil && *spec.Enabled
	switch {
	case !enable && cur == "":
		return "", invalidParam("Table is already encrypted by default")
	case enable && spec.KMSMasterKeyId != "" && cur != "" && s.kmsKeyARN(spec.KMSMasterKeyId) == cur:
		return "", invalidParam("Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key")
	}
	return s.sseKey(spec)
}

// mergeOnDemand returns cur with the limits od sets.
func mergeOnDemand(cur, od *onDemandLimits) *onDemandLimits {
	merged := onDemandLimits{}
	if cur != nil {
		merged = *cur
	}
	if od.MaxReadRequestUnits != 0 {
		merged.MaxReadRequestUnits = od.MaxReadRequestUnits
	}
	if od.MaxWriteRequestUnits != 0 {
		merged.MaxWriteRequestUnits = od.MaxWriteRequestUnits
	}
	return &merged
}

// gsis counts the global secondary indexes among ixs.
func gsis(ixs []indexMeta) int {
	n := 0
	for _, ix := range ixs {
		if ix.Global {
			n++
		}
	}
	return n
}

func definedTypes(defs []attrDef) map[string]string {
	types := make(map[string]string, len(defs))
	for _, d := range defs {
		types[d.AttributeName] = d.AttributeType
	}
	return types
}

// withKeyDefinitions adds to defs the definitions, from given, of the key
// attributes of a new index that defs lacks. DynamoDB takes nothing else
// from an UpdateTable's AttributeDefinitions: other entries, even ones
// contradicting the table's, are ignored. A definition of a key attribute
// that contradicts the table's is refused.
func withKeyDefinitions(defs, given []attrDef, key []keyElem) ([]attrDef, error) {
	types := definedTypes(defs)
	for _, k := range key {
		for _, d := range given {
			if d.AttributeName != k.AttributeName {
				continue
			}
			switch cur, ok := types[d.AttributeName]; {
			case ok && cur != d.AttributeType:
				return nil, invalidParam("Attribute %s is already defined with type %s", d.AttributeName, cur)
			case !ok:
				types[d.AttributeName] = d.AttributeType
				defs = append(defs, d)
			}
		}
	}
	return defs, nil
}

// usedDefinitions returns the attribute definitions of meta that a key of
// the table or of one of its indexes uses: DynamoDB drops the others when
// an index is deleted.
func usedDefinitions(meta tableMeta) []attrDef {
	used := map[string]bool{}
	for _, k := range meta.KeySchema {
		used[k.AttributeName] = true
	}
	for _, ix := range meta.Indexes {
		for _, k := range ix.KeySchema {
			used[k.AttributeName] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(meta.AttributeDefinitions), func(d attrDef) bool { return !used[d.AttributeName] })
}
