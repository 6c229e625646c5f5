package db

import (
	"context"
	"encoding/binary"
	"io"
	"math"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// COPY's binary format, written directly for the decisions: pgx's CopyFrom encodes
// each of a row's 29 values through its type map, which was the largest part of the
// import's own CPU (see BENCHMARKS.md). The format is PostgreSQL's ("COPY", section
// "Binary Format", https://www.postgresql.org/docs/15/sql-copy.html): an 11-byte
// signature, a flags field and a header extension length (both int32, 0); then each
// tuple as an int16 field count and, per field, an int32 length (-1 for NULL)
// followed by the value in its type's binary send format; then an int16 -1. Integers
// are big-endian throughout.

// copySignature opens a binary COPY stream.
const copySignature = "PGCOPY\n\xff\r\n\x00"

// textOID is the element type of a text[] value (pg_type.oid of text).
const textOID = 25

// postgresEpochDays is 2000-01-01, from which a binary date counts its days, in days
// since 1970-01-01.
const postgresEpochDays = 10957

// copyTuple appends the fields of tuples in the binary format.
type copyTuple []byte

func appendCopyHeader(b []byte) []byte {
	b = append(b, copySignature...)
	return binary.BigEndian.AppendUint64(b, 0) // flags, header extension length
}

func appendCopyTrailer(b []byte) []byte { return binary.BigEndian.AppendUint16(b, math.MaxUint16) }

func (t *copyTuple) start(fields int) { *t = binary.BigEndian.AppendUint16(*t, uint16(fields)) }

func (t *copyTuple) length(n int) { *t = binary.BigEndian.AppendUint32(*t, uint32(n)) }

func (t *copyTuple) null() { *t = binary.BigEndian.AppendUint32(*t, math.MaxUint32) }

// text writes a text, char(n) or bytea value: its bytes.
func (t *copyTuple) text(s string) {
	t.length(len(s))
	*t = append(*t, s...)
}

func (t *copyTuple) textOrNull(s *string) {
	if s == nil {
		t.null()
		return
	}
	t.text(*s)
}

func (t *copyTuple) bytes(b []byte) {
	t.length(len(b))
	*t = append(*t, b...)
}

func (t *copyTuple) int16(v int16) {
	t.length(2)
	*t = binary.BigEndian.AppendUint16(*t, uint16(v))
}

func (t *copyTuple) int32(v int32) {
	t.length(4)
	*t = binary.BigEndian.AppendUint32(*t, uint32(v))
}

func (t *copyTuple) int64(v int64) {
	t.length(8)
	*t = binary.BigEndian.AppendUint64(*t, uint64(v))
}

func (t *copyTuple) int64OrNull(v *int64) {
	if v == nil {
		t.null()
		return
	}
	t.int64(*v)
}

func (t *copyTuple) bool(v bool) {
	t.length(1)
	if v {
		*t = append(*t, 1)
	} else {
		*t = append(*t, 0)
	}
}

// date writes the calendar day of d, whatever its location, as days since 2000-01-01.
func (t *copyTuple) date(d time.Time) {
	y, m, day := d.Date()
	days := time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Unix()/86400 - postgresEpochDays
	t.int32(int32(days))
}

// textArray writes a one-dimensional text[] (array_send): the number of dimensions
// (0 for an empty array), a has-nulls flag, the element type, each dimension's size
// and lower bound, then each element as a field.
func (t *copyTuple) textArray(elems []string) {
	size := 12
	if len(elems) > 0 {
		size += 8
	}
	for _, e := range elems {
		size += 4 + len(e)
	}
	t.length(size)
	dims := uint32(0)
	if len(elems) > 0 {
		dims = 1
	}
	*t = binary.BigEndian.AppendUint32(*t, dims)
	*t = binary.BigEndian.AppendUint32(*t, 0) // no NULL elements
	*t = binary.BigEndian.AppendUint32(*t, textOID)
	if len(elems) > 0 {
		*t = binary.BigEndian.AppendUint32(*t, uint32(len(elems)))
		*t = binary.BigEndian.AppendUint32(*t, 1) // lower bound
	}
	for _, e := range elems {
		t.text(e)
	}
}

// copyChunk is how many bytes of tuples are handed to the connection at a time.
const copyChunk = 256 << 10

// copyStream is the io.Reader that PgConn.CopyFrom reads. A goroutine of its own
// encodes the tuples ahead, a few chunks at most, so that encoding overlaps with the
// connection's writes; stop ends it when the COPY ends early.
type copyStream struct {
	chunks chan []byte
	free   chan []byte
	stop   chan struct{}
	cur    []byte
	off    int
}

// newCopyStream starts encoding: next appends the next tuple to b and reports false
// when there is none.
func newCopyStream(next func(b []byte) ([]byte, bool)) *copyStream {
	s := &copyStream{chunks: make(chan []byte, 4), free: make(chan []byte, 6), stop: make(chan struct{})}
	go func() {
		defer close(s.chunks)
		b := appendCopyHeader(make([]byte, 0, copyChunk+4<<10))
		for more := true; more; {
			for more && len(b) < copyChunk {
				b, more = next(b)
			}
			if !more {
				b = appendCopyTrailer(b)
			}
			select {
			case s.chunks <- b:
			case <-s.stop:
				return
			}
			select {
			case b = <-s.free:
				b = b[:0]
			default:
				b = make([]byte, 0, copyChunk+4<<10)
			}
		}
	}()
	return s
}

func (s *copyStream) Read(p []byte) (int, error) {
	for s.off == len(s.cur) {
		if s.cur != nil {
			select {
			case s.free <- s.cur:
			default:
			}
		}
		chunk, ok := <-s.chunks
		if !ok {
			s.cur = nil
			return 0, io.EOF
		}
		s.cur, s.off = chunk, 0
	}
	n := copy(p, s.cur[s.off:])
	s.off += n
	return n, nil
}

// close ends the encoding goroutine, if the COPY ended before reading everything.
func (s *copyStream) close() { close(s.stop) }

// copyBinary runs sql, a COPY ... FROM STDIN in the binary format, with the tuples
// next writes.
func copyBinary(ctx context.Context, conn *pgconn.PgConn, sql string, next func(b []byte) ([]byte, bool)) (int64, error) {
	s := newCopyStream(next)
	defer s.close()
	tag, err := conn.CopyFrom(ctx, s, sql)
	return tag.RowsAffected(), err
}
