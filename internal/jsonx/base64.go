package jsonx

import (
	"encoding/base64"
	"encoding/binary"
	"slices"
)

const stdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// pairs[v] is the two standard-alphabet characters that encode the 12
// bits v, first character in the low byte.
var pairs = func() (t [1 << 12]uint16) {
	for v := range t {
		t[v] = uint16(stdAlphabet[v>>6]) | uint16(stdAlphabet[v&63])<<8
	}
	return t
}()

// AppendBase64 appends the standard base64 encoding of src (with
// padding) to dst, as base64.StdEncoding.AppendEncode does, about twice
// as fast on large inputs: it encodes six bytes at a time with four
// lookups of two characters each, where the standard library looks up
// one character at a time. Lambda carries binary bodies this way, so a
// binary response costs its base64 encoding on every invocation.
func AppendBase64(dst, src []byte) []byte {
	n := base64.StdEncoding.EncodedLen(len(src))
	dst = slices.Grow(dst, n)
	out := dst[len(dst) : len(dst)+n]
	o := 0
	// Each step reads eight bytes and encodes the first six of them.
	for len(src) >= 8 {
		v := binary.BigEndian.Uint64(src)
		binary.LittleEndian.PutUint64(out[o:],
			uint64(pairs[v>>52])|
				uint64(pairs[v>>40&0xfff])<<16|
				uint64(pairs[v>>28&0xfff])<<32|
				uint64(pairs[v>>16&0xfff])<<48)
		src = src[6:]
		o += 8
	}
	// The rest, fewer than eight bytes, starts on a three-byte boundary,
	// so the standard encoder finishes it, padding and all.
	base64.StdEncoding.Encode(out[o:], src)
	return dst[:len(dst)+n]
}
