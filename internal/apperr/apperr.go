// Package apperr defines the few kinds of error the portal tells its users apart:
// invalid input, not found, a limit hit, the database unavailable, and everything else
// (internal). The data layer returns them; the API turns them into public codes in one
// place, so a message meant for users never mixes with one meant for operators.
package apperr

import (
	"errors"
	"fmt"
)

// Code is the machine-readable kind of an error, as clients see it in `extensions.code`.
type Code string

// The error codes of the public API.
const (
	Invalid     Code = "INVALID_INPUT"
	NotFound    Code = "NOT_FOUND"
	Limit       Code = "LIMIT_EXCEEDED"
	Unavailable Code = "UNAVAILABLE"
	Internal    Code = "INTERNAL"
)

// Error is an error whose message is safe to show to any user.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error of the code with a formatted public message.
func Errorf(code Code, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return Internal
}

// Wrap adds the function and its arguments to *errp, keeping the chain (%w).
// Deferred at the top of a function, it wraps every error the function returns once.
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}

// Public returns the code and the message a client may see for err: those of the first
// *Error in its chain, or Internal with a message that gives nothing away.
func Public(err error) (Code, string) {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code, e.Message
	}
	return Internal, "internal error"
}

// maxQuoted is how much of a user's input an error message repeats.
const maxQuoted = 60

// Quote quotes a value a user sent, cut short when long, so an error message stays
// small whatever was sent.
func Quote(v any) string {
	s := fmt.Sprint(v)
	if r := []rune(s); len(r) > maxQuoted {
		s = string(r[:maxQuoted]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
