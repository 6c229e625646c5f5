package release

import (
	"archive/tar"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type tarEntry struct {
	name     string
	typeflag byte
	body     string
	link     string
}

// makeTarGz writes a .tar.gz of entries in a temporary folder and returns its path.
func makeTarGz(t *testing.T, entries []tarEntry) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "release.tar.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typeflag, Linkname: e.link, Mode: 0o644, Size: int64(len(e.body))}
		if e.typeflag != tar.TypeReg {
			hdr.Size = 0
		}
		if e.typeflag == tar.TypeXGlobalHeader { // as git archive writes it
			hdr = &tar.Header{Name: e.name, Typeflag: e.typeflag, PAXRecords: map[string]string{"comment": "abc123"}}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)[:hdr.Size]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// goodEntries are the files of the good fixture, under prefix.
func goodEntries(t *testing.T, prefix string) []tarEntry {
	t.Helper()
	var entries []tarEntry
	if prefix != "" {
		entries = append(entries, tarEntry{name: prefix, typeflag: tar.TypeDir})
	}
	names, _ := filepath.Glob("testdata/good/*")
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, tarEntry{name: prefix + filepath.Base(name), typeflag: tar.TypeReg, body: string(data)})
	}
	return entries
}

func TestOpenArchive(t *testing.T) {
	folder, err := Read("testdata/good", testRef())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		entries []tarEntry
		wantErr string
	}{
		{name: "one top-level folder", entries: goodEntries(t, "test-2015-2024/")},
		{name: "files at the root", entries: goodEntries(t, "")},
		{name: "files under ./", entries: goodEntries(t, "./")},
		{name: "pax global header", entries: append([]tarEntry{{name: "pax_global_header", typeflag: tar.TypeXGlobalHeader}}, goodEntries(t, "r/")...)},
		{name: "climbs out", entries: append(goodEntries(t, ""), tarEntry{name: "../evil", typeflag: tar.TypeReg, body: "x"}), wantErr: "../evil: path with .."},
		{name: "climbs out inside", entries: []tarEntry{{name: "r/../../evil", typeflag: tar.TypeReg, body: "x"}}, wantErr: "path with .."},
		{name: "absolute", entries: []tarEntry{{name: "/tmp/evil", typeflag: tar.TypeReg, body: "x"}}, wantErr: "absolute path"},
		{name: "symbolic link", entries: []tarEntry{{name: "release.json", typeflag: tar.TypeSymlink, link: "/etc/passwd"}}, wantErr: "only regular files and folders"},
		{name: "hard link", entries: []tarEntry{{name: "release.json", typeflag: tar.TypeLink, link: "x"}}, wantErr: "only regular files and folders"},
		{name: "same file twice", entries: append(goodEntries(t, ""), tarEntry{name: "release.json", typeflag: tar.TypeReg, body: "{}"}), wantErr: "exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, cleanup, err := Open(makeTarGz(t, tt.entries))
			defer cleanup()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Open error = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			rel, err := Read(dir, testRef())
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if rel.Checksum != folder.Checksum {
				t.Errorf("checksum from the archive %s, from the folder %s", rel.Checksum, folder.Checksum)
			}
			cleanup()
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("cleanup left %s: %v", dir, err)
			}
		})
	}
}

func TestOpenOther(t *testing.T) {
	zip := filepath.Join(t.TempDir(), "release.zip")
	putFile(t, filepath.Dir(zip), "release.zip", "PK")
	tests := []struct {
		name    string
		path    string
		wantDir string
		wantErr bool
	}{
		{name: "folder as is", path: "testdata/good", wantDir: "testdata/good"},
		{name: "not an archive", path: zip, wantErr: true},
		{name: "missing", path: filepath.Join(t.TempDir(), "none.tar.gz"), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, cleanup, err := Open(tt.path)
			cleanup()
			if (err != nil) != tt.wantErr || dir != tt.wantDir {
				t.Fatalf("Open = %q, %v; want %q, error %v", dir, err, tt.wantDir, tt.wantErr)
			}
		})
	}
}

// An archive cut short (a download that stopped) or damaged is refused with a message
// that says so, not with gzip's or tar's own ("unexpected EOF").
func TestOpenBrokenArchive(t *testing.T) {
	whole, err := os.ReadFile(makeTarGz(t, goodEntries(t, "r/")))
	if err != nil {
		t.Fatal(err)
	}
	damaged := slices.Clone(whole)
	damaged[len(damaged)/2] ^= 0xff
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"cut short.tar.gz":         whole[:len(whole)/2],
		"cut in its header.tar.gz": whole[:5],
		"damaged.tar.gz":           damaged,
		"not gzip at all.tar.gz":   []byte("release.json\n"),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, cleanup, err := Open(path)
			cleanup()
			if err == nil || !strings.Contains(err.Error(), "is not a whole .tar.gz (cut short or damaged)") || !strings.Contains(err.Error(), name) {
				t.Fatalf("Open error = %v, want one naming the file and saying it is not a whole .tar.gz", err)
			}
		})
	}
}
