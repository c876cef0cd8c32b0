package acl

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
)

// Error is a refusal with Redis's text (without the "ERR " prefix).
type Error string

func (e Error) Error() string { return string(e) }

func errorf(format string, args ...any) error { return Error(fmt.Sprintf(format, args...)) }

// The reasons ACL SETUSER gives for a rule it refuses (ACLSetUserStringError).
var (
	errUnknownName      = Error("Unknown command or category name in ACL")
	errSyntax           = Error("Syntax error")
	errAfterAllKeys     = Error("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns")
	errAfterAllChannels = Error("Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels")
	errNoSuchPass       = Error("The password you are trying to remove from the user does not exist")
	errBadHash          = Error("The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters")
	errSubFirstArg      = Error("Allowing first-arg of a subcommand is not supported")
)

// Sanitize is a user's sanitize-payload flag: neither (a new user),
// sanitize-payload or skip-sanitize-payload.
type sanitize uint8

const (
	sanitizeUnset sanitize = iota
	sanitizeOn
	sanitizeSkip
)

// state is a user's definition. It is never changed once published: a
// change builds a new state and swaps it in (User.state), so a check reads
// one consistent definition without a lock.
type state struct {
	on        bool // "on"; a new user is "off"
	nopass    bool
	sanitize  sanitize
	passwords []string // SHA-256 hex
	selectors []*Selector
	// unrestricted: one selector allows every command, key and channel
	// (the default user's fast path).
	unrestricted bool
}

func (st *state) clone() *state {
	c := *st
	c.passwords = slices.Clone(st.passwords)
	c.selectors = make([]*Selector, len(st.selectors))
	for i, s := range st.selectors {
		c.selectors[i] = s.clone()
	}
	return &c
}

func (st *state) root() *Selector { return st.selectors[0] }

func (st *state) seal() *state {
	r := st.root()
	st.unrestricted = r.allCommands && r.allKeys && r.allChannels
	return st
}

// User is one ACL user. Sessions keep a pointer to it: a change by ACL
// SETUSER applies to them at their next command.
type User struct {
	Name  string
	state atomic.Pointer[state]
}

// Unrestricted reports whether u may run every command on every key and
// channel: the dispatcher then checks nothing (the default user's case).
func (u *User) Unrestricted() bool { return u.state.Load().unrestricted }

// Enabled reports "on".
func (u *User) Enabled() bool { return u.state.Load().on }

// NoPass reports "nopass".
func (u *User) NoPass() bool { return u.state.Load().nopass }

// HashPassword is the form passwords are kept in: SHA-256, lower-case hex.
func HashPassword(p []byte) string {
	h := sha256.Sum256(p)
	return hex.EncodeToString(h[:])
}

func validHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; (c < 'a' || c > 'f') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// CheckPassword reports whether pass is one of u's passwords (any when
// nopass), comparing hashes in constant time.
func (u *User) CheckPassword(pass []byte) bool {
	st := u.state.Load()
	if st.nopass {
		return true
	}
	h := HashPassword(pass)
	ok := false
	for _, p := range st.passwords {
		if subtle.ConstantTimeCompare([]byte(p), []byte(h)) == 1 {
			ok = true
		}
	}
	return ok
}

// apply is ACLSetUser: one rule applied to st.
func (st *state) apply(cat *Catalog, op string, pubsubAll bool) error {
	if op == "" {
		return nil
	}
	switch lower := strings.ToLower(op); {
	case lower == "on":
		st.on = true
	case lower == "off":
		st.on = false
	case lower == "skip-sanitize-payload":
		st.sanitize = sanitizeSkip
	case lower == "sanitize-payload":
		st.sanitize = sanitizeOn
	case lower == "nopass":
		st.nopass, st.passwords = true, nil
	case lower == "resetpass":
		st.nopass, st.passwords = false, nil
	case op[0] == '>' || op[0] == '#':
		return st.addPassword(op)
	case op[0] == '<' || op[0] == '!':
		return st.removePassword(op)
	case op[0] == '(' && op[len(op)-1] == ')':
		s := newSelector(cat, pubsubAll)
		for _, o := range splitArgs(op[1 : len(op)-1]) {
			if err := s.apply(cat, o); err != nil {
				return err
			}
		}
		st.selectors = append(st.selectors, s)
	case lower == "clearselectors":
		st.selectors = st.selectors[:1]
	case lower == "reset":
		st.nopass, st.passwords = false, nil
		r := st.root()
		r.allKeys, r.keys = false, nil
		r.allChannels, r.channels = pubsubAll, nil
		st.on, st.sanitize = false, sanitizeOn
		st.selectors = st.selectors[:1]
		r.setAll(false)
	default:
		return st.root().apply(cat, op)
	}
	return nil
}

func (st *state) addPassword(op string) error {
	h := op[1:]
	if op[0] == '>' {
		h = HashPassword([]byte(h))
	} else if !validHash(h) {
		return errBadHash
	}
	if !slices.Contains(st.passwords, h) {
		st.passwords = append(st.passwords, h)
	}
	st.nopass = false
	return nil
}

func (st *state) removePassword(op string) error {
	h := op[1:]
	if op[0] == '<' {
		h = HashPassword([]byte(h))
	} else if !validHash(h) {
		return errBadHash
	}
	i := slices.Index(st.passwords, h)
	if i < 0 {
		return errNoSuchPass
	}
	st.passwords = slices.Delete(st.passwords, i, i+1)
	return nil
}

// splitArgs splits a selector's rules on spaces (sdssplitargs without
// quoting: rules hold no spaces).
func splitArgs(s string) []string { return strings.Fields(s) }
