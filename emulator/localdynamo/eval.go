package localdynamo

import (
	"bytes"
	"sort"
	"strings"
)

// resolve follows a document path into an item; nil if any step is missing.
func resolve(it attrMap, path docPath) *value {
	v := it[path[0].name]
	for _, e := range path[1:] {
		if v == nil {
			return nil
		}
		if e.isIdx {
			if v.t != typeL || e.index >= len(v.l) {
				return nil
			}
			v = v.l[e.index]
		} else {
			if v.t != typeM {
				return nil
			}
			v = v.m[e.name]
		}
	}
	return v
}

// operandValue evaluates an operand of a condition; nil means "no value".
func operandValue(n *node, it attrMap) *value {
	switch n.kind {
	case nPath:
		return resolve(it, n.path)
	case nValue:
		return n.val
	case nFunc:
		if n.op == "size" {
			v := operandValue(n.args[0], it)
			if v == nil {
				return nil
			}
			var sz int
			switch v.t {
			case typeS:
				// DynamoDB counts UTF-16 code units: a character
				// outside the Basic Multilingual Plane counts twice.
				for _, r := range v.s {
					sz++
					if r > 0xFFFF {
						sz++
					}
				}
			case typeB:
				sz = len(v.s)
			case typeSS, typeNS, typeBS:
				sz = len(v.set)
			case typeL:
				sz = len(v.l)
			case typeM:
				sz = len(v.m)
			default:
				return nil
			}
			d, _ := parseDecimal(itoa(sz))
			return numValue(d)
		}
	}
	return nil
}

// test evaluates a condition against an item (nil: no item).
func test(n *node, it attrMap) bool {
	switch n.kind {
	case nAnd:
		return test(n.args[0], it) && test(n.args[1], it)
	case nOr:
		return test(n.args[0], it) || test(n.args[1], it)
	case nNot:
		return !test(n.args[0], it)
	case nCmp:
		a, b := operandValue(n.args[0], it), operandValue(n.args[1], it)
		switch n.op {
		case "=":
			return equal(a, b)
		case "<>":
			return !equal(a, b)
		}
		c, ok := compare(a, b)
		if !ok {
			return false
		}
		switch n.op {
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		case ">=":
			return c >= 0
		}
	case nBetween:
		x := operandValue(n.args[0], it)
		c1, ok1 := compare(x, operandValue(n.args[1], it))
		c2, ok2 := compare(x, operandValue(n.args[2], it))
		return ok1 && ok2 && c1 >= 0 && c2 <= 0
	case nIn:
		x := operandValue(n.args[0], it)
		for _, a := range n.args[1:] {
			if equal(x, operandValue(a, it)) {
				return true
			}
		}
		return false
	case nFunc:
		return testFunc(n, it)
	}
	return false
}

func testFunc(n *node, it attrMap) bool {
	switch n.op {
	case "attribute_exists":
		return operandValue(n.args[0], it) != nil
	case "attribute_not_exists":
		return operandValue(n.args[0], it) == nil
	case "attribute_type":
		v, t := operandValue(n.args[0], it), operandValue(n.args[1], it)
		return v != nil && t != nil && t.t == typeS && v.t == t.s
	case "begins_with":
		v, pre := operandValue(n.args[0], it), operandValue(n.args[1], it)
		if v == nil || pre == nil || v.t != pre.t || (v.t != typeS && v.t != typeB) {
			return false
		}
		return strings.HasPrefix(v.s, pre.s)
	case "contains":
		v, x := operandValue(n.args[0], it), operandValue(n.args[1], it)
		if v == nil || x == nil {
			return false
		}
		switch v.t {
		case typeS:
			return x.t == typeS && strings.Contains(v.s, x.s)
		case typeB:
			return x.t == typeB && bytes.Contains([]byte(v.s), []byte(x.s))
		case typeSS:
			return x.t == typeS && setHas(v, x.s)
		case typeNS:
			return x.t == typeN && setHas(v, x.s)
		case typeBS:
			return x.t == typeB && setHas(v, x.s)
		case typeL:
			for _, e := range v.l {
				if equal(e, x) {
					return true
				}
			}
		}
	}
	return false
}

