package db

import (
	"bytes"
	"io"
	"testing"
	"time"
)

// The stream is the header, the tuples as next wrote them, and the trailer, whatever
// the size of the reads and of the chunks.
func TestCopyStreamFraming(t *testing.T) {
	for _, tuples := range []int{0, 1, 3, 2 * copyChunk / 1000} {
		n := 0
		tuple := bytes.Repeat([]byte{'x'}, 1000)
		s := newCopyStream(func(b []byte) ([]byte, bool) {
			if n == tuples {
				return b, false
			}
			n++
			return append(b, tuple...), true
		})
		got, err := io.ReadAll(io.LimitReader(s, 1<<30))
		s.close()
		if err != nil {
			t.Fatal(err)
		}
		want := append([]byte(copySignature), 0, 0, 0, 0, 0, 0, 0, 0)
		want = append(want, bytes.Repeat(tuple, tuples)...)
		want = append(want, 0xff, 0xff)
		if !bytes.Equal(got, want) {
			t.Errorf("%d tuples: %d bytes read, want %d in COPY's binary framing", tuples, len(got), len(want))
		}
	}
}

// A COPY that ends early (the database refused a row) stops the encoding goroutine:
// it does not encode the rest of the release, nor wait for ever on a reader that is gone.
func TestCopyStreamStopsEarly(t *testing.T) {
	s := newCopyStream(func(b []byte) ([]byte, bool) { return append(b, make([]byte, 100)...), true }) // endless
	if _, err := io.ReadFull(s, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	s.close()
	ended := make(chan struct{})
	go func() {
		for range s.chunks { // closed when the goroutine returns
		}
		close(ended)
	}()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the encoding goroutine still runs after close")
	}
}

// The binary fields, checked against the formats of PostgreSQL's send functions.
func TestCopyTupleFields(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	berlin := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		name  string
		write func(*copyTuple)
		want  []byte
	}{
		{"NULL", func(c *copyTuple) { c.null() }, []byte{0xff, 0xff, 0xff, 0xff}},
		{"text", func(c *copyTuple) { c.text("DE") }, []byte{0, 0, 0, 2, 'D', 'E'}},
		{"empty text", func(c *copyTuple) { c.text("") }, []byte{0, 0, 0, 0}},
		{"int16", func(c *copyTuple) { c.int16(-2) }, []byte{0, 0, 0, 2, 0xff, 0xfe}},
		{"int32", func(c *copyTuple) { c.int32(258) }, []byte{0, 0, 0, 4, 0, 0, 1, 2}},
		{"int64", func(c *copyTuple) { c.int64(1) }, []byte{0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1}},
		{"bool", func(c *copyTuple) { c.bool(true) }, []byte{0, 0, 0, 1, 1}},
		{"2000-01-01 is day 0", func(c *copyTuple) { c.date(day("2000-01-01")) }, []byte{0, 0, 0, 4, 0, 0, 0, 0}},
		{"a day before 2000", func(c *copyTuple) { c.date(day("1999-12-31")) }, []byte{0, 0, 0, 4, 0xff, 0xff, 0xff, 0xff}},
		{"the calendar day, not the instant", func(c *copyTuple) { c.date(time.Date(2000, 1, 2, 0, 30, 0, 0, berlin)) }, []byte{0, 0, 0, 4, 0, 0, 0, 1}},
		{"empty text[]", func(c *copyTuple) { c.textArray(nil) }, []byte{0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, textOID}},
		{"text[] of two", func(c *copyTuple) { c.textArray([]string{"A", "BC"}) }, []byte{
			0, 0, 0, 31, // length: 20 of header and dimension, 4+1, 4+2
			0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, textOID, // one dimension, no NULLs, text
			0, 0, 0, 2, 0, 0, 0, 1, // two elements from index 1
			0, 0, 0, 1, 'A', 0, 0, 0, 2, 'B', 'C'}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c copyTuple
			tc.write(&c)
			if !bytes.Equal(c, tc.want) {
				t.Errorf("got % x, want % x", []byte(c), tc.want)
			}
		})
	}
}
