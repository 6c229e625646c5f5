package release

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readBothWays reads the release in dir in one piece, then in parts (2 to 8 of them,
// cut wherever the file's size puts them), and fails the test unless every way gives
// the same release, or the same problems and warnings. It returns the first read.
func readBothWays(t testing.TB, dir string, ref Reference) (*Release, error) {
	t.Helper()
	defer func(parts int, min int64) { readParts, partsMinBytes = parts, min }(readParts, partsMinBytes)
	partsMinBytes = 1 << 62
	want, wantErr := Read(dir, ref)
	partsMinBytes = 0
	for readParts = 2; readParts <= 8; readParts++ {
		got, err := Read(dir, ref)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(err, wantErr) {
			t.Fatalf("read in %d parts:\n got %v\n     %v\nwant %v\n     %v", readParts, summary(got), err, summary(want), wantErr)
		}
	}
	return want, wantErr
}

// summary is what a failure shows of a release: its rows, not its reference data.
func summary(rel *Release) string {
	if rel == nil {
		return "no release"
	}
	var b strings.Builder
	for _, d := range rel.Decisions {
		b.WriteString("\n  ")
		b.WriteString(strings.ReplaceAll(DecisionContent([]Decision{d}), "\x1f", ","))
	}
	for _, w := range rel.Warnings {
		b.WriteString("\n  warning " + w.String())
	}
	return b.String()
}

// shapeOf is the shape the checksum's pass finds of the decisions file in dir.
func shapeOf(t testing.TB, dir string) fileShape {
	t.Helper()
	_, shapes, err := checksum(dir, []string{decisionsFile})
	if err != nil {
		t.Fatal(err)
	}
	return shapes[decisionsFile]
}

func TestReadInParts(t *testing.T) {
	ref := testRef()
	for _, tc := range []struct {
		name   string
		mutate func(t testing.TB, dir string)
		bad    bool // the release has problems
	}{
		// A quoted exporter with a comma: two quotes on its line.
		{name: "the good release", mutate: func(testing.TB, string) {}},
		{name: "lines ending in CRLF, a byte order mark, no last newline", mutate: func(t testing.TB, dir string) {
			data := readDecisionsFile(t, dir)
			data = bytes.TrimSuffix(bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")), []byte("\r\n"))
			putFile(t, dir, decisionsFile, "\ufeff"+string(data))
		}},
		{name: "a control entry the reference lacks, on the first row and the last", mutate: func(t testing.TB, dir string) {
			header, rows, _ := strings.Cut(string(readDecisionsFile(t, dir)), "\n")
			unknown := "D-90%d,DE,2021-03-15,INDIVIDUAL,ISSUED,EG,COMMERCIAL,5A001.z,1000,EXP-9,,false\n"
			putFile(t, dir, decisionsFile, header+"\n"+fmt.Sprintf(unknown, 0)+rows+fmt.Sprintf(unknown, 1))
		}},
		{name: "the bad release, its bare quote doubled", bad: true, mutate: func(t testing.TB, dir string) {
			copyFixture(t, "testdata/bad", dir)
			replaceInFile(t, dir, decisionsFile, `D-1"29`, `D-1""29`)
		}},
		{name: "a bad row at every line, rows of one decision on every side of every cut", bad: true, mutate: func(t testing.TB, dir string) {
			var b strings.Builder
			b.WriteString(strings.Join(decisionHeader(), ",") + "\n")
			for i := range 60 {
				state := []string{"DE", "FR", "XX"}[i%3] // FR contradicts the decision's first row, XX is no state
				width := ""
				if i%5 == 0 {
					width = ",extra" // a row too wide
				}
				b.WriteString("D-1," + state + ",2021-03-15,INDIVIDUAL,ISSUED,EG,COMMERCIAL,5A001.f,1000,EXP-1,,false" + width + "\n")
				if i%7 == 0 {
					b.WriteString("D-2,DE,2021-03-15,INDIVIDUAL,ISSUED,EG,COMMERCIAL,5A001.f,\xff,EXP-1,,false\n") // not UTF-8
				}
			}
			putFile(t, dir, decisionsFile, b.String())
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyGood(t)
			tc.mutate(t, dir)
			if shape := shapeOf(t, dir); shape.multiline {
				t.Fatalf("the file has a line of an odd number of quotes: it would be read in one piece")
			}
			rel, err := readBothWays(t, dir, ref)
			if tc.bad != (err != nil) || (err == nil) != (rel != nil) {
				t.Fatalf("Read = %v, %v; want problems: %t", summary(rel), err, tc.bad)
			}
		})
	}
}

func TestFileShape(t *testing.T) {
	for _, tc := range []struct {
		name      string
		data      string
		lines     int
		multiline bool
	}{
		{"no quotes", "a,b\nc,d\n", 2, false},
		{"a quoted field with a comma", "a,\"b,c\"\nd,e\n", 2, false},
		{"an escaped quote", "a,\"b \"\"c\"\"\"\n", 1, false},
		{"a field over two lines", "a,\"b\nc\"\nd\n", 3, true},
		{"a bare quote", "a\"b,c\nd\n", 2, true},
		{"a bare quote on the last line, no newline", "a\nb\"", 1, false},
		{"a quote left open at the end of a line", "a,\"b\r\n", 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// In every chunking, as io.Copy may hand the bytes over.
			for size := 1; size <= len(tc.data); size++ {
				var s fileShape
				for i := 0; i < len(tc.data); i += size {
					_, _ = s.Write([]byte(tc.data[i:min(i+size, len(tc.data))]))
				}
				if s.lines != tc.lines || s.multiline != tc.multiline || s.size != int64(len(tc.data)) {
					t.Fatalf("chunks of %d: %d lines, multiline %t, %d bytes; want %d, %t, %d",
						size, s.lines, s.multiline, s.size, tc.lines, tc.multiline, len(tc.data))
				}
			}
		})
	}
}

func readDecisionsFile(t testing.TB, dir string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, decisionsFile))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// copyFixture copies the files of a fixture folder over those of dir.
func copyFixture(t testing.TB, from, dir string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "notes.txt" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		putFile(t, dir, e.Name(), string(data))
	}
}
