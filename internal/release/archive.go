package release

import (
	"archive/tar"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Open returns the release folder at path: path itself when it is a folder, or a
// temporary folder with the contents of a .tar.gz, removed by cleanup. The archive may
// hold the files at its root or in a single top-level folder. Since archives come from
// outside, entries that are absolute, climb out with "..", or are anything but regular
// files and folders (links above all) are refused rather than skipped. cleanup is never
// nil, so it can be deferred before err is checked.
func Open(path string) (dir string, cleanup func(), err error) {
	cleanup = func() {}
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return "", cleanup, fmt.Errorf("release.Open(%q): %w", path, err)
	case info.IsDir():
		return path, cleanup, nil
	case !strings.HasSuffix(path, ".tar.gz") && !strings.HasSuffix(path, ".tgz"):
		return "", cleanup, fmt.Errorf("release.Open(%q): not a folder or a .tar.gz", path)
	}
	tmp, err := os.MkdirTemp("", "release-")
	if err != nil {
		return "", cleanup, fmt.Errorf("release.Open(%q): %w", path, err)
	}
	if dir, err = extract(path, tmp); err != nil {
		_ = os.RemoveAll(tmp)
		if damaged(err) {
			return "", cleanup, fmt.Errorf("release.Open(%q): %s is not a whole .tar.gz (cut short or damaged): %w", path, filepath.Base(path), err)
		}
		return "", cleanup, fmt.Errorf("release.Open(%q): %w", path, err)
	}
	return dir, func() { _ = os.RemoveAll(tmp) }, nil
}

// damaged tells whether an error of gzip or tar says the archive's bytes are cut short
// (a download that stopped) or corrupt, which their own messages ("unexpected EOF")
// leave the operator to guess.
func damaged(err error) bool {
	var corrupt flate.CorruptInputError
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, gzip.ErrHeader) ||
		errors.Is(err, gzip.ErrChecksum) || errors.Is(err, tar.ErrHeader) || errors.As(err, &corrupt)
}

// extract unpacks the archive into dst and returns the release folder in it.
func extract(archive, dst string) (string, error) {
	f, err := os.Open(archive)
	if err != nil {
		return "", err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return "", err
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return releaseRoot(dst)
		}
		if err != nil {
			return "", err
		}
		if err := extractEntry(tr, hdr, dst); err != nil {
			return "", err
		}
	}
}

func extractEntry(tr *tar.Reader, hdr *tar.Header, dst string) error {
	if hdr.Typeflag == tar.TypeXGlobalHeader {
		return nil // archive metadata (git archive writes one), not a file
	}
	name, err := entryName(hdr.Name)
	if err != nil || name == "." {
		return err
	}
	target := filepath.Join(dst, filepath.FromSlash(name))
	switch hdr.Typeflag {
	case tar.TypeDir:
		return os.MkdirAll(target, 0o755)
	case tar.TypeReg:
		return writeFile(target, tr)
	}
	return fmt.Errorf("%s: only regular files and folders are allowed", hdr.Name)
}

// entryName returns the cleaned name of an archive entry, refusing names that would
// land outside the folder it is extracted to.
func entryName(name string) (string, error) {
	if path.IsAbs(name) || filepath.IsAbs(name) {
		return "", fmt.Errorf("%s: absolute path", name)
	}
	for part := range strings.SplitSeq(name, "/") {
		if part == ".." {
			return "", fmt.Errorf("%s: path with ..", name)
		}
	}
	clean := path.Clean(name)
	if clean != "." && !filepath.IsLocal(filepath.FromSlash(clean)) {
		return "", fmt.Errorf("%s: not a local path", name)
	}
	return clean, nil
}

// writeFile creates target, refusing to overwrite: an archive naming a file twice is
// ambiguous about which one is the release.
func writeFile(target string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	return errors.Join(err, f.Close())
}

// releaseRoot is dst, or its only entry when that is a folder: an archive of a
// release folder, as tar czf release.tar.gz demo/ makes.
func releaseRoot(dst string) (string, error) {
	entries, err := os.ReadDir(dst)
	if err != nil {
		return "", err
	}
	if len(entries) == 1 && entries[0].IsDir() {
		return filepath.Join(dst, entries[0].Name()), nil
	}
	return dst, nil
}
