package release

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// checksum is the hex SHA-256 over the files, in the order given: for each, its name,
// a NUL, its length in decimal, a NUL, its bytes. The names and lengths are hashed
// too, so moving bytes from one file to the next changes the checksum. Since every
// byte passes by anyway, it also finds the shape of each file (fileShape).
func checksum(dir string, files []string) (string, map[string]fileShape, error) {
	h := sha256.New()
	shapes := make(map[string]fileShape, len(files))
	for _, name := range files {
		var s fileShape
		if err := hashFile(io.MultiWriter(h, &s), dir, name); err != nil {
			return "", nil, err
		}
		shapes[name] = s
	}
	return hex.EncodeToString(h.Sum(nil)), shapes, nil
}

// fileShape is what one pass over a file's bytes finds: its size, its lines, which
// bound its rows, and whether some line has an odd number of double quotes. Where none
// has, no CSV field spans lines (a quoted field closes on the line it opens: see
// readInParts), so the file can be read in parts cut at line ends.
type fileShape struct {
	size      int64
	lines     int
	multiline bool
	open      bool // an odd number of quotes since the last newline
}

func (s *fileShape) Write(p []byte) (int, error) {
	s.size += int64(len(p))
	s.lines += bytes.Count(p, []byte{'\n'})
	for rest := p; !s.multiline; {
		q := bytes.IndexByte(rest, '"')
		if q < 0 {
			q = len(rest)
		}
		if s.open && bytes.IndexByte(rest[:q], '\n') >= 0 {
			s.multiline = true
		}
		if q == len(rest) {
			break
		}
		s.open, rest = !s.open, rest[q+1:]
	}
	return len(p), nil
}

func hashFile(h io.Writer, dir, name string) error {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	_, _ = io.WriteString(h, name+"\x00"+strconv.FormatInt(info.Size(), 10)+"\x00")
	n, err := io.Copy(h, f)
	if err == nil && n != info.Size() {
		err = fmt.Errorf("%s changed while it was read", name)
	}
	return err
}

// Pseudonym is the keyed HMAC-SHA-256 of an exporter id: the only form in which an
// exporter is ever stored. Without the operator's key it cannot be reversed by
// hashing a list of known company ids, and the same exporter keeps the same pseudonym
// across releases, so distinct exporters can still be counted.
func Pseudonym(key []byte, exporterID string) []byte {
	m := hmac.New(sha256.New, key)
	_, _ = io.WriteString(m, exporterID)
	return m.Sum(nil)
}

// RecordKey is a decision's record key for disclosure control: a number in [0, 2^32)
// that looks uniform random to anyone without the operator's key. It is derived from
// the whole decision, all its lines (DecisionContent), by a keyed HMAC (under a
// subkey of its own, so it is unrelated to the pseudonyms) rather than drawn afresh at
// each import. A decision that a revised release leaves as it was keeps its key, so
// cells of unchanged decisions publish the same figures; a revised decision gets a
// fresh key, so comparing the two releases' noise cannot locate the revision.
func RecordKey(key []byte, content string) uint32 {
	return NewRecordKeys(key).Of(content)
}

// RecordKeys derives the record keys of many decisions under one operator key: the
// subkey is derived once and the HMAC's state reused (an import derives a million
// keys, and setting up two HMACs for each was a tenth of its Go side's time). Not safe
// for concurrent use.
type RecordKeys struct {
	m   hash.Hash
	sum [sha256.Size]byte
}

// NewRecordKeys prepares the derivation of record keys under key.
func NewRecordKeys(key []byte) *RecordKeys {
	sub := hmac.New(sha256.New, key)
	_, _ = io.WriteString(sub, "record key")
	return &RecordKeys{m: hmac.New(sha256.New, sub.Sum(nil))}
}

// Of is the record key of a decision's content (DecisionContent), as RecordKey.
func (r *RecordKeys) Of(content string) uint32 {
	r.m.Reset()
	_, _ = io.WriteString(r.m, content)
	return binary.BigEndian.Uint32(r.m.Sum(r.sum[:0]))
}

// DecisionContent is the canonical text of a decision, the lines of one decision in
// any order: what its record key is derived from.
func DecisionContent(lines []Decision) string {
	if len(lines) == 0 {
		return ""
	}
	d := lines[0]
	grounds := make([]string, len(d.DenialGrounds))
	for i, g := range d.DenialGrounds {
		grounds[i] = string(g)
	}
	slices.Sort(grounds)
	parts := []string{d.DecisionID, d.MemberState, day(d.Date), string(d.LicenceType), string(d.Outcome), d.Destination,
		string(d.EndUserType), d.ExporterID, strings.Join(grounds, ";"), string(d.CatchAll)}
	entries := make([]string, len(lines))
	for i, l := range lines {
		// As fmt's "%s=%t:%.2f", without its cost for a million decisions.
		entries[i] = l.ControlEntry + "=" + strconv.FormatBool(l.ValueKnown) + ":" + strconv.FormatFloat(l.ValueEUR, 'f', 2, 64)
	}
	slices.Sort(entries)
	return strings.Join(append(parts, entries...), "\x1f")
}
