package logbuf

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the flushing goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestWhenLinesAreWritten(t *testing.T) {
	var out syncBuffer
	w := New(&out)
	logger := slog.New(Handler(slog.NewJSONHandler(w, nil), w)).With("requestId", "r1")

	logger.Info("request", "status", 200)
	if out.String() != "" {
		t.Fatalf("an info line was written at once: %q", out.String())
	}
	deadline := time.Now().Add(10 * Interval)
	for out.String() == "" && time.Now().Before(deadline) {
		time.Sleep(Interval / 4)
	}
	if !strings.Contains(out.String(), `"requestId":"r1","status":200`) {
		t.Fatalf("after %v: %q; want the info line", 10*Interval, out.String())
	}

	logger.Info("second")
	logger.Warn("held back?") // written at once, with the line before it
	got := out.String()
	if i, j := strings.Index(got, `"msg":"second"`), strings.Index(got, `"msg":"held back?"`); i < 0 || j < i {
		t.Fatalf("after a warning: %q; want both lines, in order", got)
	}

	logger.Info("last")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"msg":"last"`) {
		t.Fatalf("after Close: %q; want the last line", out.String())
	}
	logger.Error("after close")
	if !strings.Contains(out.String(), `"msg":"after close"`) {
		t.Fatalf("an error after Close was not written: %q", out.String())
	}
}

func TestConcurrentLinesStayWhole(t *testing.T) {
	var out syncBuffer
	w := New(&out)
	logger := slog.New(Handler(slog.NewJSONHandler(w, nil), w))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				logger.Info("request", "g", g, "i", i, "pad", strings.Repeat("x", 100))
			}
		})
	}
	wg.Wait()
	_ = w.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 16000 {
		t.Fatalf("%d lines, want 16000", len(lines))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "{") || !strings.HasSuffix(l, "}") {
			t.Fatalf("a broken line: %q", l)
		}
	}
}
