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
	errSyntax        Error = "ERR syntax error"
	errWrongType     Error = "WRONGTYPE Operation against a key holding the wrong kind of value"
	errNotInteger    Error = "ERR value is not an integer or out of range"
	errNotFloat      Error = "ERR value is not a valid float"
	errOverflow      Error = "ERR increment or decrement would overflow"
	errNoAuth        Error = "NOAUTH Authentication required."
	errLoading       Error = "LOADING Redis is loading the dataset in memory"
	errNoSuchKey     Error = "ERR no such key"
	errDBIndex       Error = "ERR DB index is out of range"
	errInvalidDB     Error = "ERR invalid DB index"
	errNegativeCount Error = "ERR value is out of range, must be positive"
	errWrongPass     Error = "WRONGPASS invalid username-password pair or user is disabled."
	errNaNOrInf      Error = "ERR increment would produce NaN or Infinity"
	errOffsetRange   Error = "ERR offset is out of range"
	errStringTooLong Error = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	errSameObject    Error = "ERR source and destination objects are the same"
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
		return string(errNotInteger), true
	case errors.Is(err, keyspace.ErrOverflow):
		return string(errOverflow), true
	case errors.Is(err, longdouble.ErrNotFloat):
		return string(errNotFloat), true
	case errors.Is(err, longdouble.ErrNaNOrInf):
		return string(errNaNOrInf), true
	}
	return "ERR internal error", false
}

// wrongArgs is the arity error for a command (or "container|sub").
func wrongArgs(name string) Error {
	return Error("ERR wrong number of arguments for '" + name + "' command")
}
