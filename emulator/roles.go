package emulator

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/faasport/faasport/verify"
)

// RoleCaller is the principal of a request signed with the credentials
// of a role, handed out by [Emulator.RoleCredentials].
type RoleCaller struct {
	RoleARN     string
	AccessKeyID string
}

// roleKeys holds the access keys the emulator issued for roles, such as
// a function's execution role.
type roleKeys struct {
	mu   sync.Mutex
	keys map[string]verify.Credentials // by access key id
	byRo map[string]aws.Credentials    // by role ARN
}

func (k *roleKeys) issue(roleARN string) aws.Credentials {
	k.mu.Lock()
	defer k.mu.Unlock()
	if c, ok := k.byRo[roleARN]; ok {
		return c
	}
	if k.keys == nil {
		k.keys = map[string]verify.Credentials{}
		k.byRo = map[string]aws.Credentials{}
	}
	id := "AKIA" + randomToken(12)
	secret := randomToken(30)
	k.keys[id] = verify.Credentials{
		AccessKeyID:     id,
		SecretAccessKey: secret,
		Principal:       &RoleCaller{RoleARN: roleARN, AccessKeyID: id},
	}
	c := aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, Source: "faasport emulator role " + roleARN}
	k.byRo[roleARN] = c
	return c
}

func (k *roleKeys) Lookup(_ context.Context, accessKeyID string) (verify.Credentials, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	c, ok := k.keys[accessKeyID]
	if !ok {
		return verify.Credentials{}, verify.ErrAccessKey
	}
	return c, nil
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToUpper(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:n]
}

// credentialStores finds an access key in the first store that knows it.
type credentialStores []verify.CredentialStore

func (cs credentialStores) Lookup(ctx context.Context, id string) (verify.Credentials, error) {
	for _, s := range cs {
		if c, err := s.Lookup(ctx, id); err == nil {
			return c, nil
		}
	}
	return verify.Credentials{}, verify.ErrAccessKey
}

// RoleCredentials returns long-lived credentials standing for the role
// roleARN, as Lambda hands a function the credentials of its execution
// role: requests signed with them are authorised by the role's policies
// (Options.Roles). Calling it again for the same role returns the same
// credentials.
func (e *Emulator) RoleCredentials(roleARN string) (aws.Credentials, error) {
	if _, ok := e.opts.Roles[roleARN]; !ok {
		return aws.Credentials{}, fmt.Errorf("emulator: no role %s in Options.Roles", roleARN)
	}
	return e.roles.issue(roleARN), nil
}
