package harness

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestStatCPUTime(t *testing.T) {
	tests := []struct {
		name string
		stat string
		want time.Duration
	}{
		{
			name: "node",
			stat: "4242 (node) S 1 4242 4242 0 -1 4194560 5000 0 0 0 150 25 0 0 20 0 11 0 123456 1000000 20000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 3 0 0 0 0 0",
			want: 1750 * time.Millisecond,
		},
		{
			name: "command with spaces and parentheses",
			stat: "7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0",
			want: 70 * time.Millisecond,
		},
		{name: "no command", stat: "7 R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0", want: 0},
		{name: "too short", stat: "7 (a) R 1 7 7 0 -1 0 0 0 0 0 3", want: 0},
		{name: "not numbers", stat: "7 (a) R 1 7 7 0 -1 0 0 0 0 0 x 4 0 0", want: 0},
		{name: "empty", stat: "", want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, statCPUTime([]byte(tc.stat))); diff != "" {
				t.Errorf("statCPUTime(%q) mismatch (-want +got):\n%s", tc.stat, diff)
			}
		})
	}
}

func TestParseLoadAvg(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{in: "0.52 0.48 0.41 2/345 6789\n", want: "0.52 0.48 0.41"},
		{in: "1.00 2.00 3.00", want: "1.00 2.00 3.00"},
		{in: "1.00 2.00", want: "?"},
		{in: "", want: "?"},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, parseLoadAvg(tc.in)); diff != "" {
			t.Errorf("parseLoadAvg(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestNodeMajor(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{in: "20.11.1", want: 20},
		{in: "8.0.0", want: 8},
		{in: "22", want: 22},
		{in: "v20.11.1", want: -1},
		{in: "", want: -1},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, nodeMajor(tc.in)); diff != "" {
			t.Errorf("nodeMajor(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestInstalledVersion(t *testing.T) {
	tests := []struct {
		name        string
		packageJSON string // "" for no package.json
		want        string
	}{
		{name: "installed", packageJSON: `{"name": "dynalite", "version": "4.0.0"}`, want: "4.0.0"},
		{name: "missing", want: ""},
		{name: "malformed", packageJSON: `{"version":`, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pkg := t.TempDir()
			if tc.packageJSON != "" {
				if err := os.WriteFile(filepath.Join(pkg, "package.json"), []byte(tc.packageJSON), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tc.want, installedVersion(pkg)); diff != "" {
				t.Errorf("installedVersion mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOutputAnnounced writes a child's output in pieces and checks which
// URL, if any, the output finds announced.
func TestOutputAnnounced(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string // "" for none
	}{
		{name: "one write", writes: []string{"LISTENING http://127.0.0.1:1234\n"}, want: "http://127.0.0.1:1234"},
		{name: "split", writes: []string{"starting\nLISTEN", "ING http://127.0.0.1:1", "234\nmore\n"}, want: "http://127.0.0.1:1234"},
		{name: "first wins", writes: []string{"LISTENING http://a\nLISTENING http://b\n"}, want: "http://a"},
		{name: "line not ended", writes: []string{"LISTENING http://127.0.0.1:1234"}, want: ""},
		{name: "none", writes: []string{"Listening at http://127.0.0.1:1234\n"}, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := &output{announced: make(chan struct{})}
			for _, w := range tc.writes {
				if n, err := o.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write(%q) = %d, %v; want %d, nil", w, n, err, len(w))
				}
			}
			if diff := cmp.Diff(tc.want, o.url()); diff != "" {
				t.Errorf("announced URL mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(strings.Join(tc.writes, ""), o.String()); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestProcess runs small shell scripts as children and waits for them to
// announce their URL or be ready.
func TestProcess(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	ctx := context.Background()
	never := func(context.Context) bool { return false }

	t.Run("announced", func(t *testing.T) {
		// cat, ignoring SIGTERM, exits when Close closes its standard
		// input.
		script := "trap '' TERM; echo hello; echo LISTENING http://127.0.0.1:1; exec cat"
		p, err := Start("sh", exec.Command("sh", "-c", script),
			Options{StopWait: 5 * time.Second, Announces: true})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		if err := p.WaitAnnounced(ctx, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff("http://127.0.0.1:1", p.URL); diff != "" {
			t.Errorf("URL mismatch (-want +got):\n%s", diff)
		}
		if p.CPUTime() < 0 {
			t.Errorf("CPUTime() = %v, want ≥ 0", p.CPUTime())
		}
		p.Close()
		if st := p.ProcessState(); st == nil || !st.Success() {
			t.Errorf("child exited with %v, want success:\n%s", st, p.Output())
		}
	})

	tests := []struct {
		name    string
		script  string
		timeout time.Duration
		wantErr string
	}{
		{name: "exited", script: "echo boom; exit 3", timeout: 10 * time.Second,
			wantErr: "sh exited before ready: exit status 3\nboom\n"},
		{name: "timeout", script: "exec sleep 60", timeout: 200 * time.Millisecond,
			wantErr: "sh not ready after 200ms:\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Start("sh", exec.Command("sh", "-c", tc.script), Options{StopWait: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			err = p.WaitReady(ctx, "ready", never, 10*time.Millisecond, tc.timeout)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.wantErr, got); diff != "" {
				t.Errorf("WaitReady error mismatch (-want +got):\n%s", diff)
			}
			select {
			case <-p.Done():
			default:
				t.Errorf("child still running after WaitReady failed")
			}
		})
	}
}
