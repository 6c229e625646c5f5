package logbuf

import (
	"context"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"
)

// Log logs one record through h: at t, at level, with msg and attrs, if h is enabled
// for level. The server logs a line for every request, cached answers included, and
// slog's JSON handler took a third of the server's own work on a cached answer (its
// general machinery: every key and string escaped through a table, every float through
// encoding/json). So where h is JSONHandler's without attributes or groups, and msg,
// every key and every value are plain (see appendPlain), Log writes the line itself,
// byte for byte as the JSON handler writes it (TestLogAsSlogWrites); any other record
// goes through h.Handle.
func Log(ctx context.Context, h slog.Handler, t time.Time, level slog.Level, msg string, attrs ...slog.Attr) error {
	if !h.Enabled(ctx, level) {
		return nil
	}
	if fast, ok := h.(handler); ok && fast.plainJSON {
		b := lineBuffers.Get().(*[]byte)
		line, plain := appendPlain((*b)[:0], t, level, msg, attrs)
		var err error
		if plain {
			_, err = fast.w.Write(line)
			if level >= slog.LevelWarn {
				if ferr := fast.w.Flush(); err == nil {
					err = ferr
				}
			}
		}
		if cap(line) <= maxPooledLine {
			*b = line
			lineBuffers.Put(b)
		}
		if plain {
			return err
		}
	}
	r := slog.NewRecord(t, level, msg, 0)
	r.AddAttrs(attrs...)
	return h.Handle(ctx, r)
}

var lineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

const maxPooledLine = 4 << 10

// appendPlain appends the JSON line of a record the way slog's JSON handler writes it
// (no ReplaceAttr, no source, no groups), and reports whether the record is plain
// enough for that: a time with a four-digit year; a message, keys and string values of
// printable ASCII without quotes or backslashes (nothing the handler would escape);
// no empty key; values that are strings, integers, booleans or finite floats that
// encoding/json writes in decimal (0, or 1e-6 to 1e21 in magnitude).
func appendPlain(b []byte, t time.Time, level slog.Level, msg string, attrs []slog.Attr) ([]byte, bool) {
	if t.IsZero() || t.Year() < 0 || t.Year() >= 10000 || !plainString(msg) {
		return b, false
	}
	b = append(b, `{"time":"`...)
	b = t.Round(0).AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"`...)
	b = append(b, level.String()...)
	b = append(b, `","msg":"`...)
	b = append(b, msg...)
	b = append(b, '"')
	for _, a := range attrs {
		if a.Key == "" || !plainString(a.Key) {
			return b, false
		}
		b = append(b, ',', '"')
		b = append(b, a.Key...)
		b = append(b, '"', ':')
		v := a.Value
		switch v.Kind() {
		case slog.KindString:
			s := v.String()
			if !plainString(s) {
				return b, false
			}
			b = append(b, '"')
			b = append(b, s...)
			b = append(b, '"')
		case slog.KindInt64:
			b = strconv.AppendInt(b, v.Int64(), 10)
		case slog.KindUint64:
			b = strconv.AppendUint(b, v.Uint64(), 10)
		case slog.KindBool:
			b = strconv.AppendBool(b, v.Bool())
		case slog.KindFloat64:
			f := v.Float64()
			if abs := math.Abs(f); math.IsNaN(f) || (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
				return b, false // NaN and infinities are errors there; the rest is in exponent form
			}
			b = strconv.AppendFloat(b, f, 'f', -1, 64)
		default:
			return b, false
		}
	}
	return append(b, '}', '\n'), true
}

// plainString reports whether the JSON handler writes s as it is, between quotes.
func plainString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
