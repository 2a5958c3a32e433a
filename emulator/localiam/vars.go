package localiam

import "strings"

// A template is a policy string that may hold policy variables: a Resource
// or NotResource entry, or a condition value.
type template struct {
	raw   string
	parts []tpart // nil when raw holds no variables
}

type tpart struct {
	kind tkind
	text string // policy text, or the literal character of an escape
	name string // tVar: the variable's name
	def  string // tVar: the default value
	// hasDef says the variable has a default value: ${name, 'default'}.
	hasDef bool
}

type tkind uint8

const (
	tText    tkind = iota // policy text: '*' and '?' are wildcards where the operator allows them
	tLiteral              // ${*}, ${?} or ${$}: the character itself, never a wildcard
	tVar                  // ${name} or ${name, 'default'}
)

// parseTemplate splits s into text, escapes and variables. Policies of
// version 2008-10-17 have no variables: "If you don't include the Version
// element and set it to an appropriate version date, variables like
// ${aws:username} are treated as literal strings in the policy."
func parseTemplate(s string, variables bool) template {
	t := template{raw: s}
	if !variables || !strings.Contains(s, "${") {
		return t
	}
	rest := s
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i+2:], '}')
		if j < 0 {
			break
		}
		if i > 0 {
			t.parts = append(t.parts, tpart{kind: tText, text: rest[:i]})
		}
		inner := rest[i+2 : i+2+j]
		rest = rest[i+2+j+1:]
		switch inner {
		case "*", "?", "$":
			t.parts = append(t.parts, tpart{kind: tLiteral, text: inner})
			continue
		}
		v := tpart{kind: tVar, name: strings.TrimSpace(inner)}
		// ${aws:userid, 'anonymous'}: "surround the default value with single
		// quotes, and separate the variable text and the default value with
		// a comma and space".
		if name, def, ok := strings.Cut(inner, ","); ok {
			def = strings.TrimSpace(def)
			if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
				v.name, v.def, v.hasDef = strings.TrimSpace(name), def[1:len(def)-1], true
			}
		}
		t.parts = append(t.parts, v)
	}
	if t.parts == nil {
		return t
	}
	if rest != "" {
		t.parts = append(t.parts, tpart{kind: tText, text: rest})
	}
	return t
}

// hasVars reports whether the template needs a request to be resolved.
func (t *template) hasVars() bool {
	for _, p := range t.parts {
		if p.kind == tVar {
			return true
		}
	}
	return false
}

// str resolves the template to a string, in which wildcards mean nothing.
// It reports false if a variable has no value and no default.
func (t *template) str(req *Request) (string, bool) {
	if t.parts == nil {
		return t.raw, true
	}
	if len(t.parts) == 1 && t.parts[0].kind == tVar { // "${aws:username}", most often
		p := &t.parts[0]
		if v, ok := req.variable(p.name); ok {
			return v, true
		}
		return p.def, p.hasDef
	}
	var b strings.Builder
	for _, p := range t.parts {
		switch p.kind {
		case tVar:
			v, ok := req.variable(p.name)
			if !ok {
				if !p.hasDef {
					return "", false
				}
				v = p.def
			}
			b.WriteString(v)
		default:
			b.WriteString(p.text)
		}
	}
	return b.String(), true
}

// pattern resolves the template to a wildcard pattern. Only policy text
// has wildcards: a variable's value is matched literally, so that a user
// named "*" does not match every resource. It reports false if a variable
// has no value and no default.
func (t *template) pattern(req *Request) (pattern, bool) {
	if t.parts == nil {
		return compileText(nil, t.raw), true
	}
	var p pattern
	for _, part := range t.parts {
		switch part.kind {
		case tText:
			p = compileText(p, part.text)
		case tLiteral:
			p = appendLiteral(p, part.text)
		case tVar:
			v, ok := req.variable(part.name)
			if !ok {
				if !part.hasDef {
					return nil, false
				}
				v = part.def
			}
			p = appendLiteral(p, v)
		}
	}
	return p, true
}

// variable looks up a policy variable: first in Variables, then in a
// single-valued Context key, since "you can use any available single-valued
// context key as a policy variable". Names are case-insensitive.
func (r *Request) variable(name string) (string, bool) {
	if r == nil {
		return "", false
	}
	if v, ok := lookupFold(r.Variables, name); ok {
		return v, true
	}
	if vs, ok := lookupFold(r.Context, name); ok && len(vs) == 1 {
		return vs[0], true
	}
	return "", false
}

// values returns the values of a condition key: from Context, or else a
// policy variable of that name. Key names are case-insensitive.
func (r *Request) values(key string) []string {
	if vs, ok := lookupFold(r.Context, key); ok {
		return vs
	}
	if v, ok := lookupFold(r.Variables, key); ok {
		return []string{v}
	}
	return nil
}

func lookupFold[V any](m map[string]V, key string) (V, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	var zero V
	return zero, false
}
