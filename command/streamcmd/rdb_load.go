package streamcmd

import (
	"encoding/binary"
	"strconv"

	"github.com/larder-db/larder/command/internal/rdb"
	"github.com/larder-db/larder/keyspace"
)

// loadStream decodes a stream body of RDB type 15 or 19 for RESTORE,
// checking what Redis's deep sanitization checks: every node's listpack
// and its counts, IDs rising across nodes, the length, and a PEL whose
// every entry has exactly one consumer.
func loadStream(t byte, body []byte) (keyspace.Object, error) {
	r := rdb.NewReader(body)
	s := newStream()
	nodes, err := r.Len()
	if err != nil {
		return nil, err
	}
	var prev *ID
	for ; nodes > 0; nodes-- {
		if prev, err = s.loadNode(r, prev); err != nil {
			return nil, err
		}
	}
	if err := s.loadMeta(r, t); err != nil {
		return nil, err
	}
	if err := s.loadGroups(r, t); err != nil {
		return nil, err
	}
	return s, nil
}

// loadNode reads one (master ID, listpack) pair and adds its live entries
// as a node; prev is the last ID read so far.
func (s *Stream) loadNode(r *rdb.Reader, prev *ID) (*ID, error) {
	key, err := r.String()
	if err != nil || len(key) != 16 {
		return nil, errStreamFormat
	}
	blob, err := r.String()
	if err != nil {
		return nil, err
	}
	elems, err := rdb.ParseListpack(blob)
	if err != nil || len(elems) == 0 {
		return nil, errStreamFormat
	}
	cur := &lpCursor{elems: elems}
	n := &node{masterID: rawID(key), bytes: 16}
	live, deleted := cur.int(), cur.int()
	for nf := cur.int(); nf > 0 && cur.err == nil; nf-- {
		n.master = append(n.master, string(cur.next()))
		n.bytes += lpSize(len(n.master[len(n.master)-1]))
	}
	if cur.int() != 0 {
		return nil, errStreamFormat
	}
	for cur.err == nil && cur.i < len(elems) {
		id, fields, flags := cur.entry(n)
		if cur.err != nil || (prev != nil && !prev.Less(id)) || id.Less(n.masterID) {
			return nil, errStreamFormat
		}
		prev = &id
		n.last = id
		if flags&flagDeleted != 0 {
			n.dead++
			n.tombs = append(n.tombs, &entry{id: id, fields: fields, node: n})
			continue
		}
		n.bytes += entryBytes(n, fields)
		n.live++
		s.items.Set(&entry{id: id, fields: fields, node: n})
		s.mem += entrySize(fields)
	}
	if cur.err != nil || int64(n.live) != live || int64(n.dead) != deleted {
		return nil, errStreamFormat
	}
	if n.live > 0 {
		s.nodes = append(s.nodes, n)
	}
	return prev, nil
}

// lpCursor reads a node's listpack elements in order; the first fault
// sticks in err.
type lpCursor struct {
	elems [][]byte
	i     int
	err   error
}

func (c *lpCursor) next() []byte {
	if c.err != nil || c.i >= len(c.elems) {
		c.err = errStreamFormat
		return nil
	}
	c.i++
	return c.elems[c.i-1]
}

func (c *lpCursor) int() int64 {
	v, err := strconv.ParseInt(string(c.next()), 10, 64)
	if err != nil && c.err == nil {
		c.err = errStreamFormat
	}
	return v
}

// entry reads one entry after the master entry: its ID, fields and flags,
// checking its lp-count.
func (c *lpCursor) entry(n *node) (ID, []string, int64) {
	flags := c.int()
	id := ID{Ms: n.masterID.Ms + uint64(c.int()), Seq: n.masterID.Seq + uint64(c.int())}
	var fields []string
	pairs := int64(len(n.master))
	if flags&flagSameFields != 0 {
		for _, f := range n.master {
			fields = append(fields, f, string(c.next()))
		}
	} else {
		pairs = c.int()
		for i := int64(0); i < pairs && c.err == nil; i++ {
			fields = append(fields, string(c.next()), string(c.next()))
		}
	}
	want := pairs + 3
	if flags&flagSameFields == 0 {
		want += pairs + 1
	}
	if c.int() != want || pairs < 1 {
		c.err = errStreamFormat
	}
	return id, fields, flags
}

