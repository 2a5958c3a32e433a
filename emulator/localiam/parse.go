package localiam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// ErrMalformedPolicy is the error that every [*PolicyError] wraps:
// errors.Is(err, ErrMalformedPolicy) tells a bad policy from other errors.
var ErrMalformedPolicy = errors.New("localiam: malformed policy document")

// A PolicyError reports a policy document that IAM would refuse with the
// MalformedPolicyDocument error.
type PolicyError struct {
	// Message is IAM's text for the problem where it is known, such as
	// "Policy statement must contain actions." or IAM's catch-all
	// "Syntax errors in policy.".
	Message string
	// Path locates the offending element, such as "Statement[1].Action[0]"
	// or "Statement.Condition.StringLike". It is empty for the document as a
	// whole.
	Path string
	// Detail says what is wrong in words IAM does not give, such as
	// `"GetItem" has no service prefix`.
	Detail string
}

func (e *PolicyError) Error() string {
	var b strings.Builder
	b.WriteString("localiam: MalformedPolicyDocument: ")
	b.WriteString(e.Message)
	if e.Path != "" || e.Detail != "" {
		b.WriteString(" (")
		b.WriteString(e.Path)
		if e.Path != "" && e.Detail != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Detail)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns [ErrMalformedPolicy].
func (e *PolicyError) Unwrap() error { return ErrMalformedPolicy }

// IAM's MalformedPolicyDocument messages.
const (
	msgSyntax         = "Syntax errors in policy."
	msgLegacyParsing  = "The policy failed legacy parsing"
	msgPrincipal      = "Policy document should not specify a principal."
	msgSidFormat      = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	msgSidUnique      = "Statement IDs (SID) in a single policy must be unique."
	msgNoActions      = "Policy statement must contain actions."
	msgNoResources    = "Policy statement must contain resources."
	msgVendorPrefix   = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgOneColon       = "Actions/Condition can contain only one colon."
	msgResourceVendor = "Resource vendor must be fully qualified and cannot contain regexes."
)

// The versions of the policy language. Only 2012-10-17 has policy
// variables; a document without Version is of 2008-10-17.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// A Policy is a parsed IAM identity-based policy. It is immutable and safe
// for concurrent use by several goroutines.
type Policy struct {
	version    string
	statements []statement
}

type statement struct {
	sid        string
	label      string // sid, or "Statement[index]"
	reason     string // the Decision's Reason when this statement decides
	deny       bool
	notAction  bool
	actions    []glob
	notRes     bool
	resources  []resource
	conditions []condition
}

// A resource is one entry of Resource or NotResource.
type resource struct {
	all  bool // "*"
	vars bool // tmpl has variables
	tmpl template
	glob glob // when tmpl has no variables
}

// Version returns the policy language version the document declares:
// [Version2012], or [Version2008] (also when it declares none).
func (p *Policy) Version() string { return p.version }

// MustParse is like [Parse] but takes a string and panics if the document
// is malformed. It simplifies the initialization of variables holding
// policies, as regexp.MustCompile does for expressions.
func MustParse(doc string) *Policy {
	p, err := Parse([]byte(doc))
	if err != nil {
		panic(err)
	}
	return p
}

// Parse parses an IAM JSON policy document, as IAM does when the document
// is attached to a user or a role. A document IAM would refuse gives a
// [*PolicyError] with IAM's message and the place of the problem.
//
// The document has a Statement (one object or an array of them) and may
// have a Version and an Id. Each statement has an Effect, Action or
// NotAction, Resource or NotResource, and may have a Sid and a Condition.
// Principal and NotPrincipal are refused, as IAM refuses them in
// identity-based policies.
func Parse(doc []byte) (*Policy, error) {
	root, err := decodeJSON(doc)
	if err != nil {
		return nil, &PolicyError{Message: msgSyntax, Detail: "not JSON: " + err.Error()}
	}
	if root.kind != jObject {
		return nil, &PolicyError{Message: msgSyntax, Detail: "a policy document is a JSON object"}
	}
	if err := root.noDuplicates(""); err != nil {
		return nil, err
	}
	p := &Policy{version: Version2008}
	var stmts *jnode
	for i, k := range root.keys {
		v := root.vals[i]
		switch k {
		case "Version":
			if v.kind != jString || (v.s != Version2012 && v.s != Version2008) {
				return nil, &PolicyError{Message: msgSyntax, Path: "Version", Detail: fmt.Sprintf("%s is not %q or %q", v, Version2012, Version2008)}
			}
			p.version = v.s
		case "Id":
			if v.kind != jString {
				return nil, &PolicyError{Message: msgSyntax, Path: "Id", Detail: "Id is not a string"}
			}
		case "Statement":
			stmts = v
		default:
			return nil, &PolicyError{Message: msgSyntax, Path: k, Detail: fmt.Sprintf("unknown element %q: a policy has Version, Id and Statement", k)}
		}
	}
	var list []*jnode
	var paths []string
	switch {
	case stmts == nil:
		return nil, &PolicyError{Message: msgSyntax, Detail: "the policy has no Statement"}
	case stmts.kind == jObject:
		list, paths = []*jnode{stmts}, []string{"Statement"}
	case stmts.kind == jArray && len(stmts.vals) > 0:
		list = stmts.vals
		for i := range list {
			paths = append(paths, fmt.Sprintf("Statement[%d]", i))
		}
	default:
		return nil, &PolicyError{Message: msgSyntax, Path: "Statement", Detail: "Statement is not an object or a non-empty array"}
	}
	var (
		probs  problems
		resErr *PolicyError // the first resource not in ARN format, over all statements
		sids   = map[string]string{}
	)
	for i, n := range list {
		st, ok := parseStatement(n, paths[i], p.version == Version2012, &probs, &resErr)
		if !ok {
			continue
		}
		st.label = st.sid
		if st.label == "" {
			st.label = fmt.Sprintf("Statement[%d]", i)
		}
		st.reason = "allowed by statement " + st.label
		if st.deny {
			st.reason = "explicitly denied by statement " + st.label
		}
		if st.sid != "" {
			if prev, dup := sids[st.sid]; dup {
				probs.add(&PolicyError{Message: msgSidUnique, Path: paths[i] + ".Sid", Detail: fmt.Sprintf("%q is also the Sid of %s", st.sid, prev)})
			}
			sids[st.sid] = paths[i]
		}
		p.statements = append(p.statements, st)
	}
	if resErr != nil {
		probs.add(resErr)
	}
	if err := probs.first(); err != nil {
		return nil, err
	}
	return p, nil
}

// IAM reports one problem of a document: the first of the earliest kind, in
// this order, over all its statements (as moto's validator, whose cases
// were checked against IAM, has it): syntax; legacy parsing (the case of
// Effect, date values, the shape of resource ARNs); statement ids;
// missing actions; missing resources; resources not in ARN format; then
// actions without a valid service prefix.
type phase int

const (
	phaseSyntax phase = iota
	phaseLegacy
	phaseSid
	phaseActions
	phaseResources
	phaseResourceFormat
	phaseActionFormat
	numPhases
)

// phaseOf tells the kind of problem e reports by its message.
func phaseOf(e *PolicyError) phase {
	switch m := e.Message; {
	case m == msgLegacyParsing:
		return phaseLegacy
	case m == msgSidFormat, m == msgSidUnique:
		return phaseSid
	case m == msgNoActions:
		return phaseActions
	case m == msgNoResources:
		return phaseResources
	case m == msgResourceVendor, strings.HasPrefix(m, "Resource "), strings.HasPrefix(m, "Partition "):
		return phaseResourceFormat
	case m == msgVendorPrefix, m == msgOneColon, strings.HasPrefix(m, "Vendor "):
		return phaseActionFormat
	}
	return phaseSyntax
}

// problems keeps the first problem of each kind a document has.
type problems [numPhases]*PolicyError

// add keeps err, if it is the first of its kind, and returns its kind.
func (p *problems) add(err error) phase {
	var e *PolicyError
	if !errors.As(err, &e) {
		e = &PolicyError{Message: msgSyntax, Detail: err.Error()}
	}
	ph := phaseOf(e)
	if p[ph] == nil {
		p[ph] = e
	}
	return ph
}

// first returns the problem IAM reports, nil for none.
func (p *problems) first() *PolicyError {
	for _, e := range p {
		if e != nil {
			return e
		}
	}
	return nil
}

// parseStatement parses statement n, adding its problems to probs and the
// first of its resources that is not in ARN format to resErr, unless that
// holds one already. It reports whether the statement could be read at
// all: a statement with a syntax error is left unread past it.
func parseStatement(n *jnode, path string, variables bool, probs *problems, resErr **PolicyError) (statement, bool) {
	var st statement
	syntax := func(err error) (statement, bool) {
		probs.add(err)
		return st, false
	}
	if n.kind != jObject {
		return syntax(&PolicyError{Message: msgSyntax, Path: path, Detail: "a statement is a JSON object"})
	}
	var effect, action, notAction, res, notRes, cond *jnode
	for i, k := range n.keys {
		v := n.vals[i]
		switch k {
		case "Sid":
			if v.kind != jString {
				return syntax(&PolicyError{Message: msgSyntax, Path: path + ".Sid", Detail: "Sid is not a string"})
			}
			st.sid = v.s
		case "Effect":
			effect = v
		case "Action":
			action = v
		case "NotAction":
			notAction = v
		case "Resource":
			res = v
		case "NotResource":
			notRes = v
		case "Condition":
			cond = v
		case "Principal", "NotPrincipal":
			return syntax(&PolicyError{Message: msgPrincipal, Path: path + "." + k, Detail: "identity-based policies name no principal: the policy applies to whoever it is attached to"})
		default:
			return syntax(&PolicyError{Message: msgSyntax, Path: path + "." + k, Detail: fmt.Sprintf("unknown statement element %q", k)})
		}
	}

	switch {
	case effect == nil:
		return syntax(&PolicyError{Message: msgSyntax, Path: path, Detail: "the statement has no Effect"})
	case effect.kind == jString && effect.s == "Allow":
	case effect.kind == jString && effect.s == "Deny":
		st.deny = true
	case effect.kind == jString && (strings.EqualFold(effect.s, "Allow") || strings.EqualFold(effect.s, "Deny")):
		probs.add(&PolicyError{Message: msgLegacyParsing, Path: path + ".Effect", Detail: fmt.Sprintf("Effect %q must be spelled \"Allow\" or \"Deny\"", effect.s)})
	default:
		return syntax(&PolicyError{Message: msgSyntax, Path: path + ".Effect", Detail: fmt.Sprintf("Effect %s is not \"Allow\" or \"Deny\"", effect)})
	}

	if action != nil && notAction != nil {
		return syntax(&PolicyError{Message: msgSyntax, Path: path, Detail: "a statement has Action or NotAction, not both"})
	}
	if res != nil && notRes != nil {
		return syntax(&PolicyError{Message: msgSyntax, Path: path, Detail: "a statement has Resource or NotResource, not both"})
	}
	actionName, resName := "Action", "Resource"
	if notAction != nil {
		action, actionName, st.notAction = notAction, "NotAction", true
	}
	if notRes != nil {
		res, resName, st.notRes = notRes, "NotResource", true
	}
	var (
		actions, apaths   []string
		resources, rpaths []string
		err               error
	)
	if action != nil {
		if actions, apaths, err = stringList(action, path+"."+actionName); err != nil {
			return syntax(err)
		}
	}
	if res != nil {
		if resources, rpaths, err = stringList(res, path+"."+resName); err != nil {
			return syntax(err)
		}
	}
	if cond != nil {
		conds, err := parseConditions(cond, path+".Condition", variables)
		if err != nil {
			if probs.add(err) == phaseSyntax {
				return st, false
			}
		}
		st.conditions = conds
	}

	for _, r := range st.sid {
		if !('0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z') {
			probs.add(&PolicyError{Message: msgSidFormat, Path: path + ".Sid", Detail: fmt.Sprintf("%q has %q", st.sid, r)})
			break
		}
	}

	switch {
	case action == nil:
		probs.add(&PolicyError{Message: msgNoActions, Path: path, Detail: "the statement has no Action or NotAction"})
	case len(actions) == 0:
		probs.add(&PolicyError{Message: msgNoActions, Path: path + "." + actionName, Detail: actionName + " is empty"})
	}
	for i, a := range actions {
		if err := checkAction(a, apaths[i]); err != nil {
			probs.add(err)
			break
		}
		st.actions = append(st.actions, compileText(nil, a).compile())
	}

	switch {
	case res == nil:
		probs.add(&PolicyError{Message: msgNoResources, Path: path, Detail: "the statement has no Resource or NotResource"})
	case len(resources) == 0:
		probs.add(&PolicyError{Message: msgNoResources, Path: path + "." + resName, Detail: resName + " is empty"})
	}
	// IAM checks a statement's resources in reverse lexical order, and
	// their shape (legacy parsing) only while no resource so far was out
	// of ARN format.
	order := make([]int, len(resources))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return resources[order[a]] > resources[order[b]] })
	for _, i := range order {
		if e := checkResourceFormat(resources[i], rpaths[i]); e != nil && *resErr == nil {
			*resErr = e
		}
	}
	if *resErr == nil {
		for i, r := range resources {
			if e := checkResourceShape(r, rpaths[i]); e != nil {
				probs.add(e)
				break
			}
		}
	}
	for _, r := range resources {
		rs := resource{all: r == "*", tmpl: parseTemplate(r, variables)}
		rs.vars = rs.tmpl.hasVars()
		if !rs.all && !rs.vars {
			p, _ := rs.tmpl.pattern(nil)
			rs.glob = p.resourceARN().compile()
		}
		st.resources = append(st.resources, rs)
	}
	return st, true
}