var (
	errBadPath = func() error {
		return validationf("The document path provided in the update expression is invalid for update")
	}
	errBadOperand    = func() error { return validationf("An operand in the update expression has an incorrect data type") }
	errMissingOpAttr = func() error {
		return validationf("The provided expression refers to an attribute that does not exist in the item")
	}
)

// updateValue evaluates the right-hand side of a SET action against the
// item as it was before the update.
func updateValue(n *node, it attrMap) (*value, error) {
	switch n.kind {
	case nValue:
		return n.val, nil
	case nPath:
		v := resolve(it, n.path)
		if v == nil {
			return nil, errMissingOpAttr()
		}
		return v, nil
	case nArith:
		a, err := updateValue(n.args[0], it)
		if err != nil {
			return nil, err
		}
		b, err := updateValue(n.args[1], it)
		if err != nil {
			return nil, err
		}
		if a.t != typeN || b.t != typeN {
			return nil, errBadOperand()
		}
		bn := b.num
		if n.op == "-" {
			bn = bn.negate()
		}
		r, err := a.num.add(bn)
		if err != nil {
			return nil, err
		}
		return numValue(r), nil
	case nFunc:
		switch n.op {
		case "if_not_exists":
			if v := resolve(it, n.args[0].path); v != nil {
				return v, nil
			}
			return updateValue(n.args[1], it)
		case "list_append":
			a, err := updateValue(n.args[0], it)
			if err != nil {
				return nil, err
			}
			b, err := updateValue(n.args[1], it)
			if err != nil {
				return nil, err
			}
			if a.t != typeL || b.t != typeL {
				return nil, errBadOperand()
			}
			l := make([]*value, 0, len(a.l)+len(b.l))
			l = append(append(l, a.l...), b.l...)
			return &value{t: typeL, l: l}, nil
		}
	}
	return nil, errBadOperand()
}

// applyUpdate applies update actions to a copy of old (nil: no item; key
// holds the key attributes of the new item) and returns the new item.
func applyUpdate(acts []updateAction, old, key attrMap) (attrMap, error) {
	src := old
	if src == nil {
		src = attrMap{}
	}
	// DynamoDB evaluates every operand against the item as it was before
	// the update.
	vals := make([]*value, len(acts))
	for i, a := range acts {
		if a.kind == "SET" {
			v, err := updateValue(a.val, src)
			if err != nil {
				return nil, err
			}
			vals[i] = v.clone()
		}
	}
	it := src.clone()
	for k, v := range key {
		it[k] = v
	}
	var removes []docPath
	for i, a := range acts {
		switch a.kind {
		case "SET":
			if err := setPath(it, a.path, vals[i]); err != nil {
				return nil, err
			}
		case "REMOVE":
			removes = append(removes, a.path)
		case "ADD":
			if err := addPath(it, a.path, a.val.val); err != nil {
				return nil, err
			}
		case "DELETE":
			if err := deletePath(it, a.path, a.val.val); err != nil {
				return nil, err
			}
		}
	}
	// Remove list elements from the highest index down, so that every
	// index names the element it named before the update.
	sort.SliceStable(removes, func(i, j int) bool {
		a, b := removes[i], removes[j]
		if len(a) == len(b) && a[len(a)-1].isIdx && b[len(b)-1].isIdx {
			return a[len(a)-1].index > b[len(b)-1].index
		}
		return false
	})
	for _, p := range removes {
		if err := removePath(it, p); err != nil {
			return nil, err
		}
	}
	return it, nil
}

// parent resolves the container holding the last element of path.
func parent(it attrMap, path docPath) (*value, error) {
	if len(path) == 1 {
		return nil, nil
	}
	pv := resolve(it, path[:len(path)-1])
	last := path[len(path)-1]
	if pv == nil || (last.isIdx && pv.t != typeL) || (!last.isIdx && pv.t != typeM) {
		return nil, errBadPath()
	}
	return pv, nil
}

func setPath(it attrMap, path docPath, v *value) error {
	if len(path) == 1 {
		it[path[0].name] = v
		return nil
	}
	pv, err := parent(it, path)
	if err != nil {
		return err
	}
	last := path[len(path)-1]
	if last.isIdx {
		if last.index >= len(pv.l) {
			pv.l = append(pv.l, v)
		} else {
			pv.l[last.index] = v
		}
		return nil
	}
	pv.m[last.name] = v
	return nil
}

