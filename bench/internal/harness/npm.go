package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// An NPMPackage is a Node.js program on npm, pinned to one version.
type NPMPackage struct {
	Name    string // name on npm, such as "dynalite"
	Version string // exact version to install
	Script  string // script to run with node, relative to the package's directory
	MinNode int    // lowest major version of Node.js it runs on; 0 for any
}

// Install installs p into dir with npm, unless that version is already
// there, and returns the path of p's script. It fails if node or npm is
// not on PATH, or if node is older than p.MinNode.
func (p NPMPackage) Install(ctx context.Context, dir string) (string, error) {
	need := "node"
	if p.MinNode > 0 {
		need = fmt.Sprintf("node (%d or later)", p.MinNode)
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Errorf("%s needs %s and npm on PATH", p.Name, need)
		}
	}
	if p.MinNode > 0 {
		out, err := exec.CommandContext(ctx, "node", "-p", "process.versions.node").Output()
		if err != nil {
			return "", fmt.Errorf("node -p process.versions.node: %w", err)
		}
		v := strings.TrimSpace(string(out))
		if nodeMajor(v) < p.MinNode {
			return "", fmt.Errorf("%s %s needs node %d or later, found %s", p.Name, p.Version, p.MinNode, v)
		}
	}
	pkg := filepath.Join(dir, "node_modules", p.Name)
	script := filepath.Join(pkg, p.Script)
	if installedVersion(pkg) == p.Version {
		return script, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	spec := p.Name + "@" + p.Version
	fmt.Printf("installing %s into %s (first run only) ...\n", spec, dir)
	ictx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ictx, "npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", spec)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm install %s: %w", spec, err)
	}
	if v := installedVersion(pkg); v != p.Version {
		return "", fmt.Errorf("npm installed %s %q, want %s", p.Name, v, p.Version)
	}
	return script, nil
}

// installedVersion returns the version in the package.json of the
// package installed in directory pkg, or "" if there is none.
func installedVersion(pkg string) string {
	b, err := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err != nil {
		return ""
	}
	var p struct{ Version string }
	if json.Unmarshal(b, &p) != nil {
		return ""
	}
	return p.Version
}

// nodeMajor returns the major version in a Node.js version such as
// "20.11.1", or -1 if v does not start with one.
func nodeMajor(v string) int {
	major, _, _ := strings.Cut(v, ".")
	n, err := strconv.Atoi(major)
	if err != nil {
		return -1
	}
	return n
}
