// Package logbuf buffers a process's log lines, so that a busy server does not make a
// write system call for every request it logs.
//
// The request log is one line per request: at thousands of requests a second, writing
// each line as it is made cost the server about a tenth of its CPU on a cached answer.
// Lines are kept in a buffer and written when it fills, at most Interval after they were
// made, and at once for a record at Warn or above (so a warning or an error is never
// held back, and nothing is lost before a crash that it announces). Close writes what is
// left.
package logbuf

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Interval is the longest a line waits in the buffer.
const Interval = 100 * time.Millisecond

// size is the buffer: lines are written when it is full.
const size = 64 << 10

// Writer is a buffered writer safe for concurrent use, flushed every Interval.
type Writer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// New returns a Writer over w and starts its flushing.
func New(w io.Writer) *Writer {
	b := &Writer{w: bufio.NewWriterSize(w, size), stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushEvery(Interval)
	return b
}

func (b *Writer) flushEvery(d time.Duration) {
	defer close(b.done)
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			_ = b.Flush()
		}
	}
}

// Write keeps p in the buffer; a line longer than the buffer is written at once.
func (b *Writer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

// Flush writes what the buffer holds.
func (b *Writer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Flush()
}

// Close stops the flushing and writes what is left; the Writer still writes through
// afterwards, unbuffered in effect, since each later line is flushed by its handler.
func (b *Writer) Close() error {
	b.once.Do(func() {
		close(b.stop)
		<-b.done
	})
	return b.Flush()
}

// Handler wraps a handler that writes to w: a record at Warn or above is written at
// once, with every line before it.
func Handler(h slog.Handler, w *Writer) slog.Handler { return handler{Handler: h, w: w} }

// JSONHandler is slog's JSON handler over w with opts, wrapped as Handler wraps it.
// Without ReplaceAttr or AddSource, Log can write its plain lines itself (see Log).
func JSONHandler(w *Writer, opts *slog.HandlerOptions) slog.Handler {
	plain := opts == nil || (opts.ReplaceAttr == nil && !opts.AddSource)
	return handler{Handler: slog.NewJSONHandler(w, opts), w: w, plainJSON: plain}
}

type handler struct {
	slog.Handler
	w *Writer
	// plainJSON: the handler is JSONHandler's, without ReplaceAttr, AddSource,
	// attributes or groups, so a line of plain attributes can be written by appendPlain.
	plainJSON bool
}

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.w.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return handler{Handler: h.Handler.WithAttrs(attrs), w: h.w}
}

func (h handler) WithGroup(name string) slog.Handler {
	return handler{Handler: h.Handler.WithGroup(name), w: h.w}
}
