package localcognito

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/faasport/faasport/verify"
)

// Target prefixes of the two JSON 1.1 APIs.
const (
	userPoolTarget     = "AWSCognitoIdentityProviderService."
	identityPoolTarget = "AWSCognitoIdentityService."
	contentType        = "application/x-amz-json-1.1"
	maxRequestBody     = 1 << 20
)

// apiError is an error as Cognito answers it: {"__type", "message"} with
// a status, 400 unless set.
type apiError struct {
	Type    string
	Message string
	Status  int
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

// errMissing is Cognito's validation error for a missing member.
func errMissing(member string) *apiError {
	return &apiError{Type: "InvalidParameterException",
		Message: fmt.Sprintf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)}
}

func errInvalidParam(format string, args ...any) *apiError {
	return &apiError{Type: "InvalidParameterException", Message: fmt.Sprintf(format, args...)}
}

// call is one API request.
type call struct {
	r      *http.Request
	op     string
	body   []byte
	addr   string // client address, without the port
	caller *verify.Caller
}

// decode reads the request's JSON into v; an empty body is {}.
func (c *call) decode(v any) error {
	body := bytes.TrimSpace(c.body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &apiError{Type: "SerializationException",
				Message: fmt.Sprintf("Unexpected value type for field %s: expected %s", te.Field, te.Type)}
		}
		return &apiError{Type: "SerializationException", Message: "Start of structure or map found where not expected, or the request body is not JSON."}
	}
	return nil
}

type opFunc func(ctx context.Context, s *Service, c *call) (any, error)

// ops are the operations by X-Amz-Target. admin marks those that need a
// SigV4 signature by an administrator key.
var ops = map[string]struct {
	fn    opFunc
	admin bool
}{
	userPoolTarget + "SignUp":                        {fn: opSignUp},
	userPoolTarget + "ConfirmSignUp":                 {fn: opConfirmSignUp},
	userPoolTarget + "InitiateAuth":                  {fn: opInitiateAuth},
	userPoolTarget + "RespondToAuthChallenge":        {fn: opRespondToAuthChallenge},
	userPoolTarget + "GetUser":                       {fn: opGetUser},
	userPoolTarget + "GlobalSignOut":                 {fn: opGlobalSignOut},
	userPoolTarget + "RevokeToken":                   {fn: opRevokeToken},
	userPoolTarget + "ChangePassword":                {fn: opChangePassword},
	userPoolTarget + "ForgotPassword":                {fn: opForgotPassword},
	userPoolTarget + "ConfirmForgotPassword":         {fn: opConfirmForgotPassword},
	userPoolTarget + "AdminCreateUser":               {fn: opAdminCreateUser, admin: true},
	userPoolTarget + "AdminInitiateAuth":             {fn: opAdminInitiateAuth, admin: true},
	userPoolTarget + "AdminRespondToAuthChallenge":   {fn: opAdminRespondToAuthChallenge, admin: true},
	userPoolTarget + "AdminDisableUser":              {fn: opAdminSetEnabled(false), admin: true},
	userPoolTarget + "AdminEnableUser":               {fn: opAdminSetEnabled(true), admin: true},
	userPoolTarget + "AdminGetUser":                  {fn: opAdminGetUser, admin: true},
	userPoolTarget + "AdminDeleteUser":               {fn: opAdminDeleteUser, admin: true},
	userPoolTarget + "AdminConfirmSignUp":            {fn: opAdminConfirmSignUp, admin: true},
	userPoolTarget + "AdminSetUserPassword":          {fn: opAdminSetUserPassword, admin: true},
	userPoolTarget + "AdminAddUserToGroup":           {fn: opAdminAddUserToGroup, admin: true},
	userPoolTarget + "AdminRemoveUserFromGroup":      {fn: opAdminRemoveUserFromGroup, admin: true},
	userPoolTarget + "CreateGroup":                   {fn: opCreateGroup, admin: true},
	userPoolTarget + "ListUsers":                     {fn: opListUsers, admin: true},
	identityPoolTarget + "GetId":                     {fn: opGetID},
	identityPoolTarget + "GetCredentialsForIdentity": {fn: opGetCredentialsForIdentity},
}

// Handler returns the service's HTTP handler: both JSON APIs at POST /,
// and each pool's JWKS and discovery document. Every response carries
// CORS headers so that browsers may call it.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{pool}/.well-known/jwks.json", s.serveJWKS)
	mux.HandleFunc("GET /{pool}/.well-known/openid-configuration", s.serveDiscovery)
	mux.HandleFunc("POST /{$}", s.serveAPI)
	mux.HandleFunc("OPTIONS /", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	return withCORS(mux)
}

