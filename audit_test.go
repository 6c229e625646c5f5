package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/internal/testdb"
)

// auditDir holds the pinned graphql-http package and the script that runs its audits.
const auditDir = "test/graphql-http"

// allowedWarnings are the SHOULD audits of graphql-http that the portal knowingly does
// not meet, by audit id, each with the reason (the README's "GraphQL over HTTP" lists
// the same). Any other warning fails the test.
var allowedWarnings = map[string]string{}

// auditResult is one line of audit.mjs's output.
type auditResult struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"` // ok, notice (a MAY), warn (a SHOULD) or error (a MUST)
	Reason string `json:"reason"`
}

// The GraphQL endpoint of the real binary passes the graphql-http server audits of
// the GraphQL-over-HTTP specification: no MUST fails, and no SHOULD fails unless it
// is in allowedWarnings.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	node := auditTools(t)
	env := []string{"DATABASE_URL=" + testdb.NewURL(t)}
	if err, log := runPortal(t, "migrate", env...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, log)
	}
	p := startPortal(t, "serve", env...)
	results := runAudit(t, node, p.url("/graphql"))
	counts := map[string]int{}
	for _, r := range results {
		counts[r.Status]++
		switch {
		case r.Status == "error":
			t.Errorf("audit %s %q: %s", r.ID, r.Name, r.Reason)
		case r.Status == "warn" && allowedWarnings[r.ID] == "":
			t.Errorf("audit %s %q: %s (fix it, or add it to allowedWarnings and the README with the reason)", r.ID, r.Name, r.Reason)
		case r.Status != "ok":
			t.Logf("audit %s %s %q: %s", r.ID, r.Status, r.Name, r.Reason)
		}
	}
	t.Logf("graphql-http audits: %d ok, %d notice, %d warn, %d error", counts["ok"], counts["notice"], counts["warn"], counts["error"])
	for id := range allowedWarnings {
		if !hasWarning(results, id) {
			t.Errorf("audit %s is allowed to warn but did not: remove it from allowedWarnings and the README", id)
		}
	}
	p.stop(t)
}

// auditTools returns the node binary. It installs the pinned graphql-http package
// (npm ci) when it is missing or another version, so that `go test ./...` is the whole
// test command; it fails, never skips, when node or npm is missing.
func auditTools(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: install Node.js 20 or newer (Debian: apt-get install nodejs npm)")
	}
	if !auditInstalled(t) {
		out, err := exec.Command("npm", "ci", "--prefix", auditDir, "--no-audit", "--no-fund", "--loglevel=error").CombinedOutput()
		if err != nil || !auditInstalled(t) {
			t.Fatalf("npm ci --prefix %s: %v\n%s", auditDir, err, out)
		}
	}
	return node
}

// auditInstalled reports whether the graphql-http version package.json pins is installed.
func auditInstalled(t *testing.T) bool {
	var pinned, installed struct {
		Version      string
		Dependencies map[string]string
	}
	readJSON(t, filepath.Join(auditDir, "package.json"), &pinned)
	b, err := os.ReadFile(filepath.Join(auditDir, "node_modules", "graphql-http", "package.json"))
	return err == nil && json.Unmarshal(b, &installed) == nil && installed.Version == pinned.Dependencies["graphql-http"]
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// runAudit runs audit.mjs against url and parses its results.
func runAudit(t *testing.T, node, url string) []auditResult {
	t.Helper()
	cmd := exec.Command(node, filepath.Join(auditDir, "audit.mjs"), url)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("audit.mjs: %v\n%s", err, stderr.String())
	}
	var results []auditResult
	scanner := bufio.NewScanner(bytes.NewReader(out))
	for scanner.Scan() {
		var r auditResult
		if err := json.Unmarshal(scanner.Bytes(), &r); err != nil {
			t.Fatalf("audit.mjs printed %q: %v", scanner.Text(), err)
		}
		results = append(results, r)
	}
	if len(results) == 0 {
		t.Fatalf("audit.mjs printed no results; stderr:\n%s", strings.TrimSpace(stderr.String()))
	}
	return results
}

func hasWarning(results []auditResult, id string) bool {
	for _, r := range results {
		if r.ID == id && r.Status == "warn" {
			return true
		}
	}
	return false
}
