package cbpay

import (
	"crypto/rand"
	"encoding/hex"
)

// newIdempotencyKey returns a random (version 4) UUID, the key a call's
// attempts carry when the caller gives none. It is uuid.NewString without
// its reader interface, which moves the random bytes to the heap: one
// allocation, the string.
func newIdempotencyKey() string {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		// crypto/rand.Read does not fail on the platforms Go supports
		// (it crashes the program instead); a key must be random.
		panic("cbpay: crypto/rand: " + err.Error())
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	var s [36]byte
	hex.Encode(s[0:8], u[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], u[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], u[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], u[8:10])
	s[23] = '-'
	hex.Encode(s[24:], u[10:])
	return string(s[:])
}
