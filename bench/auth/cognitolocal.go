package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/faasport/faasport/bench/internal/harness"
)

// cognitoLocalVersion is the cognito-local the benchmark installs: the
// newest on npm when this was written (`npm view cognito-local version`).
const cognitoLocalVersion = "5.3.0"

// cognitoLocalPackage is cognito-local on npm, with its start script.
var cognitoLocalPackage = harness.NPMPackage{
	Name:    "cognito-local",
	Version: cognitoLocalVersion,
	Script:  filepath.Join("lib", "bin", "start.js"),
}

// confirmationCode is the code cognito-local gives every user: it uses
// the CODE environment variable, when set, instead of a random code, so
// that the benchmark can call ConfirmSignUp without reading its console.
const confirmationCode = "424242"

// startCognitoLocal runs cognito-local's start script on a free port of
// 127.0.0.1 with workDir as its working directory, where it keeps its
// configuration (.cognito/config.json, written here) and its pools
// (.cognito/db/*.json), and waits until it answers. Callers must call
// Close.
func startCognitoLocal(ctx context.Context, script, workDir string) (*harness.Process, error) {
	// Usernames are plain names, as in faasport's pool: cognito-local's
	// default makes pools take email addresses as usernames.
	cfg := `{"UserPoolDefaults": {"UsernameAttributes": []}}`
	if err := os.MkdirAll(filepath.Join(workDir, ".cognito"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(workDir, ".cognito", "config.json"), []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	port, err := harness.FreePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", script)
	cmd.Dir = workDir
	// cognito-local reads its address from PORT and HOST (lib/server/config.js).
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "HOST=127.0.0.1", "CODE="+confirmationCode)
	c, err := harness.Start("cognito-local", cmd, harness.Options{StopWait: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	c.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := c.WaitReady(ctx, "answering at "+c.URL, healthy(c.URL+"/health"), 100*time.Millisecond, 30*time.Second); err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return c, nil
}

// healthy returns a check that url answers a GET with 200 OK within a
// second.
func healthy(url string) func(context.Context) bool {
	return func(ctx context.Context) bool {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
}
