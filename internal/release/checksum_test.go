package release

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChecksumFormat(t *testing.T) {
	rel, err := Read("testdata/good", testRef())
	if err != nil {
		t.Fatal(err)
	}
	// The format is spelled out here once more, so a change to it fails a test:
	// other tools recompute the checksum to check a release.
	h := sha256.New()
	for _, name := range rel.Files {
		data, err := os.ReadFile(filepath.Join("testdata/good", name))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00%s", name, len(data), data)
	}
	if want := hex.EncodeToString(h.Sum(nil)); rel.Checksum != want {
		t.Fatalf("Checksum = %s, want %s", rel.Checksum, want)
	}
}

func TestChecksumChanges(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		change func(string) string
	}{
		{name: "one byte of a figure", file: figuresFile, change: func(s string) string { return strings.Replace(s, ",831,", ",832,", 1) }},
		{name: "one byte of a decision", file: decisionsFile, change: func(s string) string { return strings.Replace(s, "1250000.50", "1250000.51", 1) }},
		{name: "an optional file", file: notificationsFile, change: func(s string) string { return s + "\n" }},
	}
	base, err := Read("testdata/good", testRef())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyGood(t)
			data, _ := os.ReadFile(filepath.Join(dir, tt.file))
			putFile(t, dir, tt.file, tt.change(string(data)))
			rel, err := Read(dir, testRef())
			if err != nil {
				t.Fatal(err)
			}
			if rel.Checksum == base.Checksum {
				t.Fatal("checksum did not change")
			}
		})
	}
}

func TestPseudonym(t *testing.T) {
	a := Pseudonym([]byte("key one"), "EXP-1")
	tests := []struct {
		name string
		got  []byte
		same bool
	}{
		{name: "deterministic", got: Pseudonym([]byte("key one"), "EXP-1"), same: true},
		{name: "depends on the key", got: Pseudonym([]byte("key two"), "EXP-1")},
		{name: "depends on the exporter", got: Pseudonym([]byte("key one"), "EXP-2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.got) != 32 {
				t.Fatalf("len = %d, want 32", len(tt.got))
			}
			if bytes.Equal(tt.got, a) != tt.same {
				t.Fatalf("Pseudonym = %x, base %x, want same %v", tt.got, a, tt.same)
			}
		})
	}
	// RFC 4231, test case 2: the pseudonym is plain HMAC-SHA-256.
	want := "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got := hex.EncodeToString(Pseudonym([]byte("Jefe"), "what do ya want for nothing?")); got != want {
		t.Fatalf("Pseudonym(RFC 4231 case 2) = %s, want %s", got, want)
	}
}

func TestRecordKey(t *testing.T) {
	key := []byte("operator key")
	tests := []struct {
		name string
		a, b func() uint32
		same bool
	}{
		{name: "stable for a decision", a: func() uint32 { return RecordKey(key, "D-1") }, b: func() uint32 { return RecordKey(key, "D-1") }, same: true},
		{name: "the same decision, its lines in another order", same: true,
			a: func() uint32 {
				return RecordKey(key, DecisionContent([]Decision{line("5A002", 10), line("5D002", 20)}))
			},
			b: func() uint32 {
				return RecordKey(key, DecisionContent([]Decision{line("5D002", 20), line("5A002", 10)}))
			}},
		{name: "a revised value: a fresh key",
			a: func() uint32 {
				return RecordKey(key, DecisionContent([]Decision{line("5A002", 10), line("5D002", 20)}))
			},
			b: func() uint32 {
				return RecordKey(key, DecisionContent([]Decision{line("5A002", 10), line("5D002", 22)}))
			}},
		{name: "a revised destination: a fresh key",
			a: func() uint32 { return RecordKey(key, DecisionContent([]Decision{line("5A002", 10)})) },
			b: func() uint32 {
				d := line("5A002", 10)
				d.Destination = "AE"
				return RecordKey(key, DecisionContent([]Decision{d}))
			}},
		{name: "differs between decisions", a: func() uint32 { return RecordKey(key, "D-1") }, b: func() uint32 { return RecordKey(key, "D-2") }},
		{name: "depends on the key", a: func() uint32 { return RecordKey(key, "D-1") }, b: func() uint32 { return RecordKey([]byte("other"), "D-1") }},
		{name: "unrelated to the pseudonym", a: func() uint32 { return RecordKey(key, "D-1") },
			b: func() uint32 { return binary.BigEndian.Uint32(Pseudonym(key, "D-1")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (tt.a() == tt.b()) != tt.same {
				t.Errorf("keys %d and %d: same = %t, want %t", tt.a(), tt.b(), tt.a() == tt.b(), tt.same)
			}
		})
	}
	// Uniform enough: the mean of many keys is near 2^31.
	var sum float64
	for i := range 20000 {
		sum += float64(RecordKey(key, fmt.Sprintf("D-%d", i)))
	}
	if mean := sum / 20000 / (1 << 32); mean < 0.49 || mean > 0.51 {
		t.Errorf("mean key %.4f of 2^32, want about 0.5", mean)
	}
}

// line is a line of a decision D-1 on entry, with a value.
func line(entry string, value float64) Decision {
	return Decision{DecisionID: "D-1", MemberState: "DE", Date: date("2022-03-01"), LicenceType: "INDIVIDUAL", Outcome: "ISSUED",
		Destination: "EG", EndUserType: "COMMERCIAL", ControlEntry: entry, ValueEUR: value, ValueKnown: true, ExporterID: "E", CatchAll: "NONE"}
}
