// Package verify is the one place faasport verifies credentials. The
// emulator's API gateway uses it for its JWT authorizers, functions use it
// to check a token themselves, and the auth service and the product store
// build on it; none of them parses or checks a token on its own.
//
// A [Verifier] checks a JSON Web Token the way an API Gateway HTTP API JWT
// authorizer does (http-api-jwt-authorizer.md), with the extra token_use
// check of Cognito's verification guide:
//
//   - the algorithm must be RS256: "none", HMAC algorithms (including
//     HS256 keyed with the RSA public key) and every other algorithm are
//     refused;
//   - the header's kid must name a key of the issuer's JWKS, and the
//     signature must verify with it;
//   - iss must equal the configured issuer;
//   - aud must hold one of the configured audiences, or, only when the
//     token has no aud, client_id must be one of them;
//   - exp must be after now, and nbf and iat (when present) not after now;
//   - token_use must be "id" or "access" when the Verifier requires one.
//
// Keys come from a [KeySource]. A [JWKSCache] finds an issuer's keys as
// API Gateway does — <issuer>/.well-known/openid-configuration, then its
// jwks_uri — fetching with a 1.5 s timeout and keeping them for up to two
// hours; a [KeySet] holds fixed keys.
//
// A [SignatureCache] lets a Verifier check a token's RS256 signature once
// while the key that verified it stays in the issuer's key set; claims are
// checked on every use. The emulator's gateway uses one, and
// [Verifier.VerifyShared], which hands every caller of a remembered token
// the same read-only claims instead of a copy.
//
// Every rejection is an [*Error] whose Kind is one of the Err* sentinels
// (test with errors.Is) and whose Reason is a short description fit for
// the error_description of a WWW-Authenticate challenge ([Error.Challenge]).
//
// # Differences from AWS
//
// API Gateway documents one error_description, "the token does not have a
// valid audience", which is used as is; the other reasons are faasport's
// wording in the same style. Time claims are compared with no leeway
// unless [Verifier.Leeway] sets one; whether AWS allows clock skew is not
// documented.
package verify