func rawID(b []byte) ID {
	return ID{Ms: binary.BigEndian.Uint64(b), Seq: binary.BigEndian.Uint64(b[8:])}
}

// loadMeta reads the length and the ID bookkeeping: type 19 carries the
// first ID, max deleted ID and entries added; for the legacy type 15 they
// are derived as Redis derives them (entries added = length).
func (s *Stream) loadMeta(r *rdb.Reader, t byte) error {
	length, err := r.Len()
	if err != nil || length != uint64(s.Len()) {
		return errStreamFormat
	}
	if s.lastID, err = readID(r); err != nil {
		return err
	}
	if last := s.last(); last != nil && s.lastID.Less(last.id) {
		return errStreamFormat
	}
	if t == rdbStreamListpacks {
		s.entriesAdded = length
		s.updateFirst()
		return nil
	}
	if s.firstID, err = readID(r); err != nil {
		return err
	}
	if s.maxDeleted, err = readID(r); err != nil {
		return err
	}
	s.entriesAdded, err = r.Len()
	return err
}

func readID(r *rdb.Reader) (ID, error) {
	ms, err := r.Len()
	if err != nil {
		return ID{}, err
	}
	seq, err := r.Len()
	return ID{Ms: ms, Seq: seq}, err
}

// loadGroups reads the consumer groups; type 15 has no entries read, which
// is estimated from the group's last ID as Redis does on load.
func (s *Stream) loadGroups(r *rdb.Reader, t byte) error {
	n, err := r.Len()
	if err != nil {
		return err
	}
	for ; n > 0; n-- {
		name, err := r.String()
		if err != nil || s.groups[string(name)] != nil {
			return errStreamFormat
		}
		last, err := readID(r)
		if err != nil {
			return err
		}
		read := s.estimateRead(last)
		if t != rdbStreamListpacks {
			v, err := r.Len()
			if err != nil {
				return err
			}
			read = int64(v)
		}
		g := newGroup(string(name), last, read)
		s.groups[g.name] = g
		s.mem += groupBase + int64(len(name))
		if err := s.loadPEL(r, g); err != nil {
			return err
		}
		if err := s.loadConsumers(r, g); err != nil {
			return err
		}
	}
	return nil
}

// loadPEL reads a group's pending entries: raw ID, delivery time, count.
func (s *Stream) loadPEL(r *rdb.Reader, g *group) error {
	n, err := r.Len()
	if err != nil {
		return err
	}
	for ; n > 0; n-- {
		raw, err := r.Raw(24)
		if err != nil {
			return err
		}
		count, err := r.Len()
		if err != nil {
			return err
		}
		p := &pending{id: rawID(raw), delivered: int64(binary.LittleEndian.Uint64(raw[16:])), count: count}
		if g.lookupPending(p.id) != nil {
			return errStreamFormat
		}
		g.pel.Set(p)
		s.mem += pendingBase
	}
	return nil
}

// loadConsumers reads a group's consumers, each with the IDs it owns in
// the group's PEL; every PEL entry must end with exactly one owner.
func (s *Stream) loadConsumers(r *rdb.Reader, g *group) error {
	n, err := r.Len()
	if err != nil {
		return err
	}
	for ; n > 0; n-- {
		name, err := r.String()
		if err != nil || g.consumers[string(name)] != nil {
			return errStreamFormat
		}
		seen, err := r.Raw(8)
		if err != nil {
			return err
		}
		cs := s.addConsumer(g, string(name), int64(binary.LittleEndian.Uint64(seen)))
		owned, err := r.Len()
		if err != nil {
			return err
		}
		for ; owned > 0; owned-- {
			raw, err := r.Raw(16)
			if err != nil {
				return err
			}
			p := g.lookupPending(rawID(raw))
			if p == nil || p.owner != nil {
				return errStreamFormat
			}
			p.owner = cs
			cs.pel.Set(p)
		}
	}
	ownerless := false
	g.pel.Scan(func(p *pending) bool {
		ownerless = p.owner == nil
		return !ownerless
	})
	if ownerless {
		return errStreamFormat
	}
	return nil
}
