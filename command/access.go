package command

import (
	"crypto/sha256"
	"crypto/subtle"
)

// Users and front-end access rules that the REST API shares with RESP
// (UPSTASH-REST.md §3):
//
//   - the "default" user's passwords are requirepass and the REST standard
//     token (rest-token), either one;
//   - the "default_ro" user's password is the REST read-only token
//     (rest-readonly-token); its sessions are read-only.
//
// A read-only session may run only what ReadOnlyAllowed says, decided from
// the table's flags and ACL categories; everything else gets Redis's
// NOPERM text. The gate sits in the dispatcher (Do), so it holds for every
// route into it: TCP, each REST route, and commands that scripts run for a
// read-only session.

// ReadOnlyUser is the user of read-only sessions.
const ReadOnlyUser = "default_ro"

// ReadOnlyAllowed reports whether a read-only session may run spec:
//   - reads (@read) that are neither @dangerous (KEYS, SORT_RO, …) nor
//     whole-keyspace enumerations (@keyspace @read @slow over all shards:
//     SCAN, RANDOMKEY) — Upstash refuses "powerful" reads such as SCAN and KEYS;
//   - connection commands that only touch the session (@connection, not
//     @admin or @dangerous: PING, ECHO, CLIENT SETINFO, AUTH, HELLO …);
//   - the subscription commands (pubsub, noscript: SUBSCRIBE, PSUBSCRIBE and
//     their UNSUBSCRIBEs), which read messages and change no data;
//   - MULTI/EXEC/DISCARD/WATCH/UNWATCH (@transaction): each queued command
//     meets this gate itself, so a write inside aborts the transaction;
//   - read-only script commands (readonly and @scripting: EVAL_RO,
//     EVALSHA_RO, FCALL_RO), which Redis already forbids
//     to write; the commands a script runs must meet this gate too, with the
//     calling session's read-only flag.
//
// Writes, PUBLISH, EVAL/EVALSHA/FCALL, admin commands and anything unlisted
// are refused (Upstash refuses EVALSHA to the read-only token, §3), with
// one exception the dispatcher makes (readOnlyGate): EVAL/EVALSHA/FCALL of
// a script declared no-writes, which can never write, run ("scripts that
// only read", issue 6); the handler refuses any other script with the same
// NOPERM text (scriptcmd's prepare).
func ReadOnlyAllowed(spec *Spec) bool {
	f, a := spec.Flags, spec.ACL
	switch {
	case f&FlagWrite != 0 || f&FlagAdmin != 0 || a&(ACLDangerous|ACLAdmin|ACLWrite) != 0:
		return false
	case a&ACLRead != 0:
		enumerates := f&FlagAllShards != 0 && a&ACLKeyspace != 0 && a&ACLSlow != 0
		return !enumerates
	case a&ACLConnection != 0, a&ACLTransaction != 0:
		return true
	case f&FlagReadOnly != 0 && a&ACLScripting != 0:
		return true
	case f&FlagPubSub != 0 && f&FlagNoScript != 0:
		return true
	}
	return false
}

// NoPerm is Redis 7.0's ACL refusal for a command (subcommands spelled
// "container|sub", as Redis 7.0 does).
func NoPerm(spec *Spec) Error {
	return Error("NOPERM this user has no permissions to run the '" + spec.Name + "' command")
}

// SetReadOnly makes s a session of the read-only user (the REST read-only
// token) or gives it back to the default user.
func (s *Session) SetReadOnly(ro bool) {
	s.Mu.Lock()
	s.readOnly = ro
	s.aclUser = nil
	s.user = "default"
	if ro {
		s.user = ReadOnlyUser
	}
	s.Mu.Unlock()
}

// ReadOnly reports whether s belongs to the read-only user.
func (s *Session) ReadOnly() bool { return s.readOnly }

// readOnlyGate refuses what a read-only session may not run.
func (d *Dispatcher) readOnlyGate(s *Session, spec *Spec) (Error, bool) {
	if !s.readOnly || ReadOnlyAllowed(spec) || isScriptRun(spec) {
		return "", true
	}
	return NoPerm(spec), false
}

// isScriptRun reports whether spec runs a script (EVAL, EVALSHA, FCALL and
// their _RO forms): for a read-only session its handler decides, from the
// script's flags.
func isScriptRun(spec *Spec) bool {
	return spec.Flags&FlagScript != 0 && spec.ACL&ACLScripting != 0
}

// Resolve returns the row argv runs (a subcommand's row for a container),
// or nil when the dispatcher would refuse it as unknown or for its arity.
// Front ends use it for their own limits (REST key sizes, TCP-only rows);
// unlike the dispatcher's gate it counts nothing.
func (d *Dispatcher) Resolve(argv [][]byte) *Spec {
	if len(argv) == 0 {
		return nil
	}
	spec := d.table.lookupBytes(argv[0])
	if spec == nil {
		return nil
	}
	if len(spec.Subs) > 0 && len(argv) > 1 {
		if spec = spec.Sub(argv[1]); spec == nil {
			return nil
		}
	}
	if (spec.Arity > 0 && len(argv) != spec.Arity) || len(argv) < -spec.Arity || spec.Handler == nil {
		return nil
	}
	return spec
}

// RedisVersion is the Redis release whose behaviour Larder reproduces; HELLO
// and INFO report it so clients pick the right feature set.
const RedisVersion = "7.0.15"

// CheckPassword compares a secret with a candidate in constant time (both
// are hashed first, so the length does not leak either). Every password and
// token check goes through it.
func CheckPassword(want, got []byte) bool {
	a, b := sha256.Sum256(want), sha256.Sum256(got)
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
