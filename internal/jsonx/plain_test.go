package jsonx

import "testing"

// FuzzPlainRun holds plainRun's eight-bytes-at-a-time scan to a byte by
// byte one: it must stop at or before the first byte that may need
// escaping, and no earlier than the start of its 8-byte block.
func FuzzPlainRun(f *testing.F) {
	f.Add("hello, world: a plain run of text", 0)
	f.Add("0123456789abcdef\"x", 3)
	f.Add("0123456789abcdef\\x", 0)
	f.Add("0123456789abcdef\x1fx", 1)
	f.Add("0123456789abcdef\x7fx\x80", 0)
	f.Add("0123456789abcdefé", 0)
	f.Add("!!!!!!!!#######[[[[[[[]]]]]]]]", 0)
	f.Fuzz(func(t *testing.T, s string, i int) {
		if i < 0 || i > len(s) {
			return
		}
		first := len(s)
		for j := i; j < len(s); j++ {
			if c := s[j]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
				first = j
				break
			}
		}
		got := plainRun(s, i)
		switch {
		case got < i || got > first:
			t.Fatalf("plainRun(%q, %d) = %d, outside [%d, %d]", s, i, got, i, first)
		case got < first && got+8 <= len(s) && !special8(load8(s, got)):
			t.Fatalf("plainRun(%q, %d) = %d, stopped before a plain 8-byte block", s, i, got)
		case got < first && got+8 > len(s) && (got-i)%8 != 0:
			t.Fatalf("plainRun(%q, %d) = %d, stopped off its 8-byte steps", s, i, got)
		}
	})
}
