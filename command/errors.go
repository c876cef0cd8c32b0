package command

import (
	"errors"

	"github.com/larder-db/larder/internal/longdouble"
	"github.com/larder-db/larder/keyspace"
)

// Error is a Redis error reply text, exactly as Redis 7.0 sends it (without
// the leading '-'). Handlers return one having written nothing.
type Error string

func (e Error) Error() string { return string(e) }

// The error catalog: Redis 7.0's texts, byte for byte.
const (
	ErrSyntax        Error = "ERR syntax error"
	errWrongType     Error = "WRONGTYPE Operation against a key holding the wrong kind of value"
	ErrNotInteger    Error = "ERR value is not an integer or out of range"
	ErrNotFloat      Error = "ERR value is not a valid float"
	ErrOverflow      Error = "ERR increment or decrement would overflow"
	errNoAuth        Error = "NOAUTH Authentication required."
	errLoading       Error = "LOADING Redis is loading the dataset in memory"
	errNoMulti       Error = "ERR Command not allowed inside a transaction"
	ErrNoSuchKey     Error = "ERR no such key"
	ErrDBIndex       Error = "ERR DB index is out of range"
	errInvalidDB     Error = "ERR invalid DB index"
	errNegativeCount Error = "ERR value is out of range, must be positive"
	ErrWrongPass     Error = "WRONGPASS invalid username-password pair or user is disabled."
	ErrNaNOrInf      Error = "ERR increment would produce NaN or Infinity"
	ErrOffsetRange   Error = "ERR offset is out of range"
	ErrStringTooLong Error = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	ErrSameObject    Error = "ERR source and destination objects are the same"
)

// replyError maps an error returned by a handler to the text the client
// gets. It is the only place where engine's domain errors meet Redis's
// texts. Errors that are neither are internal: the caller logs them.
func replyError(err error) (string, bool) {
	var e Error
	switch {
	case errors.As(err, &e):
		return string(e), true
	case errors.Is(err, keyspace.ErrWrongType):
		return string(errWrongType), true
	case errors.Is(err, keyspace.ErrNotInteger):
		return string(ErrNotInteger), true
	case errors.Is(err, keyspace.ErrOverflow):
		return string(ErrOverflow), true
	case errors.Is(err, longdouble.ErrNotFloat):
		return string(ErrNotFloat), true
	case errors.Is(err, longdouble.ErrNaNOrInf):
		return string(ErrNaNOrInf), true
	}
	return "ERR internal error", false
}

// WrongArgs is the arity error for a command (or "container|sub").
func WrongArgs(name string) Error {
	return Error("ERR wrong number of arguments for '" + name + "' command")
}

func InvalidExpire(cmd string) Error {
	return Error("ERR invalid expire time in '" + cmd + "' command")
}

// Rejected is a refusal a handler makes for a gate Redis applies before the
// command runs (EVAL of a script whose flags deny OOM, judged by Redis's
// processCommand from the script's flags): the dispatcher counts it as a
// rejected call, as its own gates' refusals, not as a failed one.
type Rejected Error

func (r Rejected) Error() string { return string(r) }
