package logbuf

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"testing"
	"time"
)

// logBoth logs the record with Log through a JSONHandler, and with slog's own JSON
// handler, and returns both lines.
func logBoth(t testing.TB, when time.Time, level slog.Level, msg string, attrs ...slog.Attr) (fast, slogs string) {
	t.Helper()
	var out bytes.Buffer
	w := New(&out)
	if err := Log(context.Background(), JSONHandler(w, nil), when, level, msg, attrs...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	r := slog.NewRecord(when, level, msg, 0)
	r.AddAttrs(attrs...)
	if err := slog.NewJSONHandler(&want, nil).Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return out.String(), want.String()
}

func TestLogAsSlogWrites(t *testing.T) {
	when := time.Date(2026, 11, 28, 22, 18, 38, 326110666, time.UTC)
	cases := []struct {
		name  string
		plain bool // written by appendPlain, not by slog
		when  time.Time
		level slog.Level
		msg   string
		attrs []slog.Attr
	}{
		{"a request line", true, when, slog.LevelInfo, "request", []slog.Attr{
			slog.String("requestId", "92d92731aefbc926"), slog.String("method", "POST"), slog.String("path", "/graphql"),
			slog.Int("status", 200), slog.Int("bytes", 318652), slog.Float64("ms", 0.24)}},
		{"no attributes", true, when, slog.LevelInfo, "ready", nil},
		{"a time with a zone and a monotonic reading", true, time.Now().In(time.FixedZone("CET", 3600)), slog.LevelInfo, "m", nil},
		{"other levels", true, when, slog.LevelError + 2, "x", []slog.Attr{slog.Bool("b", true), slog.Uint64("u", math.MaxUint64), slog.Int64("i", math.MinInt64)}},
		{"floats in decimal", true, when, slog.LevelInfo, "f", []slog.Attr{
			slog.Float64("zero", 0), slog.Float64("negative zero", math.Copysign(0, -1)), slog.Float64("small", 1e-6),
			slog.Float64("large", 9.99e20), slog.Float64("third", 1.0/3), slog.Float64("negative", -12.5)}},
		{"a float in exponent form", false, when, slog.LevelInfo, "f", []slog.Attr{slog.Float64("tiny", 1e-7)}},
		{"a large float", false, when, slog.LevelInfo, "f", []slog.Attr{slog.Float64("huge", 1e21)}},
		{"an infinite float", false, when, slog.LevelInfo, "f", []slog.Attr{slog.Float64("inf", math.Inf(1))}},
		{"NaN", false, when, slog.LevelInfo, "f", []slog.Attr{slog.Float64("nan", math.NaN())}},
		{"a quote in a value", false, when, slog.LevelInfo, "request", []slog.Attr{slog.String("path", `/a"b`)}},
		{"a backslash in a key", false, when, slog.LevelInfo, "request", []slog.Attr{slog.String(`a\b`, "x")}},
		{"a control character in the message", false, when, slog.LevelInfo, "line\nbreak", nil},
		{"non-ASCII", false, when, slog.LevelInfo, "request", []slog.Attr{slog.String("path", "/dé")}},
		{"HTML characters", true, when, slog.LevelInfo, "<a & b>", []slog.Attr{slog.String("p", "<script>")}},
		{"an empty key", false, when, slog.LevelInfo, "m", []slog.Attr{slog.String("", "v")}},
		{"an empty attribute", false, when, slog.LevelInfo, "m", []slog.Attr{{}}},
		{"a duration", false, when, slog.LevelInfo, "m", []slog.Attr{slog.Duration("d", time.Second)}},
		{"a group", false, when, slog.LevelInfo, "m", []slog.Attr{slog.Group("g", slog.Int("a", 1))}},
		{"no time", false, time.Time{}, slog.LevelInfo, "m", nil},
		{"a year past 9999", false, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), slog.LevelInfo, "m", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fast, want := logBoth(t, tc.when, tc.level, tc.msg, tc.attrs...)
			if fast != want {
				t.Errorf("Log wrote\n%q\nslog writes\n%q", fast, want)
			}
			if _, plain := appendPlain(nil, tc.when, tc.level, tc.msg, tc.attrs); plain != tc.plain {
				t.Errorf("written by appendPlain: %t, want %t", plain, tc.plain)
			}
		})
	}
}

// Where the handler is not JSONHandler's plain one, Log is slog's Handle: attributes
// added with With and groups are kept, a disabled level writes nothing, ReplaceAttr is
// applied.
func TestLogThroughOtherHandlers(t *testing.T) {
	when := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	w := New(&out)
	replace := &slog.HandlerOptions{Level: slog.LevelWarn, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == "secret" {
			a.Value = slog.StringValue("hidden")
		}
		return a
	}}
	ctx := context.Background()
	for _, h := range []slog.Handler{
		JSONHandler(w, nil).WithAttrs([]slog.Attr{slog.String("release", "r1")}),
		JSONHandler(w, nil).WithGroup("g"),
		JSONHandler(w, replace),
	} {
		if err := Log(ctx, h, when, slog.LevelWarn, "m", slog.String("secret", "s")); err != nil {
			t.Fatal(err)
		}
	}
	if err := Log(ctx, JSONHandler(w, replace), when, slog.LevelInfo, "below the level"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := `{"time":"2026-11-28T00:00:00Z","level":"WARN","msg":"m","release":"r1","secret":"s"}
{"time":"2026-11-28T00:00:00Z","level":"WARN","msg":"m","g":{"secret":"s"}}
{"time":"2026-11-28T00:00:00Z","level":"WARN","msg":"m","secret":"hidden"}
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func FuzzLogAsSlogWrites(f *testing.F) {
	f.Add("request", "path", "/graphql", int64(200), 0.24, int64(1764368318326110666))
	f.Add("m\x7f", "k\"", "é", int64(-1), 1e-7, int64(0))
	f.Fuzz(func(t *testing.T, msg, key, value string, n int64, x float64, nanos int64) {
		when := time.Unix(0, nanos).UTC()
		fast, want := logBoth(t, when, slog.LevelInfo, msg, slog.String(key, value), slog.Int64("n", n), slog.Float64("x", x))
		if fast != want {
			t.Errorf("Log wrote\n%q\nslog writes\n%q", fast, want)
		}
	})
}
