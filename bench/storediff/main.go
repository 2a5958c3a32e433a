// Command storediff is a differential checker for faasport's DynamoDB
// stand-in, emulator/localdynamo, against dynalite, the DynamoDB
// implementation on npm.
//
// It starts both servers on 127.0.0.1 (faasport's store with
// localdynamo.Open on a file in a temporary directory, served by
// net/http/httptest; dynalite 4.0.0 on its in-memory store, installed
// with npm into store/.dynalite on first use, as the store benchmark
// does), sends the same sequence of raw DynamoDB JSON 1.0 requests to
// both, and prints every case where the answers differ in HTTP status,
// error type (the part of __type after '#'), error message, the rest of
// an error's body, or the normalised body of a success. The corpus is
// mostly bad input and edge semantics, in named groups; each group
// creates its own tables, and the cases run in the same order on both
// servers so that their states match.
//
// Run
//
//	cd bench && go run ./storediff
//
// with -v to print the cases that agree as well, -run to select groups by
// a regular expression, and -json to print the differences as JSON.
//
// A success's body is compared after sorting object keys and ignoring
// what varies between servers or runs by nature rather than by fidelity:
// ConsumedCapacity; CreationDateTime and the other *DateTime fields;
// TableId; ItemCount, TableSizeBytes and IndexSizeBytes; LatestStreamArn
// and LatestStreamLabel; NumberOfDecreasesToday in ProvisionedThroughput
// (the capacity units are compared); the region and account in ARNs. The
// order of AttributeDefinitions and of secondary indexes in a table
// description, of Scan's Items and of BatchGetItem's Responses is not
// compared either. Everything else, including fields only one side
// sends, is.
//
// dynalite does not implement TransactWriteItems, TransactGetItems or
// UpdateTimeToLive; those cases are reported with dynalite's
// UnknownOperationException and counted apart.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/faasport/faasport/bench/internal/harness"
	"github.com/faasport/faasport/emulator/localdynamo"
)

// dynalitePackage is the dynalite the store benchmark installs.
var dynalitePackage = harness.NPMPackage{
	Name:    "dynalite",
	Version: "4.0.0",
	Script:  "cli.js",
	MinNode: 20,
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "storediff:", err)
		os.Exit(1)
	}
}

