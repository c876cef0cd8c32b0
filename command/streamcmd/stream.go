package streamcmd

import (
	"slices"

	"github.com/tidwall/btree"

	"github.com/larder-db/larder/keyspace"
)

// kindStream is the stream's keyspace kind; TYPE reports "stream".
var kindStream = keyspace.NewKind("stream")

// nodeLimits are stream-node-max-entries and stream-node-max-bytes:
// entries are grouped into nodes as Redis groups them into listpacks, so
// approximate ('~') trimming removes the same whole nodes as Redis does.
type nodeLimits struct{ entries, bytes int64 }

// listpackMax is STREAM_LISTPACK_MAX_SIZE, the cap of a node's bytes.
const listpackMax = 1 << 30

// entry is one stream entry; fields alternate field and value.
type entry struct {
	id     ID
	fields []string
	node   *node
}

// node models one of Redis's listpack nodes: entries appended together,
// counting the entries deleted from it until it is emptied.
type node struct {
	live, dead int
	masterID   ID       // the ID of its first entry, its key in Redis's radix tree
	last       ID       // the last ID appended, deleted or not
	tombs      []*entry // its deleted entries, which Redis keeps flagged in the listpack (DUMP)
	master     []string // the fields of its first entry
	bytes      int      // an estimate of the listpack's size
}

// Stream is the stream value: entries ordered by ID, the ID bookkeeping of
// Redis 7.0 (last ID, entries added, max deleted ID, first ID) and the
// consumer groups.
type Stream struct {
	items        *btree.BTreeG[*entry]
	nodes        []*node
	lastID       ID
	firstID      ID
	maxDeleted   ID
	entriesAdded uint64
	groups       map[string]*group
	mem          int64
	owner        keyspace.Owner
}

func byID(a, b *entry) bool { return a.id.Less(b.id) }

// newStream returns an empty stream.
func newStream() *Stream {
	return &Stream{items: btree.NewBTreeGOptions(byID, btree.Options{NoLocks: true}),
		groups: map[string]*group{}, mem: streamBase}
}

const (
	streamBase   = 128
	entryBase    = 64
	groupBase    = 96
	pendingBase  = 64
	consumerBase = 64
)

func (s *Stream) Encoding() string       { return "stream" }
func (s *Stream) MemSize() int64         { return s.mem }
func (s *Stream) Owner() *keyspace.Owner { return &s.owner }
func (s *Stream) changed()               { s.owner.Changed(s.mem) }
func (s *Stream) Len() int               { return s.items.Len() }
func entrySize(fields []string) (n int64) {
	n = entryBase
	for _, f := range fields {
		n += int64(len(f)) + 16
	}
	return n
}

// Clone returns an independent copy (COPY).
func (s *Stream) Clone() keyspace.Object {
	c := newStream()
	c.lastID, c.firstID, c.maxDeleted, c.entriesAdded = s.lastID, s.firstID, s.maxDeleted, s.entriesAdded
	nodes := map[*node]*node{}
	for _, n := range s.nodes {
		cp := *n
		cp.tombs = slices.Clone(n.tombs)
		nodes[n] = &cp
		c.nodes = append(c.nodes, &cp)
	}
	s.items.Scan(func(e *entry) bool {
		c.items.Set(&entry{id: e.id, fields: e.fields, node: nodes[e.node]})
		return true
	})
	for name, g := range s.groups {
		c.groups[name] = g.clone()
	}
	c.mem = s.mem
	return c
}

// first and last entries (nil when empty).
func (s *Stream) first() *entry { e, _ := s.items.Min(); return e }
func (s *Stream) last() *entry  { e, _ := s.items.Max(); return e }

// get returns the entry with id, or nil.
func (s *Stream) get(id ID) *entry {
	e, _ := s.items.Get(&entry{id: id})
	return e
}

// lpSize estimates the listpack bytes an element of length n takes.
func lpSize(n int) int {
	switch {
	case n < 64:
		return n + 2
	case n < 4096:
		return n + 4
	}
	return n + 10
}