func removePath(it attrMap, path docPath) error {
	if len(path) == 1 {
		delete(it, path[0].name)
		return nil
	}
	pv := resolve(it, path[:len(path)-1])
	if pv == nil {
		return nil
	}
	last := path[len(path)-1]
	switch {
	case last.isIdx && pv.t == typeL:
		if last.index < len(pv.l) {
			pv.l = append(pv.l[:last.index:last.index], pv.l[last.index+1:]...)
		}
		return nil
	case !last.isIdx && pv.t == typeM:
		delete(pv.m, last.name)
		return nil
	}
	return errBadPath()
}

func addPath(it attrMap, path docPath, v *value) error {
	cur := resolve(it, path)
	if cur == nil {
		if len(path) > 1 {
			if _, err := parent(it, path); err != nil {
				return err
			}
		}
		return setPath(it, path, v.clone())
	}
	if cur.t != v.t {
		return errBadOperand()
	}
	switch v.t {
	case typeN:
		r, err := cur.num.add(v.num)
		if err != nil {
			return err
		}
		return setPath(it, path, numValue(r))
	case typeSS, typeNS, typeBS:
		n := cur.clone()
		for i, s := range v.set {
			if !setHas(n, s) {
				n.set = append(n.set, s)
				if v.t == typeNS {
					n.nums = append(n.nums, v.nums[i])
				}
			}
		}
		return setPath(it, path, n)
	}
	return errBadOperand()
}

func deletePath(it attrMap, path docPath, v *value) error {
	cur := resolve(it, path)
	if cur == nil {
		return nil
	}
	if cur.t != v.t {
		return errBadOperand()
	}
	n := &value{t: cur.t}
	for i, s := range cur.set {
		if !setHas(v, s) {
			n.set = append(n.set, s)
			if cur.t == typeNS {
				n.nums = append(n.nums, cur.nums[i])
			}
		}
	}
	if len(n.set) == 0 {
		return removePath(it, path)
	}
	return setPath(it, path, n)
}

// projTree is a set of document paths, merged.
type projTree struct {
	leaf  bool
	names map[string]*projTree
	idx   map[int]*projTree
}

func buildProjTree(paths []docPath) *projTree {
	root := &projTree{}
	for _, p := range paths {
		n := root
		for _, e := range p {
			var next *projTree
			if e.isIdx {
				if n.idx == nil {
					n.idx = map[int]*projTree{}
				}
				if next = n.idx[e.index]; next == nil {
					next = &projTree{}
					n.idx[e.index] = next
				}
			} else {
				if n.names == nil {
					n.names = map[string]*projTree{}
				}
				if next = n.names[e.name]; next == nil {
					next = &projTree{}
					n.names[e.name] = next
				}
			}
			n = next
		}
		n.leaf = true
	}
	return root
}

// project keeps only the given paths of an item, as ProjectionExpression
// does: list elements picked by index are packed in index order.
func project(it attrMap, paths []docPath) attrMap {
	if it == nil {
		return nil
	}
	tree := buildProjTree(paths)
	out := attrMap{}
	for name, sub := range tree.names {
		if v := projectValue(it[name], sub); v != nil {
			out[name] = v
		}
	}
	return out
}

func projectValue(v *value, t *projTree) *value {
	if v == nil {
		return nil
	}
	if t.leaf {
		return v
	}
	switch {
	case v.t == typeM && t.names != nil:
		m := map[string]*value{}
		for name, sub := range t.names {
			if e := projectValue(v.m[name], sub); e != nil {
				m[name] = e
			}
		}
		if len(m) == 0 {
			return nil
		}
		return &value{t: typeM, m: m}
	case v.t == typeL && t.idx != nil:
		idx := make([]int, 0, len(t.idx))
		for i := range t.idx {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		var l []*value
		for _, i := range idx {
			if i < len(v.l) {
				if e := projectValue(v.l[i], t.idx[i]); e != nil {
					l = append(l, e)
				}
			}
		}
		if len(l) == 0 {
			return nil
		}
		return &value{t: typeL, l: l}
	}
	return nil
}