func run() error {
	verbose := flag.Bool("v", false, "also print the cases on which both servers agree")
	only := flag.String("run", "", "run only the groups whose names match this regular expression")
	asJSON := flag.Bool("json", false, "print the differences as JSON instead of text")
	cacheDir := flag.String("dynalite-dir", harness.CacheDir(filepath.Join("..", "store", ".dynalite"), "storediff"), "where dynalite is installed (shared with bench/store)")
	flag.Parse()
	var sel *regexp.Regexp
	if *only != "" {
		var err error
		if sel, err = regexp.Compile(*only); err != nil {
			return err
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cli, err := dynalitePackage.Install(ctx, *cacheDir)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "faasport-storediff-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	store, err := localdynamo.Open(filepath.Join(tmp, "store.db"), &localdynamo.Options{TTLSweepInterval: -1})
	if err != nil {
		return err
	}
	defer store.Close()
	srv := httptest.NewServer(store.Handler())
	defer srv.Close()

	dyn, err := startDynalite(ctx, cli)
	if err != nil {
		return err
	}
	defer dyn.Close()

	client := &http.Client{Timeout: 30 * time.Second}
	ours := &server{name: "ours", url: srv.URL, client: client}
	peer := &server{name: "dynalite", url: dyn.URL, client: client}

	var results []result
	ncases := 0
	for _, g := range corpus() {
		if sel != nil && !sel.MatchString(g.name) {
			continue
		}
		for _, st := range g.steps {
			if err := ctx.Err(); err != nil {
				return err
			}
			a, err := ours.do(ctx, st.op, st.body)
			if err != nil {
				return fmt.Errorf("%s/%s: ours: %w", g.name, st.name, err)
			}
			b, err := peer.do(ctx, st.op, st.body)
			if err != nil {
				return fmt.Errorf("%s/%s: dynalite: %w", g.name, st.name, err)
			}
			for _, p := range []struct {
				s *server
				r *response
			}{{ours, a}, {peer, b}} {
				if err := p.s.settle(ctx, st, p.r); err != nil {
					return fmt.Errorf("%s/%s: %s: %w", g.name, st.name, p.s.name, err)
				}
			}
			r := result{group: g.name, step: st, ours: a, peer: b}
			r.diffs, r.where = compare(st.op, a, b)
			results = append(results, r)
			if !st.setup {
				ncases++
			}
		}
	}

	var differ, unsupported, setupDiffer int
	var out []result
	for _, r := range results {
		if len(r.diffs) == 0 {
			if *verbose {
				out = append(out, r)
			}
			continue
		}
		out = append(out, r)
		switch {
		case r.step.setup:
			setupDiffer++
		case r.peer.typ == "UnknownOperationException":
			unsupported++
			differ++
		default:
			differ++
		}
	}
	summary := fmt.Sprintf("storediff: %d cases (plus %d setup steps), %d differ (%d of them on operations dynalite does not implement); %d setup steps differ",
		ncases, len(results)-ncases, differ, unsupported, setupDiffer)
	if *asJSON {
		return printJSON(out, summary)
	}
	fmt.Printf("storediff: ours = localdynamo on %s; dynalite = dynalite %s (node %s) on %s\n",
		srv.URL, dynalitePackage.Version, harness.NodeVersion(), dyn.URL)
	for _, r := range out {
		printResult(r)
	}
	fmt.Println(summary)
	return nil
}

// startDynalite runs dynalite's cli.js on a free port of 127.0.0.1 with
// its in-memory store and waits until it accepts connections. Tables
// change state at once (createTableMs and the like are 0), though still
// asynchronously; see server.settle. Callers must call Close.
func startDynalite(ctx context.Context, cli string) (*harness.Process, error) {
	port, err := harness.FreePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command("node", cli, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
	p, err := harness.Start("dynalite", cmd, harness.Options{StopWait: 5 * time.Second})
	if err != nil {
		return nil, err
	}
	p.URL = "http://" + addr
	ready := func(ctx context.Context) bool {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
		if err != nil {
			return false
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
	if err := p.WaitReady(ctx, "answering at "+p.URL, ready, 50*time.Millisecond, 20*time.Second); err != nil {
		return nil, err
	}
	return p, nil
}

// settle waits, after a CreateTable or DeleteTable that succeeded, until
// the server shows the table ACTIVE or gone: dynalite answers CREATING or
// DELETING and changes state a moment later.
func (s *server) settle(ctx context.Context, st step, r *response) error {
	if r.status != http.StatusOK || (st.op != "CreateTable" && st.op != "DeleteTable") {
		return nil
	}
	var in struct{ TableName string }
	if json.Unmarshal([]byte(st.body), &in) != nil || in.TableName == "" {
		return nil
	}
	desc := fmt.Sprintf(`{"TableName":%q}`, in.TableName)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		d, err := s.do(ctx, "DescribeTable", desc)
		if err != nil {
			return err
		}
		switch {
		case st.op == "DeleteTable" && d.typ == "ResourceNotFoundException":
			return nil
		case st.op == "CreateTable" && d.status == http.StatusOK && strings.Contains(string(d.raw), `"TableStatus":"ACTIVE"`):
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("table " + in.TableName + " did not settle after " + st.op)
}

// result is one step's answers from both servers and how they differ.
type result struct {
	group string
	step  step
	ours  *response
	peer  *response
	diffs []string
	where []string // paths where the JSON bodies differ
}

// maxShownBody is how much of a long request or response body is shown.
const maxShownBody = 700

func shorten(s string) string {
	if len(s) <= maxShownBody {
		return s
	}
	return s[:maxShownBody] + fmt.Sprintf("... (%d bytes in all)", len(s))
}

func printResult(r result) {
	label := "DIFF"
	switch {
	case len(r.diffs) == 0:
		label = "SAME"
	case r.step.setup:
		label = "DIFF (setup step)"
	case r.peer.typ == "UnknownOperationException":
		label = "DIFF (dynalite: operation not implemented)"
	}
	fmt.Printf("\n%s %s/%s\n", label, r.group, r.step.name)
	if len(r.diffs) > 0 {
		fmt.Printf("  differs in: %s\n", strings.Join(r.diffs, ", "))
	}
	fmt.Printf("  request:  %s %s\n", r.step.op, shorten(r.step.body))
	fmt.Printf("  ours:     %s\n", shorten(r.ours.summary()))
	fmt.Printf("  dynalite: %s\n", shorten(r.peer.summary()))
	for _, w := range r.where {
		fmt.Printf("    %s\n", w)
	}
}

func printJSON(rs []result, summary string) error {
	type side struct {
		Status  int     `json:"status"`
		Type    string  `json:"type,omitempty"`
		Message *string `json:"message,omitempty"`
		// MessageMember is "message" or "Message", as the server sent it.
		MessageMember string `json:"messageMember,omitempty"`
		Body          string `json:"body"`
	}
	type entry struct {
		Group   string   `json:"group"`
		Case    string   `json:"case"`
		Setup   bool     `json:"setup,omitempty"`
		Op      string   `json:"op"`
		Request string   `json:"request"`
		Differs []string `json:"differs,omitempty"`
		Where   []string `json:"where,omitempty"`
		Ours    side     `json:"ours"`
		Peer    side     `json:"dynalite"`
	}
	mk := func(r *response) side {
		sd := side{Status: r.status, Type: r.typ, MessageMember: r.msgKey, Body: shorten(string(r.raw))}
		if r.msgKey != "" {
			sd.Message = &r.msg
		}
		return sd
	}
	var es []entry
	for _, r := range rs {
		es = append(es, entry{Group: r.group, Case: r.step.name, Setup: r.step.setup, Op: r.step.op,
			Request: shorten(r.step.body), Differs: slices.Clone(r.diffs), Where: r.where, Ours: mk(r.ours), Peer: mk(r.peer)})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Summary string  `json:"summary"`
		Results []entry `json:"results"`
	}{summary, es})
}
