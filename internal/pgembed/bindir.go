package pgembed

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Seams for tests: where FindBinDir looks.
var (
	pathEnv = func() string { return os.Getenv("PATH") }
	libRoot = "/usr/lib/postgresql" // Debian/Ubuntu keep each major version in <root>/<version>/bin
)

const installHint = "no PostgreSQL server binaries (initdb, pg_ctl) on PATH or under /usr/lib/postgresql/*/bin: " +
	"install PostgreSQL (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) or set DATABASE_URL"

// FindBinDir returns the folder holding initdb, pg_ctl and postgres: the one
// initdb on PATH really lives in, else the newest /usr/lib/postgresql/*/bin.
func FindBinDir() (string, error) {
	if dir, ok := binDirOnPath(pathEnv()); ok {
		return dir, nil
	}
	if dir, ok := newestLibBinDir(libRoot); ok {
		return dir, nil
	}
	return "", errors.New(installHint)
}

// binDirOnPath resolves symlinks because pg_ctl finds postgres beside its own
// real path; a PATH entry that is a wrapper (Debian's pg_wrapper) has no
// pg_ctl beside it and is skipped.
func binDirOnPath(path string) (string, bool) {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue // the current folder is no place to trust for a server binary
		}
		real, err := filepath.EvalSymlinks(filepath.Join(dir, "initdb"))
		if err != nil {
			continue
		}
		if bin := filepath.Dir(real); hasServerBinaries(bin) {
			return bin, true
		}
	}
	return "", false
}

func newestLibBinDir(root string) (string, bool) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return "", false
	}
	best, bestVersion := "", []int(nil)
	for _, e := range entries {
		v, ok := parseVersion(e.Name())
		bin := filepath.Join(root, e.Name(), "bin")
		if !ok || !hasServerBinaries(bin) {
			continue
		}
		if best == "" || slices.Compare(v, bestVersion) > 0 {
			best, bestVersion = bin, v
		}
	}
	return best, best != ""
}

// parseVersion reads "15" or "9.6" as numbers, so that 10 sorts after 9.6.
func parseVersion(name string) ([]int, bool) {
	var v []int
	for _, part := range strings.Split(name, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, false
		}
		v = append(v, n)
	}
	return v, true
}

func hasServerBinaries(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if !isExecutable(filepath.Join(dir, name)) {
			return false
		}
	}
	return true
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
