package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dualuse-transparency/portal/internal/portalproc"
)

// portalCommand runs one command of the portal binary to completion, its log in work.
func portalCommand(ctx context.Context, binary, dbURL, work string, args ...string) error {
	return portalproc.Run(ctx, binary, work, portalproc.Env(dbURL, "PORTAL_PSEUDONYM_KEY="+attackKey), args...)
}

// releaseID reads the id of a release folder from its release.json.
func releaseID(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "release.json"))
	if err != nil {
		return "", err
	}
	var meta struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &meta); err != nil || meta.ID == "" {
		return "", fmt.Errorf("%s: no release id: %v", filepath.Join(dir, "release.json"), err)
	}
	return meta.ID, nil
}

// startServer starts `portal serve` on a free loopback port without the per-client
// rate limit (one client sends every query) and waits until /readyz answers 200.
func startServer(ctx context.Context, binary, dbURL, work string) (*portalproc.Server, error) {
	env := portalproc.Env(dbURL, "RATE_LIMIT_PER_SECOND=0", "LOG_LEVEL=warn")
	proc, err := portalproc.Start(ctx, binary, env, filepath.Join(work, "portal-serve.log"))
	if err != nil {
		return nil, err
	}
	logf("portal serve is ready at %s (pid %d)", proc.Base, proc.Pid())
	return proc, nil
}
