package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// password meets Cognito's default policy, which faasport's pool enforces.
const password = "Bench-Passw0rd!"

// The calls of a sequence, in order.
const (
	opSignUp = iota
	opConfirm
	opInitiateAuth
	opGetUser
	nOps
)

var opNames = [nOps]string{"SignUp", "ConfirmSignUp", "InitiateAuth", "GetUser"}

// target is a user pool app client reached through the SDK.
type target struct {
	name     string
	client   *cip.Client
	clientID string

	// confirmCode, when set, is sent with ConfirmSignUp after SignUp; an
	// empty one means the pool confirms users at SignUp.
	confirmCode string

	prefix string       // of usernames, unique to the target
	next   atomic.Int64 // number of the next username
}

// newClient returns an SDK client for the endpoint url. It signs nothing
// (SignUp, ConfirmSignUp, InitiateAuth and GetUser are public operations,
// which browsers and apps call without AWS credentials), does not retry,
// so that every failure is seen, and keeps up to conns connections alive.
func newClient(url string, conns int, creds aws.CredentialsProvider) *cip.Client {
	if creds == nil {
		creds = aws.AnonymousCredentials{}
	}
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return cip.New(cip.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(url),
		Credentials:      creds,
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: tr, Timeout: 30 * time.Second},
	})
}

// timing is how long one sequence and each of its calls took.
type timing struct {
	total time.Duration
	ops   [nOps]time.Duration
}

// sequence runs a new user's first session: SignUp with a unique
// username, ConfirmSignUp if the pool needs it, InitiateAuth with
// USER_PASSWORD_AUTH, and GetUser with the access token it returned.
func (t *target) sequence(ctx context.Context) (timing, error) {
	var tm timing
	name := fmt.Sprintf("%s%d", t.prefix, t.next.Add(1))
	start := time.Now()
	mark := start
	lap := func(op int) {
		now := time.Now()
		tm.ops[op] = now.Sub(mark)
		mark = now
	}
	_, err := t.client.SignUp(ctx, &cip.SignUpInput{
		ClientId: aws.String(t.clientID), Username: aws.String(name), Password: aws.String(password),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}},
	})
	if err != nil {
		return tm, fmt.Errorf("SignUp %s: %w", name, err)
	}
	lap(opSignUp)
	if t.confirmCode != "" {
		if _, err := t.client.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{
			ClientId: aws.String(t.clientID), Username: aws.String(name), ConfirmationCode: aws.String(t.confirmCode),
		}); err != nil {
			return tm, fmt.Errorf("ConfirmSignUp %s: %w", name, err)
		}
		lap(opConfirm)
	}
	auth, err := t.client.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(t.clientID),
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password},
	})
	if err != nil {
		return tm, fmt.Errorf("InitiateAuth %s: %w", name, err)
	}
	if auth.AuthenticationResult == nil || auth.AuthenticationResult.AccessToken == nil {
		return tm, fmt.Errorf("InitiateAuth %s: no access token (challenge %q)", name, auth.ChallengeName)
	}
	lap(opInitiateAuth)
	user, err := t.client.GetUser(ctx, &cip.GetUserInput{AccessToken: auth.AuthenticationResult.AccessToken})
	if err != nil {
		return tm, fmt.Errorf("GetUser %s: %w", name, err)
	}
	lap(opGetUser)
	tm.total = mark.Sub(start)
	if got := aws.ToString(user.Username); got != name {
		return tm, fmt.Errorf("GetUser %s: Username = %q", name, got)
	}
	if !hasAttr(user.UserAttributes, "email", name+"@example.com") {
		return tm, fmt.Errorf("GetUser %s: no email attribute in %v", name, attrNames(user.UserAttributes))
	}
	return tm, nil
}

func hasAttr(attrs []types.AttributeType, name, value string) bool {
	return slices.ContainsFunc(attrs, func(a types.AttributeType) bool {
		return aws.ToString(a.Name) == name && aws.ToString(a.Value) == value
	})
}

func attrNames(attrs []types.AttributeType) []string {
	var names []string
	for _, a := range attrs {
		names = append(names, aws.ToString(a.Name))
	}
	return names
}

// sample is what a run of sequences against one target measured.
type sample struct {
	seqs    int
	elapsed time.Duration
	cpu     time.Duration // CPU time of this process and of the target's server, if separate
	lat     []timing
	err     error // the first failure
	errors  int
}

func (s *sample) add(o sample) {
	s.seqs += o.seqs
	s.elapsed += o.elapsed
	s.cpu += o.cpu
	s.lat = append(s.lat, o.lat...)
	s.errors += o.errors
	if s.err == nil {
		s.err = o.err
	}
}

// rate returns completed sequences per second.
func (s *sample) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.seqs) / s.elapsed.Seconds()
}

// cpuPerSeq returns the CPU time spent per completed sequence.
func (s *sample) cpuPerSeq() time.Duration {
	return s.cpu / time.Duration(max(s.seqs, 1))
}

// percentile returns the q-quantile (0 < q < 1) of the sequence
// latencies, or of one call's latencies for op >= 0.
func (s *sample) percentile(op int, q float64) time.Duration {
	d := make([]time.Duration, 0, len(s.lat))
	for _, t := range s.lat {
		if op < 0 {
			d = append(d, t.total)
		} else if t.ops[op] > 0 {
			d = append(d, t.ops[op])
		}
	}
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(q*float64(len(d))))]
}

// drive runs sequences against t from n workers until d has passed or
// max sequences have started, and waits for those in flight. cpu, if not
// nil, tells the CPU time used so far by everything that serves t and
// drives it. A worker stops at its first failure.
func drive(ctx context.Context, t *target, n int, d time.Duration, max int, cpu func() time.Duration) sample {
	var (
		mu      sync.Mutex
		s       sample
		wg      sync.WaitGroup
		started atomic.Int64
	)
	var cpu0 time.Duration
	if cpu != nil {
		cpu0 = cpu()
	}
	start := time.Now()
	end := start.Add(d)
	for range n {
		wg.Go(func() {
			var mine []timing
			var err error
			for ctx.Err() == nil && time.Now().Before(end) && started.Add(1) <= int64(max) {
				var tm timing
				tm, err = t.sequence(ctx)
				if err != nil {
					break
				}
				mine = append(mine, tm)
			}
			mu.Lock()
			defer mu.Unlock()
			s.lat = append(s.lat, mine...)
			if err != nil && !errors.Is(err, context.Canceled) {
				s.errors++
				if s.err == nil {
					s.err = fmt.Errorf("%s: %w", t.name, err)
				}
			}
		})
	}
	wg.Wait()
	s.elapsed = time.Since(start)
	if cpu != nil {
		s.cpu = cpu() - cpu0
	}
	s.seqs = len(s.lat)
	return s
}
