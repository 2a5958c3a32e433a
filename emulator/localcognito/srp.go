package localcognito

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"
)

// Cognito's SRP-6a, as amazon-cognito-identity-js's AuthenticationHelper
// computes it on the client side:
//
//   - N is the 3072-bit MODP prime of RFC 3526 (RFC 5054's 3072-bit group),
//     g = 2, and k = H(PAD(N) | PAD(g));
//   - H is SHA-256 over the bytes of hex strings, and PAD(x) is the
//     even-length two's-complement hex of x (a leading 00 when the top bit
//     is set), like Java's BigInteger.toByteArray;
//   - x = H(PAD(salt) | H(poolName | username | ":" | password)), with
//     poolName the part of the pool id after "_" and username the
//     challenge's USER_ID_FOR_SRP; the verifier is v = g^x;
//   - u = H(PAD(A) | PAD(B)); the client's S = (B - k·g^x)^(a + u·x), the
//     server's S = (A·v^u)^b;
//   - the key is HKDF-SHA256 of PAD(S) with salt PAD(u) and info
//     "Caldera Derived Key" | 0x01, first 16 bytes;
//   - PASSWORD_CLAIM_SIGNATURE = Base64(HMAC-SHA256(key, poolName |
//     username | SECRET_BLOCK bytes | TIMESTAMP)), TIMESTAMP formatted
//     "Mon Jan 2 15:04:05 UTC 2006".
var (
	srpN, _ = new(big.Int).SetString(""+
		"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"+
		"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"+
		"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"+
		"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"+
		"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"+
		"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"+
		"83655D23DCA3AD961C62F356208552BB9ED529077096966D"+
		"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"+
		"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"+
		"DE2BCBF6955817183995497CEA956AE515D2261898FA0510"+
		"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"+
		"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"+
		"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"+
		"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"+
		"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"+
		"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)
	srpG = big.NewInt(2)
	srpK = new(big.Int).SetBytes(hexHash(padHex(srpN) + padHex(srpG)))
)

// SRPTimestampFormat is the layout of the TIMESTAMP challenge response.
const SRPTimestampFormat = "Mon Jan 2 15:04:05 UTC 2006"

// padHex returns the even-length two's-complement hex of a non-negative
// x, with a leading "00" when its top bit would be set.
func padHex(x *big.Int) string {
	h := x.Text(16)
	if len(h)%2 == 1 {
		h = "0" + h
	}
	if strings.IndexByte("89abcdef", h[0]) >= 0 {
		h = "00" + h
	}
	return h
}

// hexHash is SHA-256 of the bytes the hex string h spells.
func hexHash(h string) []byte {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic("localcognito: bad hex in SRP: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

// srpX computes x for a user's password.
func srpX(poolName, username, password, saltHex string) *big.Int {
	salt, _ := new(big.Int).SetString(saltHex, 16)
	inner := sha256.Sum256([]byte(poolName + username + ":" + password))
	return new(big.Int).SetBytes(hexHash(padHex(salt) + hex.EncodeToString(inner[:])))
}

// newSRPVerifier returns a fresh salt and the verifier g^x of a password,
// both in hex.
func newSRPVerifier(poolName, username, password string) (saltHex, verifierHex string) {
	saltHex = padHex(new(big.Int).SetBytes(randomBytes(16)))
	x := srpX(poolName, username, password, saltHex)
	return saltHex, new(big.Int).Exp(srpG, x, srpN).Text(16)
}

// srpServer is the server's half of one SRP exchange.
type srpServer struct {
	poolName, username string
	saltHex            string
	v, a, b, bigB      *big.Int
	secretBlock        []byte
}

// newSRPServer starts an exchange with the client's A (hex). It returns
// nil when A is not acceptable (A mod N = 0).
func newSRPServer(poolName, username, saltHex, verifierHex, aHex string) *srpServer {
	a, ok := new(big.Int).SetString(aHex, 16)
	if !ok || a.Sign() <= 0 || new(big.Int).Mod(a, srpN).Sign() == 0 {
		return nil
	}
	v, ok := new(big.Int).SetString(verifierHex, 16)
	if !ok {
		return nil
	}
	s := &srpServer{poolName: poolName, username: username, saltHex: saltHex, v: v, a: a, secretBlock: randomBytes(64)}
	for {
		s.b = new(big.Int).SetBytes(randomBytes(32))
		// B = k·v + g^b mod N
		s.bigB = new(big.Int).Mul(srpK, v)
		s.bigB.Add(s.bigB, new(big.Int).Exp(srpG, s.b, srpN))
		s.bigB.Mod(s.bigB, srpN)
		if s.bigB.Sign() != 0 {
			return s
		}
	}
}

// key derives the shared 16-byte key; nil when u is 0.
func (s *srpServer) key() []byte {
	u := new(big.Int).SetBytes(hexHash(padHex(s.a) + padHex(s.bigB)))
	if u.Sign() == 0 {
		return nil
	}
	// S = (A · v^u)^b mod N
	S := new(big.Int).Exp(s.v, u, srpN)
	S.Mul(S, s.a)
	S.Mod(S, srpN)
	S.Exp(S, s.b, srpN)
	return srpHKDF(S, u)
}

func srpHKDF(S, u *big.Int) []byte {
	ikm, _ := hex.DecodeString(padHex(S))
	salt, _ := hex.DecodeString(padHex(u))
	prk := hmac.New(sha256.New, salt)
	prk.Write(ikm)
	okm := hmac.New(sha256.New, prk.Sum(nil))
	okm.Write([]byte("Caldera Derived Key\x01"))
	return okm.Sum(nil)[:16]
}

// claimSignature is the PASSWORD_CLAIM_SIGNATURE for key and timestamp.
func claimSignature(key []byte, poolName, username string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(username))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}