// withCORS adds the headers Cognito's endpoints send to browsers: any
// origin, the headers the AWS SDKs send, and the ones they read.
func withCORS(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			hd.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			allow := r.Header.Get("Access-Control-Request-Headers")
			if allow == "" {
				allow = "authorization, content-type, x-amz-target, x-amz-date, x-amz-security-token, x-amz-user-agent, " +
					"x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request, cache-control"
			}
			hd.Set("Access-Control-Allow-Headers", allow)
			hd.Set("Access-Control-Max-Age", "86400")
		}
		hd.Set("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date")
		h.ServeHTTP(w, r)
	})
}

func (s *Service) serveAPI(w http.ResponseWriter, r *http.Request) {
	reqID := newUUID()
	w.Header().Set("x-amzn-RequestId", reqID)
	target := r.Header.Get("X-Amz-Target")
	op, ok := ops[target]
	if !ok {
		s.writeError(w, r, reqID, &apiError{Type: "UnknownOperationException",
			Message: fmt.Sprintf("Unknown operation %.80q: this emulator serves %s* and %s* operations", target, userPoolTarget, identityPoolTarget)})
		return
	}
	c := &call{r: r, op: target}
	if op.admin {
		// Verify before reading: Verify reads and restores the body.
		if s.admin == nil {
			s.writeError(w, r, reqID, &apiError{Type: "NotAuthorizedException",
				Message: "Administrative operations are disabled: Options.Admin configures no keys."})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
		caller, err := s.admin.Verify(r)
		if err != nil {
			var se *verify.SigV4Error
			if errors.As(err, &se) && !errors.Is(err, verify.ErrCredentialStore) {
				s.log.InfoContext(r.Context(), "localcognito: signature rejected", "op", target, "reason", se.Reason, "request_id", reqID)
				s.writeError(w, r, reqID, &apiError{Type: se.Code, Message: se.Message + " (" + se.Reason + ")"})
				return
			}
			s.writeError(w, r, reqID, err)
			return
		}
		c.caller = caller
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		s.writeError(w, r, reqID, &apiError{Type: "SerializationException", Message: "Cannot read the request body: " + err.Error()})
		return
	}
	c.body = body
	c.addr = r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		c.addr = host
	}
	resp, err := s.run(r.Context(), op.fn, c)
	if err != nil {
		s.writeError(w, r, reqID, err)
		return
	}
	b, err := json.Marshal(resp)
	if err != nil {
		s.writeError(w, r, reqID, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Write(b)
}

// run calls fn, turning a panic into an internal error so that no stack
// trace reaches the client.
func (s *Service) run(ctx context.Context, fn opFunc, c *call) (resp any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.ErrorContext(ctx, "localcognito: panic", "op", c.op, "panic", p)
			resp, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	return fn(ctx, s, c)
}

// writeError answers err as Cognito does. Errors other than *apiError
// are internal: their text goes to the log, not to the client.
func (s *Service) writeError(w http.ResponseWriter, r *http.Request, reqID string, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		s.log.ErrorContext(r.Context(), "localcognito: internal error", "err", err, "request_id", reqID)
		ae = &apiError{Type: "InternalErrorException", Message: "Internal error; see the emulator's log for request " + reqID, Status: http.StatusInternalServerError}
	}
	status := ae.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	s.log.Log(r.Context(), slog.LevelDebug, "localcognito: error", "type", ae.Type, "message", ae.Message, "request_id", reqID)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("x-amzn-ErrorType", ae.Type+":")
	w.Header().Set("x-amzn-ErrorMessage", strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, ae.Message))
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"__type": ae.Type, "message": ae.Message})
	w.Write(b)
}

func (s *Service) serveJWKS(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("pool")
	if s.pool(id) == nil {
		http.Error(w, `{"message":"User pool `+jsonSafe(id)+` does not exist."}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(s.JWKS(id))
}

func jsonSafe(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// serveDiscovery serves the OpenID Connect discovery document. Its
// jwks_uri is under IssuerBase when that is this service's own URL, and
// under the request's host when the issuer is AWS-shaped (so that a
// verifier that read this document here fetches the keys here too).
func (s *Service) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("pool")
	if s.pool(id) == nil {
		http.Error(w, `{"message":"User pool `+jsonSafe(id)+` does not exist."}`, http.StatusNotFound)
		return
	}
	base := s.base
	if strings.HasSuffix(strings.TrimPrefix(base, "https://"), ".amazonaws.com") {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"issuer":                                s.Issuer(id),
		"jwks_uri":                              base + "/" + id + "/.well-known/jwks.json",
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "token"},
		"scopes_supported":                      []string{"openid", "email", "phone", "profile"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"claims_supported": []string{"sub", "iss", "aud", "email", "email_verified", "cognito:username",
			"cognito:groups", "token_use", "auth_time", "iat", "exp"},
	})
}
