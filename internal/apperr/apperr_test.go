package apperr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestCodeOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Code
	}{
		{name: "public error", err: Errorf(NotFound, "no entry %q", "9Z999"), want: NotFound},
		{name: "wrapped public error", err: fmt.Errorf("db.ControlEntry: %w", Errorf(Invalid, "bad")), want: Invalid},
		{name: "plain error is internal", err: errors.New("relation does not exist"), want: Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.want {
				t.Fatalf("CodeOf(%v) = %s, want %s", tt.err, got, tt.want)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	f := func(fail bool) (err error) {
		defer Wrap(&err, "f(%t)", fail)
		if fail {
			return Errorf(NotFound, "gone")
		}
		return nil
	}
	if err := f(false); err != nil {
		t.Fatalf("f(false) = %v, want nil", err)
	}
	err := f(true)
	if err == nil || err.Error() != "f(true): gone" || CodeOf(err) != NotFound {
		t.Fatalf("f(true) = %v (code %s), want \"f(true): gone\" with NOT_FOUND", err, CodeOf(err))
	}
}

func TestPublic(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode Code
		wantMsg  string
	}{
		{name: "wrapped public error shows only its own message", err: fmt.Errorf("db.X(42): %w", Errorf(NotFound, "no entry 42")), wantCode: NotFound, wantMsg: "no entry 42"},
		{name: "anything else gives nothing away", err: errors.New(`ERROR: relation "secret" does not exist`), wantCode: Internal, wantMsg: "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := Public(tt.err)
			if code != tt.wantCode || msg != tt.wantMsg {
				t.Fatalf("Public(%v) = %s, %q; want %s, %q", tt.err, code, msg, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "short", in: "EL", want: `"EL"`},
		{name: "a number", in: 42, want: `"42"`},
		{name: "long is cut", in: strings.Repeat("A", 500), want: `"` + strings.Repeat("A", 60) + `…"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Quote(tt.in); got != tt.want {
				t.Errorf("Quote = %s, want %s", got, tt.want)
			}
		})
	}
}
