package streamcmd

import (
	"github.com/larder-db/larder/command"
)

// Redis 8.2's XDELEX and XACKDEL, written from the redis.io pages and the
// tests of Redis's own suite (Redis 7.0, the oracle, has neither).

// refPolicy is what deleting an entry does to consumer groups' references.
type refPolicy int

const (
	keepRef   refPolicy = iota // delete the entry; pending references stay
	delRef                     // delete the entry and every group's reference
	ackedOnly                  // delete only an entry no group still needs
)

// Per-ID reply codes.
const (
	codeNoID       = -1 // no such entry (XDELEX) or not pending (XACKDEL)
	codeDeleted    = 1  // deleted (XACKDEL: acknowledged, and deleted or already gone)
	codeReferenced = 2  // kept: ACKED, and a group still needs the entry
)

var (
	errNumIDs      command.Error = "ERR Number of IDs must be a positive integer"
	errNumIDsCount command.Error = "ERR The `numids` parameter must match the number of arguments"
)

// parseDelArgs parses [KEEPREF | DELREF | ACKED] IDS numids id [id ...]:
// at most one policy (KEEPREF by default), then exactly numids valid IDs.
func parseDelArgs(args [][]byte) (refPolicy, []ID, error) {
	policy, chosen := keepRef, false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if p, ok := parsePolicy(a); ok && !chosen {
			policy, chosen = p, true
			continue
		}
		if !command.Eq(a, "ids") || i+1 >= len(args) {
			return 0, nil, command.ErrSyntax
		}
		n, ok := command.ParseInt(args[i+1])
		if !ok || n < 1 {
			return 0, nil, errNumIDs
		}
		rest := args[i+2:]
		if n > int64(len(rest)) {
			return 0, nil, errNumIDsCount
		}
		if n < int64(len(rest)) {
			return 0, nil, command.ErrSyntax
		}
		ids := make([]ID, len(rest))
		for j, arg := range rest {
			id, err := parseStrictID(arg, 0)
			if err != nil {
				return 0, nil, err
			}
			ids[j] = id
		}
		return policy, ids, nil
	}
	return 0, nil, command.ErrSyntax
}

func parsePolicy(a []byte) (refPolicy, bool) {
	switch {
	case command.Eq(a, "keepref"):
		return keepRef, true
	case command.Eq(a, "delref"):
		return delRef, true
	case command.Eq(a, "acked"):
		return ackedOnly, true
	}
	return 0, false
}

// referenced reports whether a group still needs id: it is pending in some
// group, or some group has not yet delivered that far.
func (s *Stream) referenced(id ID) bool {
	for _, g := range s.groups {
		if g.lastID.Less(id) || g.lookupPending(id) != nil {
			return true
		}
	}
	return false
}

// dropRefs removes id from every group's pending list, reporting whether
// any held it.
func (s *Stream) dropRefs(id ID) bool {
	dropped := false
	for _, g := range s.groups {
		if p := g.lookupPending(id); p != nil {
			s.dropPending(g, p)
			dropped = true
		}
	}
	return dropped
}

// deleteID deletes the entry id under policy and returns its reply code;
// *changed is set when the stream changed at all.
func (s *Stream) deleteID(id ID, policy refPolicy, changed *bool) int64 {
	switch policy {
	case ackedOnly:
		if s.referenced(id) {
			return codeReferenced
		}
	case delRef:
		if s.dropRefs(id) {
			*changed = true
		}
	}
	x := s.get(id)
	if x == nil {
		return codeNoID
	}
	s.removeEntry(x)
	if s.maxDeleted.Less(id) {
		s.maxDeleted = id
	}
	*changed = true
	return codeDeleted
}

// replyCodes answers one code per ID, as over a missing key or group.
func replyCodes(c *command.Call, n int, code int64) {
	c.R.Array(n)
	for range n {
		c.R.Int(code)
	}
}

// cmdXdelex: XDELEX key [KEEPREF | DELREF | ACKED] IDS numids id [id ...]
func cmdXdelex(c *command.Call) error {
	policy, ids, err := parseDelArgs(c.Args[2:])
	if err != nil {
		return err
	}
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, kindStream)
	if err != nil || e == nil {
		if err == nil {
			replyCodes(c, len(ids), codeNoID)
		}
		return err
	}
	s, changed, deleted := streamOf(e), false, false
	c.R.Array(len(ids))
	for _, id := range ids {
		code := s.deleteID(id, policy, &changed)
		deleted = deleted || code == codeDeleted
		c.R.Int(code)
	}
	s.afterDelete(c, key, changed, deleted)
	return nil
}

// cmdXackdel: XACKDEL key group [KEEPREF | DELREF | ACKED] IDS numids id
// [id ...]. Each ID pending in the group is acknowledged, then deleted
// under the policy; one that is not pending answers -1.
func cmdXackdel(c *command.Call) error {
	policy, ids, err := parseDelArgs(c.Args[3:])
	if err != nil {
		return err
	}
	key := c.Args[1]
	s, g, err := lookupGroup(c, key, c.Args[2])
	if err != nil || g == nil {
		if err == nil {
			replyCodes(c, len(ids), codeNoID)
		}
		return err
	}
	changed, deleted := false, false
	c.R.Array(len(ids))
	for _, id := range ids {
		p := g.lookupPending(id)
		if p == nil {
			c.R.Int(codeNoID)
			continue
		}
		s.dropPending(g, p)
		changed = true
		code := s.deleteID(id, policy, &changed)
		if code == codeDeleted {
			deleted = true
		}
		if code == codeNoID { // acknowledged; the entry was already gone
			code = codeDeleted
		}
		c.R.Int(code)
	}
	s.afterDelete(c, key, changed, deleted)
	return nil
}

// afterDelete settles the stream after XDELEX or XACKDEL: a new first ID
// and an "xdel" event when entries went (Redis 8.2's XDELEX announces
// "xdel"; XACKDEL is taken to do the same), the change accounted when
// anything moved.
func (s *Stream) afterDelete(c *command.Call, key []byte, changed, deleted bool) {
	if deleted {
		s.updateFirst()
		c.Notify(command.NotifyStream, "xdel", key)
	}
	if changed {
		s.changed()
	}
}
