// Package localcognito is a local, SQLite-backed stand-in for Amazon
// Cognito user pools and identity pools. It speaks Cognito's own wire
// protocols, so that unmodified clients — aws-sdk-go-v2's
// cognitoidentityprovider and cognitoidentity packages, the AWS CLI, and
// a browser single-page app — sign up, sign in and get AWS credentials
// against it, and its tokens and credentials are checked for real by
// package verify.
//
// A [Service] is opened on a database file with [Open], served with
// [Service.Handler] (on an httptest.Server, or in the emulator), and
// closed with [Service.Close]. Users, groups, refresh tokens, signing
// keys, identities and credentials persist in the file across restarts.
// Pools and app clients are configured in Go ([Options.Pools],
// [Service.CreatePool], [Service.CreateClient]), not over the wire.
//
// # User pools
//
// The user pool API is Cognito's JSON 1.1 protocol: POST / with
// X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>. The public
// operations (SignUp, ConfirmSignUp, InitiateAuth with USER_PASSWORD_AUTH,
// USER_SRP_AUTH and REFRESH_TOKEN_AUTH, RespondToAuthChallenge for
// PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED, GetUser, GlobalSignOut,
// RevokeToken, ChangePassword, ForgotPassword, ConfirmForgotPassword) need
// no AWS signature, as on AWS. The administrative ones (AdminCreateUser,
// AdminGetUser, AdminSetUserPassword, AdminAddUserToGroup,
// AdminRemoveUserFromGroup, AdminConfirmSignUp, AdminDeleteUser,
// AdminDisableUser, AdminEnableUser, AdminInitiateAuth with
// ADMIN_USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH,
// AdminRespondToAuthChallenge, CreateGroup, ListUsers) must be signed with
// SigV4 by a key of [Options.Admin], checked with [verify.SigV4Verifier].
//
// Tokens are shaped like Cognito's: RS256 JWTs whose ID and access tokens
// are signed by different keys, with Cognito's claims, issued by
// <IssuerBase>/<poolId>. The key sets are served at
// /<poolId>/.well-known/jwks.json and OpenID Connect discovery at
// /<poolId>/.well-known/openid-configuration. The default IssuerBase is
// AWS's own (https://cognito-idp.<region>.amazonaws.com), so that clients
// that insist on a real-shaped issuer work; they get the keys from
// [Service.KeySource] or from this service's JWKS URL. Refresh tokens are
// opaque random strings, stored hashed, bound to their app client, and
// revocable.
//
// Confirmation and password-reset codes are not mailed: they are logged
// and handed to [Options.DeliverCode].
//
// # Identity pools
//
// The identity pool API is Cognito Identity's JSON 1.1 protocol
// (X-Amz-Target: AWSCognitoIdentityService.<Operation>): GetId and
// GetCredentialsForIdentity. Identities are unauthenticated or tied to a
// user pool user by the ID token in Logins, which is verified with
// package verify. Credentials are temporary keys (ASIA…) for the pool's
// authenticated or unauthenticated role, or a role chosen by role
// mapping. The [Service] is a [verify.CredentialStore]: a product store
// checks requests signed with those keys with [verify.SigV4Verifier] and
// gets a [*Principal] naming the role and the identity.
//
// # Differences from AWS
//
//   - Pools, app clients and identity pools are created in Go, not with
//     CreateUserPool, CreateUserPoolClient or CreateIdentityPool.
//   - Codes are logged and passed to Options.DeliverCode instead of being
//     sent by email or SMS. Sign-up codes last 24 hours, reset codes one
//     hour, as Cognito's do.
//   - There is no MFA, no custom auth flow, no Lambda triggers, no hosted
//     UI or OAuth endpoints (/oauth2/token), no device tracking, no
//     sign-in by email alias, and no attribute verification operations.
//   - Usernames are case-insensitive, as in pools created with Cognito's
//     current defaults. A pool's schema is the standard attributes and
//     every custom: name, as pools here declare no custom attributes;
//     other names (cognito:groups, scope, client_id, …) are refused as
//     outside the schema, and only administrators may set email_verified
//     and phone_number_verified, as app clients' default write
//     permissions allow. Attribute values are not validated (formats,
//     lengths per attribute, mutability).
//   - Passwords are stored as bcrypt hashes of their SHA-256 (so that the
//     72-byte bcrypt limit does not apply) plus the SRP verifier that
//     USER_SRP_AUTH needs.
//   - Failed sign-ins lock a user out after Options.MaxFailedSignIns
//     (5) failures for one second, doubling with each further failure up
//     to 15 minutes, as Cognito documents; the per-address limit
//     (TooManyRequestsException) is faasport's own, as is its size.
//     Client addresses come from the connection, not X-Forwarded-For.
//   - Refresh tokens are random strings, not encrypted JWEs; they are not
//     rotated.
//   - IAM policies are not evaluated here: Admin operations need any key
//     of Options.Admin; role ARNs are handed to whoever checks requests.
//   - Identity pools accept only this service's user pools as providers,
//     keyed by cognito-idp.<region>.amazonaws.com/<poolId> or by the
//     issuer without its scheme, and one login per request.
//   - ListUsers leaves out an AttributesToGet attribute a user lacks,
//     where Cognito refuses the request; a Filter on an attribute that
//     cannot be searched is refused as unparseable. Only user pool ids are
//     checked against the API's patterns; other malformed ids are not
//     found.
//   - Error types and messages are Cognito's where they are known from
//     AWS documentation and public reports; others follow their style.
package localcognito
