package acl

import (
	"strings"

	"github.com/larder-db/larder/internal/glob"
)

// Denial is why a check refused, in Redis's order of precedence
// (ACL_DENIED_*): a later one wins when selectors disagree.
type Denial int

// Denials; Auth is only logged (a failed AUTH).
const (
	OK Denial = iota
	DeniedCommand
	DeniedKey
	DeniedAuth
	DeniedChannel
)

// KeyRef is a key argument and the access the command needs to it.
type KeyRef struct {
	Pos  int
	Perm Perm
}

// ChannelRef is a channel argument a command publishes or subscribes to;
// Pattern: PSUBSCRIBE's, matched literally against the user's patterns.
type ChannelRef struct {
	Pos     int
	Pattern bool
}

// Request is one command line to check.
type Request struct {
	Cmd  *Command
	Argv [][]byte
	// HasKeys says the command may name keys; Keys returns them with the
	// access needed (called at most once, only when a selector restricts
	// keys).
	HasKeys  bool
	Keys     func() []KeyRef
	Channels []ChannelRef

	keys    []KeyRef
	keysSet bool
}

func (r *Request) keyRefs() []KeyRef {
	if !r.keysSet {
		r.keys, r.keysSet = r.Keys(), true
	}
	return r.keys
}

// Check is ACLCheckAllUserCommandPerm: OK when a selector allows the
// command with its keys and channels; otherwise the most relevant denial
// and the position of the argument it concerns.
func (u *User) Check(req *Request) (Denial, int) {
	st := u.state.Load()
	if st.unrestricted {
		return OK, 0
	}
	if req.Cmd == nil { // a row outside the catalog: nothing allows it
		return DeniedCommand, 0
	}
	worst, worstPos := DeniedCommand, 0
	for _, sel := range st.selectors {
		d, pos := sel.check(req)
		if d == OK {
			return OK, 0
		}
		if d > worst || (d == worst && pos > worstPos) {
			worst, worstPos = d, pos
		}
	}
	return worst, worstPos
}

// check is ACLSelectorCheckCmd.
func (s *Selector) check(req *Request) (Denial, int) {
	cmd := req.Cmd
	if !s.allCommands && !cmd.NoAuth && !s.bit(cmd.ID) && !s.firstArgAllowed(req) {
		return DeniedCommand, 0
	}
	if !s.allKeys && req.HasKeys {
		for _, k := range req.keyRefs() {
			if !s.keyAllowed(req.Argv[k.Pos], k.Perm) {
				return DeniedKey, k.Pos
			}
		}
	}
	if !s.allChannels {
		for _, c := range req.Channels {
			if !s.channelAllowed(req.Argv[c.Pos], c.Pattern) {
				return DeniedChannel, c.Pos
			}
		}
	}
	return OK, 0
}

func (s *Selector) firstArgAllowed(req *Request) bool {
	args := s.firstArgs[req.Cmd.ID]
	idx := 1
	if req.Cmd.Parent != nil {
		idx = 2
	}
	if len(args) == 0 || len(req.Argv) < 2 || idx >= len(req.Argv) {
		return false
	}
	for _, a := range args {
		if strings.EqualFold(a, string(req.Argv[idx])) {
			return true
		}
	}
	return false
}

// keyAllowed is ACLSelectorCheckKey.
func (s *Selector) keyAllowed(key []byte, need Perm) bool {
	for _, p := range s.keys {
		if p.Perm&need == need && glob.Match([]byte(p.Pattern), key, false) {
			return true
		}
	}
	return false
}

// channelAllowed is ACLCheckChannelAgainstList.
func (s *Selector) channelAllowed(ch []byte, pattern bool) bool {
	for _, p := range s.channels {
		if pattern && p == string(ch) || !pattern && glob.Match([]byte(p), ch, false) {
			return true
		}
	}
	return false
}

// UnrestrictedRead is ACLUserCheckCmdWithUnrestrictedKeyAccess for
// reading: a selector allows the command and may read every key (allkeys,
// or a pattern "*" granting reads), as SORT's BY and GET need.
func (u *User) UnrestrictedRead(req *Request) bool {
	st := u.state.Load()
	if st.unrestricted {
		return true
	}
	for _, sel := range st.selectors {
		if d, _ := sel.check(req); d == OK && sel.readsAll() {
			return true
		}
	}
	return false
}

func (s *Selector) readsAll() bool {
	if s.allKeys {
		return true
	}
	for _, k := range s.keys {
		if k.Perm&PermRead != 0 && k.Pattern == "*" {
			return true
		}
	}
	return false
}

// ChannelAllowed reports whether u may use a channel (a pattern when
// pattern): a pub/sub check outside a command's own (ACLUserCheckChannelPerm).
func (u *User) ChannelAllowed(ch []byte, pattern bool) bool {
	for _, sel := range u.state.Load().selectors {
		if sel.allChannels || sel.channelAllowed(ch, pattern) {
			return true
		}
	}
	return false
}
