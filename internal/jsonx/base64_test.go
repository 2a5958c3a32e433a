package jsonx

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

func TestAppendBase64(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(r.Uint32())
		}
		for _, prefix := range []string{"", `{"body":"`} {
			want := base64.StdEncoding.AppendEncode([]byte(prefix), src)
			if got := AppendBase64([]byte(prefix), src); !bytes.Equal(got, want) {
				t.Fatalf("AppendBase64(%q, %d bytes) = %q, want %q", prefix, n, got, want)
			}
			// With room to spare, it appends in place.
			roomy := append(make([]byte, 0, len(want)+8), prefix...)
			if got := AppendBase64(roomy, src); !bytes.Equal(got, want) || cap(got) != cap(roomy) {
				t.Fatalf("AppendBase64 into a roomy buffer, %d bytes: %q, want %q in place", n, got, want)
			}
		}
	}
	// Every 12-bit value, through every position of a six-byte step.
	all := make([]byte, 3<<12>>1+8)
	for v := range 1 << 12 {
		i := v / 2 * 3
		if v%2 == 0 {
			all[i], all[i+1] = byte(v>>4), byte(v<<4)
		} else {
			all[i+1] |= byte(v >> 8)
			all[i+2] = byte(v)
		}
	}
	if got, want := AppendBase64(nil, all), base64.StdEncoding.AppendEncode(nil, all); !bytes.Equal(got, want) {
		t.Fatalf("AppendBase64 of every 12-bit value differs from the standard library")
	}
}

func FuzzAppendBase64(f *testing.F) {
	f.Add([]byte("hello, world"), 0)
	f.Add([]byte{0xff, 0xfe, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06}, 3)
	f.Fuzz(func(t *testing.T, src []byte, prefix int) {
		pre := bytes.Repeat([]byte{'x'}, prefix&15)
		want := base64.StdEncoding.AppendEncode(bytes.Clone(pre), src)
		if got := AppendBase64(pre, src); !bytes.Equal(got, want) {
			t.Fatalf("AppendBase64(%q) = %q, want %q", src, got, want)
		}
	})
}

func BenchmarkAppendBase64(b *testing.B) {
	src := make([]byte, 20<<10)
	for i := range src {
		src[i] = byte(i * 7)
	}
	dst := make([]byte, 0, base64.StdEncoding.EncodedLen(len(src)))
	b.Run("jsonx", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			dst = AppendBase64(dst[:0], src)
		}
	})
	b.Run("stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			dst = base64.StdEncoding.AppendEncode(dst[:0], src)
		}
	})
}