// checkAction checks an action as IAM does: "*", or a service prefix and an
// action name, which may have wildcards, separated by one colon.
func checkAction(a, path string) error {
	if a == "*" {
		return nil
	}
	vendor, name, ok := strings.Cut(a, ":")
	switch {
	case !ok:
		return &PolicyError{Message: msgVendorPrefix, Path: path, Detail: fmt.Sprintf("%q has no service prefix, as in \"dynamodb:GetItem\"", a)}
	case strings.Contains(name, ":"):
		return &PolicyError{Message: msgOneColon, Path: path, Detail: fmt.Sprintf("%q has more than one colon", a)}
	}
	if vendor == "*" {
		return nil
	}
	valid := vendor != ""
	for _, r := range vendor {
		valid = valid && ('0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || r == '-' || r == '.')
	}
	if !valid {
		return &PolicyError{Message: fmt.Sprintf("Vendor %s is not valid", vendor), Path: path, Detail: fmt.Sprintf("%q: a service prefix has letters, digits, '-' and '.'", a)}
	}
	return nil
}

// partitions are the AWS partitions a resource ARN may name.
var partitions = map[string]bool{
	"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true,
	"aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// checkResourceFormat checks that a resource is "*" or an ARN of a known
// partition that names its service without wildcards, in IAM's words.
func checkResourceFormat(r, path string) *PolicyError {
	if r == "*" {
		return nil
	}
	_, rest, ok := strings.Cut(r, ":")
	if !ok {
		return &PolicyError{Message: fmt.Sprintf("Resource %s must be in ARN format or \"*\".", r), Path: path, Detail: "an ARN reads arn:partition:service:region:account:resource"}
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if !partitions[partition] {
		// IAM names the resource as it read it, "*" for the parts missing.
		parts := strings.SplitN(rest, ":", 4)
		if !ok {
			parts = nil
		}
		for len(parts) < 4 {
			parts = append(parts, "*")
		}
		if parts[0] == "" && !strings.Contains(rest, ":") {
			parts[0] = "*"
		}
		return &PolicyError{
			Message: fmt.Sprintf("Partition %q is not valid for resource \"arn:%s:%s\".", partition, partition, strings.Join(parts, ":")),
			Path:    path, Detail: "the partitions are aws, aws-cn, aws-us-gov and the like",
		}
	}
	if service, _, _ := strings.Cut(rest, ":"); !ok || strings.ContainsAny(service, "*?$") {
		return &PolicyError{Message: msgResourceVendor, Path: path, Detail: fmt.Sprintf("%q names no service, or its service has a wildcard or variable", r)}
	}
	return nil
}

// checkResourceShape checks an ARN's shape as IAM's legacy parsing does: a
// service, and no empty segment ("::") unless the ARN has all its colons.
func checkResourceShape(r, path string) *PolicyError {
	if r == "*" {
		return nil
	}
	parts := strings.Split(r, ":")
	switch {
	case len(parts) < 3 || parts[2] == "":
		return &PolicyError{Message: msgLegacyParsing, Path: path, Detail: fmt.Sprintf("%q names no service", r)}
	case len(parts) < 6 && strings.Contains(r, "::"):
		return &PolicyError{Message: msgLegacyParsing, Path: path, Detail: fmt.Sprintf("%q has an empty segment but not all of an ARN's", r)}
	}
	return nil
}

// parseConditions parses a Condition block. Operators and keys keep the
// document's order, so that evaluation is deterministic.
func parseConditions(n *jnode, path string, variables bool) ([]condition, error) {
	if n.kind != jObject {
		return nil, &PolicyError{Message: msgSyntax, Path: path, Detail: "Condition is not a JSON object"}
	}
	var conds []condition
	for i, op := range n.keys {
		block, opPath := n.vals[i], path+"."+op
		if block.kind != jObject {
			return nil, &PolicyError{Message: msgSyntax, Path: opPath, Detail: "a condition operator takes an object of condition keys and values"}
		}
		proto, ok := parseOperator(op)
		if !ok {
			if len(block.keys) == 0 {
				continue // IAM lets an unknown operator with no keys pass
			}
			return nil, &PolicyError{Message: msgSyntax, Path: opPath, Detail: fmt.Sprintf("unknown condition operator %q", op)}
		}
		for j, key := range block.keys {
			keyPath := opPath + "." + key
			vals, _, err := valueList(block.vals[j], keyPath)
			if err != nil {
				return nil, err
			}
			c := proto
			c.key = key
			for _, v := range vals {
				c.values = append(c.values, parseTemplate(v, variables && c.base.takesVariables()))
			}
			if err := c.compile(); err != nil {
				err.(*PolicyError).Path = keyPath
				return nil, err
			}
			conds = append(conds, c)
		}
	}
	return conds, nil
}

// stringList reads an element that is a string or an array of strings,
// such as Action or Resource.
func stringList(n *jnode, path string) ([]string, []string, error) {
	switch n.kind {
	case jString:
		return []string{n.s}, []string{path}, nil
	case jArray:
		strs, paths := make([]string, len(n.vals)), make([]string, len(n.vals))
		for i, e := range n.vals {
			paths[i] = fmt.Sprintf("%s[%d]", path, i)
			if e.kind != jString {
				return nil, nil, &PolicyError{Message: msgSyntax, Path: paths[i], Detail: fmt.Sprintf("%s is not a string", e)}
			}
			strs[i] = e.s
		}
		return strs, paths, nil
	}
	return nil, nil, &PolicyError{Message: msgSyntax, Path: path, Detail: fmt.Sprintf("%s is not a string or an array of strings", n)}
}

// valueList reads condition values: strings, numbers and Booleans ("Quotation
// marks are optional for numeric and Boolean values"), alone or in an array.
func valueList(n *jnode, path string) ([]string, []string, error) {
	scalar := func(n *jnode) bool { return n.kind == jString || n.kind == jNumber || n.kind == jBool }
	if scalar(n) {
		return []string{n.s}, []string{path}, nil
	}
	if n.kind != jArray {
		return nil, nil, &PolicyError{Message: msgSyntax, Path: path, Detail: fmt.Sprintf("%s is not a string, number, Boolean or an array of them", n)}
	}
	strs, paths := make([]string, len(n.vals)), make([]string, len(n.vals))
	for i, e := range n.vals {
		paths[i] = fmt.Sprintf("%s[%d]", path, i)
		if !scalar(e) {
			return nil, nil, &PolicyError{Message: msgSyntax, Path: paths[i], Detail: fmt.Sprintf("%s is not a string, number or Boolean", e)}
		}
		strs[i] = e.s
	}
	return strs, paths, nil
}

// A jnode is a JSON value that keeps the order of object keys and notices
// duplicates, which encoding/json would silently drop: "Individual elements
// must not contain multiple instances of the same key".
type jnode struct {
	kind jkind
	s    string   // string; number as written; "true" or "false"
	keys []string // object
	vals []*jnode // object values, array elements
	dup  string   // object: a key that appears twice
}

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

// String describes n for error details.
func (n *jnode) String() string {
	switch n.kind {
	case jNull:
		return "null"
	case jBool, jNumber:
		return n.s
	case jString:
		return strconv.Quote(n.s)
	case jArray:
		return "an array"
	}
	return "an object"
}

// noDuplicates reports the first object under n, in document order, that
// has a key twice.
func (n *jnode) noDuplicates(path string) error {
	if n.dup != "" {
		p := path
		if p != "" {
			p += "."
		}
		return &PolicyError{Message: msgSyntax, Path: p + n.dup, Detail: fmt.Sprintf("%q appears twice", n.dup)}
	}
	for i, v := range n.vals {
		var sub string
		switch {
		case n.kind == jArray:
			sub = fmt.Sprintf("%s[%d]", path, i)
		case path == "":
			sub = n.keys[i]
		default:
			sub = path + "." + n.keys[i]
		}
		if err := v.noDuplicates(sub); err != nil {
			return err
		}
	}
	return nil
}

func decodeJSON(b []byte) (*jnode, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("text after the policy's closing brace")
	}
	return n, nil
}

func decodeValue(dec *json.Decoder) (*jnode, error) {
	tok, err := dec.Token()
	if err == io.EOF {
		return nil, io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return &jnode{kind: jNull}, nil
	case bool:
		return &jnode{kind: jBool, s: strconv.FormatBool(t)}, nil
	case json.Number:
		return &jnode{kind: jNumber, s: t.String()}, nil
	case string:
		return &jnode{kind: jString, s: t}, nil
	case json.Delim:
		n := &jnode{kind: jArray}
		if t == '{' {
			n.kind = jObject
		}
		seen := map[string]bool{}
		for dec.More() {
			if n.kind == jObject {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string) // the decoder only yields string keys
				if seen[k] && n.dup == "" {
					n.dup = k
				}
				seen[k] = true
				n.keys = append(n.keys, k)
			}
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
		return n, nil
	}
	return nil, fmt.Errorf("unexpected %v", tok)
}
