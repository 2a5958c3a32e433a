package localcognito

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"unicode"

	"golang.org/x/crypto/bcrypt"
)

// symbols are the characters Cognito's password policy counts as symbols,
// as its developer guide lists them; a space counts too, but a password
// may not begin or end with one.
const symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-"

// checkPassword applies policy p to password, failing with Cognito's
// errors: InvalidParameterException below Cognito's absolute minimum of
// 6 characters, InvalidPasswordException naming the first rule broken.
func checkPassword(p PasswordPolicy, password string) error {
	n := awsLen(password)
	if n < 6 {
		return errInvalidParam("1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6")
	}
	if n > 256 {
		return errInvalidParam("1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	if strings.TrimSpace(password) != password {
		return errInvalidParam("1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$")
	}
	bad := func(why string) error {
		return &apiError{Type: "InvalidPasswordException", Message: "Password did not conform with policy: " + why}
	}
	if n < p.MinimumLength {
		return bad("Password not long enough")
	}
	var upper, lower, digit, symbol bool
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(symbols, r) || r == ' ':
			symbol = true
		}
	}
	switch {
	case p.RequireUppercase && !upper:
		return bad("Password must have uppercase characters")
	case p.RequireLowercase && !lower:
		return bad("Password must have lowercase characters")
	case p.RequireNumbers && !digit:
		return bad("Password must have numeric characters")
	case p.RequireSymbols && !symbol:
		return bad("Password must have symbol characters")
	}
	return nil
}

// prehash makes any password fit bcrypt's 72-byte limit.
func prehash(password string) []byte {
	sum := sha256.Sum256([]byte(password))
	return []byte(base64.StdEncoding.EncodeToString(sum[:]))
}

func hashPassword(password string, cost int) ([]byte, error) {
	return bcrypt.GenerateFromPassword(prehash(password), cost)
}

// passwordMatches compares in constant time (bcrypt's comparison is).
func passwordMatches(hash []byte, password string) bool {
	return len(hash) > 0 && bcrypt.CompareHashAndPassword(hash, prehash(password)) == nil
}

// tempPassword returns a password that meets policy p.
func tempPassword(p PasswordPolicy) string {
	n := max(p.MinimumLength, 12)
	pw := []byte(randomString(n-4, alnum))
	pw = append(pw, "ABCDEFGHJKLMNPQRSTUVWXYZ"[randIntn(24)], "abcdefghijkmnpqrstuvwxyz"[randIntn(24)],
		"23456789"[randIntn(8)], "!#%&*+-=?"[randIntn(9)])
	return string(pw)
}
