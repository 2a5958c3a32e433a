package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/faasport/faasport/bench/internal/harness"
)

// TestSequence runs the benchmark's sequence (SignUp, InitiateAuth,
// GetUser) against faasport's pool over loopback, from several workers.
// It needs neither npm nor node.
func TestSequence(t *testing.T) {
	ctx := context.Background()
	svc, srv, err := startOurs(filepath.Join(t.TempDir(), "cognito.db"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	defer srv.Close()

	tests := []struct {
		name     string
		clientID string
		want     int    // sequences completed
		wantErr  string // in the first failure; "" for none
	}{
		{name: "ok", clientID: benchClient, want: 24},
		{name: "unknown-client", clientID: "nosuchclient", want: 0, wantErr: "ResourceNotFoundException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := &target{name: "ours", client: newClient(srv.URL, 4, nil), clientID: tc.clientID, prefix: tc.name}
			s := drive(ctx, tg, 4, 20*time.Second, 24, harness.CPUTime)
			if s.seqs != tc.want || len(s.lat) != tc.want {
				t.Errorf("drive completed %d sequences (%d timings), want %d", s.seqs, len(s.lat), tc.want)
			}
			if tc.wantErr == "" {
				if s.err != nil || s.errors != 0 {
					t.Fatalf("drive: %d errors, first %v", s.errors, s.err)
				}
				if s.rate() <= 0 || s.percentile(-1, 0.5) <= 0 || s.percentile(opGetUser, 0.99) <= 0 {
					t.Errorf("rate %v, p50 %v, GetUser p99 %v: want all > 0", s.rate(), s.percentile(-1, 0.5), s.percentile(opGetUser, 0.99))
				}
				if p := s.percentile(opConfirm, 0.5); p != 0 {
					t.Errorf("ConfirmSignUp p50 = %v, want 0 (the pool confirms at SignUp)", p)
				}
				return
			}
			if s.err == nil || !strings.Contains(s.err.Error(), tc.wantErr) {
				t.Errorf("drive error = %v, want one mentioning %s", s.err, tc.wantErr)
			}
			if s.errors != 4 {
				t.Errorf("drive counted %d failed workers, want 4", s.errors)
			}
		})
	}
}

// TestSequenceUsernamesUnique checks that a target never signs the same
// user up twice, across workers.
func TestSequenceUsernamesUnique(t *testing.T) {
	svc, srv, err := startOurs("", bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	defer srv.Close()
	tg := &target{name: "ours", client: newClient(srv.URL, 8, nil), clientID: benchClient, prefix: "u"}
	s := drive(context.Background(), tg, 8, 20*time.Second, 40, nil)
	if s.err != nil { // a repeated name fails SignUp with UsernameExistsException
		t.Fatal(s.err)
	}
	if got := tg.next.Load(); got < 40 {
		t.Errorf("%d usernames issued, want at least 40", got)
	}
}
