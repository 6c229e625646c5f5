package pgembed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"
)

// serverUserName is the account the server runs as under root; a seam for tests.
var serverUserName = "postgres"

// identity is the user the server processes run as.
type identity struct {
	name   string
	uid    uint32
	groups []uint32            // primary group first
	cred   *syscall.Credential // nil: run the commands as this process
}

// serverIdentity is this process, except under root: initdb and postgres
// refuse to run as root, so the server runs as the postgres system user.
func serverIdentity() (identity, error) {
	if os.Geteuid() != 0 {
		return selfIdentity()
	}
	u, err := user.Lookup(serverUserName)
	if err != nil {
		return identity{}, fmt.Errorf("running as root, and PostgreSQL refuses root, but there is no %q system user to run the server as (%v): create it (useradd --system %s) or run as a normal user",
			serverUserName, err, serverUserName)
	}
	return lookedUpIdentity(u)
}

func selfIdentity() (identity, error) {
	groups, err := os.Getgroups()
	if err != nil {
		return identity{}, err
	}
	id := identity{name: strconv.Itoa(os.Geteuid()), uid: uint32(os.Geteuid())}
	id.groups = append(id.groups, uint32(os.Getegid()))
	for _, g := range groups {
		id.groups = append(id.groups, uint32(g))
	}
	return id, nil
}

func lookedUpIdentity(u *user.User) (identity, error) {
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return identity{}, fmt.Errorf("user %s: %w", u.Username, err)
	}
	id := identity{name: u.Username, uid: uint32(uid), groups: []uint32{uint32(gid)}}
	gids, _ := u.GroupIds() // without supplementary groups the primary one still works
	for _, g := range gids {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil && uint32(n) != id.groups[0] {
			id.groups = append(id.groups, uint32(n))
		}
	}
	id.cred = &syscall.Credential{Uid: id.uid, Gid: id.groups[0], Groups: id.groups[1:]}
	return id, nil
}

// ResolveDataDir returns preferred (made absolute and created) when the user
// the server runs as can own it and reach it, else a folder under
// os.TempDir() named from a hash of preferred, so that the next start with
// the same preference finds the same cluster. Under root this matters for a
// checkout below /root, which the postgres user cannot enter.
func ResolveDataDir(preferred string) (string, error) {
	abs, err := filepath.Abs(preferred)
	if err != nil {
		return "", fmt.Errorf("pgembed.ResolveDataDir(%s): %w", preferred, err)
	}
	id, err := serverIdentity()
	if err != nil {
		return "", fmt.Errorf("pgembed.ResolveDataDir(%s): %w", preferred, err)
	}
	if ensureDir(abs, id) == nil {
		return abs, nil
	}
	sum := sha256.Sum256([]byte(abs))
	fallback := filepath.Join(os.TempDir(), "portal-pgdata-"+hex.EncodeToString(sum[:4]))
	if err := ensureDir(fallback, id); err != nil {
		return "", fmt.Errorf("pgembed.ResolveDataDir(%s): %w", preferred, err)
	}
	return fallback, nil
}

// ensureDir creates dir owned by id, with parents that id can traverse.
// Reachability is checked before creating anything, so that an unusable
// preference leaves no folder behind, and again after, since the umask may
// have made the new parents private.
func ensureDir(dir string, id identity) error {
	if err := checkTraversable(dir, id); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	if err := chownTo(dir, id); err != nil {
		return err
	}
	if err := checkTraversable(dir, id); err != nil {
		return err
	}
	return checkOwner(dir, id)
}

func chownTo(path string, id identity) error {
	if id.cred == nil {
		return nil
	}
	return os.Chown(path, int(id.uid), int(id.groups[0]))
}

// checkOwner matters because postgres refuses a data folder owned by anyone
// but itself.
func checkOwner(dir string, id identity) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != id.uid {
		return fmt.Errorf("%s is owned by uid %d, not by the server user %s", dir, st.Uid, id.name)
	}
	return nil
}

// checkTraversable checks every existing parent of dir for search permission
// by id from the mode bits (ACLs aside); missing parents will be created
// traversable.
func checkTraversable(dir string, id identity) error {
	real := resolveExisting(dir)
	for p := filepath.Dir(real); ; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil && !canSearch(fi, id) {
			return fmt.Errorf("user %s cannot reach %s: %s is not searchable by it", id.name, dir, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

func canSearch(fi os.FileInfo, id identity) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true // no owner to check against: let the server's own error speak
	}
	perm := fi.Mode().Perm()
	switch {
	case st.Uid == id.uid:
		return perm&0o100 != 0
	case slices.Contains(id.groups, st.Gid):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// resolveExisting follows symlinks in the part of path that exists, since the
// permissions that count are those along the real path (/tmp is a symlink on
// macOS).
func resolveExisting(path string) string {
	rest := ""
	for p := path; ; p = filepath.Dir(p) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		}
		if p == filepath.Dir(p) {
			return path
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// lockDir takes an exclusive flock on the data folder itself: initdb needs
// the folder empty, so no lock file can live inside, and its parent may not
// be writable.
func lockDir(ctx context.Context, dir string) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil // closing releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for another start on %s: %w", dir, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
