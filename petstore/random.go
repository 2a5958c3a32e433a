package petstore

import "crypto/rand"

// randomBytes fills b from crypto/rand, which never fails on supported
// platforms (it panics instead).
func randomBytes(b []byte) { _, _ = rand.Read(b) }