// entryBytes estimates what an entry adds to its node's listpack.
func entryBytes(n *node, fields []string) int {
	b := 8 // flags, ID deltas, lp-count
	same := n != nil && sameFields(n.master, fields)
	for i, f := range fields {
		if i%2 == 1 || !same {
			b += lpSize(len(f))
		}
	}
	if !same {
		b += 2
	}
	return b
}

func sameFields(master, fields []string) bool {
	if len(master) != len(fields)/2 {
		return false
	}
	for i, f := range master {
		if fields[2*i] != f {
			return false
		}
	}
	return true
}

// appendEntry adds an entry with id (greater than lastID) at the end,
// into the tail node or a new one as Redis's streamAppendItem decides.
func (s *Stream) appendEntry(id ID, fields []string, lim nodeLimits) {
	var tail *node
	if len(s.nodes) > 0 {
		tail = s.nodes[len(s.nodes)-1]
	}
	total := 0
	for _, f := range fields {
		total += len(f)
	}
	maxBytes := lim.bytes
	if maxBytes <= 0 || maxBytes > listpackMax {
		maxBytes = listpackMax
	}
	if tail != nil && (int64(tail.bytes+total) >= maxBytes || lim.entries > 0 && int64(tail.live+tail.dead) >= lim.entries) {
		tail = nil
	}
	if tail == nil {
		tail = &node{bytes: 16, masterID: id}
		for i := 0; i < len(fields); i += 2 {
			tail.master = append(tail.master, fields[i])
			tail.bytes += lpSize(len(fields[i]))
		}
		s.nodes = append(s.nodes, tail)
	}
	tail.bytes += entryBytes(tail, fields)
	tail.live++
	tail.last = id
	s.items.Set(&entry{id: id, fields: fields, node: tail})
	if s.items.Len() == 1 {
		s.firstID = id
	}
	s.lastID = id
	s.entriesAdded++
	s.mem += entrySize(fields)
}

// removeEntry takes e out of the stream, dropping its node when emptied.
func (s *Stream) removeEntry(e *entry) {
	s.items.Delete(e)
	s.mem -= entrySize(e.fields)
	n := e.node
	n.live--
	n.dead++
	n.tombs = append(n.tombs, e)
	if n.live == 0 {
		for i, x := range s.nodes {
			if x == n {
				s.nodes = append(s.nodes[:i], s.nodes[i+1:]...)
				break
			}
		}
	}
}

// updateFirst recomputes firstID after entries were removed.
func (s *Stream) updateFirst() {
	if e := s.first(); e != nil {
		s.firstID = e.id
	} else {
		s.firstID = ID{}
	}
}

// trimArgs are XADD's and XTRIM's trimming options.
type trimArgs struct {
	strategy byte // 0 none, 'L' MAXLEN, 'I' MINID
	approx   bool
	maxlen   int64
	minid    ID
	limit    int64
}

// trim is Redis's streamTrim: whole nodes from the head while they can go
// (at most limit entries when limit > 0), then, unless approx, entries of
// the next node one by one. It returns the number of entries removed.
func (s *Stream) trim(a trimArgs) int64 {
	var deleted int64
	for len(s.nodes) > 0 {
		if a.strategy == 'L' && int64(s.Len()) <= a.maxlen {
			break
		}
		n := s.nodes[0]
		if a.limit > 0 && deleted+int64(n.live) > a.limit {
			break
		}
		var whole bool
		if a.strategy == 'L' {
			whole = int64(s.Len()-n.live) >= a.maxlen
		} else {
			whole = n.last.Less(a.minid)
		}
		if whole {
			deleted += int64(n.live)
			for n.live > 0 {
				s.removeEntry(s.first())
			}
			continue
		}
		if a.approx {
			break
		}
		for e := s.first(); e != nil && e.node == n; e = s.first() {
			if a.strategy == 'L' && int64(s.Len()) <= a.maxlen || a.strategy == 'I' && !e.id.Less(a.minid) {
				break
			}
			s.removeEntry(e)
			deleted++
		}
		break
	}
	if deleted > 0 {
		s.updateFirst()
	}
	return deleted
}
