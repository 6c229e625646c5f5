package pgembed

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strconv"
)

// BaseBackup copies the running server into dir (which must be empty or missing) as a
// streaming standby, with pg_basebackup -R: Start on dir then runs a read-only replica
// that follows this server. It serves the tests and the documentation of the portal's
// read-replica set-up, on one machine.
func (s *Server) BaseBackup(ctx context.Context, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := ensureDir(dir, s.id); err != nil {
		return fmt.Errorf("pgembed.BaseBackup(%s): %w", dir, err)
	}
	host := s.sockDir
	if host == "" {
		host = "127.0.0.1"
	}
	out, err := s.command(ctx, "pg_basebackup", "-D", dir, "-R", "-X", "stream", "--checkpoint=fast",
		"-h", host, "-p", strconv.Itoa(s.port), "-U", "postgres").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgembed.BaseBackup(%s): pg_basebackup: %w: %s", dir, ctxOr(ctx, err), bytes.TrimSpace(out))
	}
	return nil
}
