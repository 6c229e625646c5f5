// Package pgembed starts a private PostgreSQL server from the server binaries
// installed on the machine (initdb, pg_ctl, postgres), so that the portal and
// its test suites work without an operator-provided DATABASE_URL and without
// a system-wide cluster, a service manager or a container runtime.
//
// The cluster lives in a folder of the caller's choosing, listens on loopback
// and on a private Unix socket, trusts every local connection as superuser
// postgres, and is reused by the next start. When the process runs as root,
// which initdb refuses, the server runs as the postgres system user.
package pgembed

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Options configure Start.
type Options struct {
	DataDir string                           // folder for the cluster; created and initialised (initdb) when empty, reused otherwise
	Port    int                              // 0: a free loopback port
	Fast    bool                             // tests: fsync, synchronous_commit and full_page_writes off
	Logf    func(format string, args ...any) // progress lines; nil: silent

	// Exclusive holds the data folder for the Server's lifetime: another Exclusive
	// Start on it fails with an *InUseError naming this process, instead of adopting
	// its server. A server found running on a folder nobody holds was left behind by
	// a process that ended without stopping it: an Exclusive Start takes it over and
	// stops it in Stop.
	Exclusive bool
	Holder    string // Exclusive: how this process describes itself to the one refused, e.g. "portal demo"

	// Supervise restarts the server, on the same port, socket and data folder, when
	// it dies while the Server is not stopped; Health says when it gave up. Only a
	// server this Start owns (launched, or taken over with Exclusive) is supervised.
	Supervise bool
	Restarts  int // failed restarts in a row before the supervisor gives up; 0: 8
}

// Server is a running PostgreSQL server, started by Start or found running
// on the data folder by it.
type Server struct {
	dataDir string
	sockDir string // "" when the server has no Unix socket (adopted only)
	port    int
	binDir  string
	id      identity
	logf    func(format string, args ...any)
	owned   bool // false: another process started it, so Stop leaves it alone
	tmpSock bool // sockDir is ours to remove after the stop

	holdFile *os.File // Exclusive: the locked file, open while the Server lives

	supCancel context.CancelFunc // nil when not supervised
	supDone   chan struct{}

	mu       sync.Mutex
	stopped  bool
	failure  error // the supervisor gave up
	restarts int
}

// stopTimeout bounds Stop, which has no context: a fast shutdown that takes
// longer points at a stuck server that the caller cannot fix anyway.
const stopTimeout = 2 * time.Minute

// Start brings up the cluster in opts.DataDir: initdb when the folder holds
// no cluster yet, then pg_ctl start, or adoption of a server already running
// there. It returns once the server accepts connections.
func Start(ctx context.Context, opts Options) (*Server, error) {
	s, err := start(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("pgembed.Start(%s): %w", opts.DataDir, err)
	}
	return s, nil
}

func start(ctx context.Context, opts Options) (*Server, error) {
	if opts.DataDir == "" {
		return nil, errors.New("empty Options.DataDir: pick a folder, e.g. with ResolveDataDir")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	// Serialises starts on one folder, e.g. several test binaries of one
	// `go test ./...`, so that only one of them runs initdb and pg_ctl start.
	unlock, err := lockDir(ctx, s.dataDir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if opts.Exclusive {
		if err := s.hold(); err != nil {
			return nil, err
		}
	}
	if err := s.bringUp(ctx, opts); err != nil {
		s.releaseHold()
		return nil, err
	}
	if opts.Exclusive {
		err := s.hold() // after initdb made the cluster
		if err == nil {
			err = s.writeHolder(opts.Holder)
		}
		if err != nil {
			_ = s.Stop()
			return nil, err
		}
	}
	if opts.Supervise && s.owned {
		supCtx, cancel := context.WithCancel(context.Background())
		s.supCancel, s.supDone = cancel, make(chan struct{})
		go s.supervise(supCtx, opts)
	}
	return s, nil
}

func newServer(opts Options) (*Server, error) {
	dir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, err
	}
	binDir, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	id, err := serverIdentity()
	if err != nil {
		return nil, err
	}
	if err := ensureDir(dir, id); err != nil {
		return nil, err
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Server{dataDir: dir, binDir: binDir, id: id, logf: logf}, nil
}

func (s *Server) bringUp(ctx context.Context, opts Options) error {
	running, err := s.running(ctx)
	if err != nil {
		return err
	}
	if running {
		if err := s.adopt(ctx); err != nil {
			return err
		}
		// Holding the folder, nobody else can be using this server: it is an
		// orphan of a process that ended without stopping it.
		s.owned = opts.Exclusive
		return nil
	}
	if !initialised(s.dataDir) {
		if err := s.initdb(ctx, opts.Fast); err != nil {
			return err
		}
	}
	s.owned = true
	return s.launch(ctx, opts)
}

// URL is a pgx/libpq connection URL for database as superuser postgres over
// the Unix socket, which needs neither TLS nor a password.
func (s *Server) URL(database string) string {
	host := s.sockDir
	if host == "" {
		host = "127.0.0.1" // an adopted server started without a socket
	}
	// libpq and pgx decode only %XX in query values, not "+" for a space.
	escapedHost := strings.ReplaceAll(url.QueryEscape(host), "+", "%20")
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&port=%d&sslmode=disable",
		url.PathEscape(database), escapedHost, s.port)
}

// Port is the TCP port the server listens on at 127.0.0.1 (and the number in
// its socket's name).
func (s *Server) Port() int { return s.port }

// DataDir is the absolute path of the cluster folder.
func (s *Server) DataDir() string { return s.dataDir }

// Stop shuts down a server that Start launched (pg_ctl stop -m fast), after its
// supervisor, and releases the folder. A server that was already running is left
// running, since someone else owns it. Calling Stop again does nothing.
func (s *Server) Stop() error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	s.mu.Unlock()
	if s.supCancel != nil {
		s.supCancel()
		<-s.supDone
	}
	defer s.releaseHold() // after the server has stopped, so no one starts it meanwhile
	if !s.owned {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	var err error
	if running, rerr := s.running(ctx); s.supCancel == nil || rerr != nil || running {
		err = s.pgCtlStop(ctx, "fast") // a supervised server may be down for good already
	}
	if s.tmpSock {
		_ = os.RemoveAll(s.sockDir) // a leftover empty temp folder harms nothing
	}
	if err != nil {
		return fmt.Errorf("pgembed.Stop(%s): %w", s.dataDir, err)
	}
	s.logf("pgembed: stopped the PostgreSQL server of %s", s.dataDir)
	return nil
}
