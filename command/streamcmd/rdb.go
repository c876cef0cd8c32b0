package streamcmd

import (
	"encoding/binary"
	"errors"
	"maps"
	"slices"
	"strconv"

	"github.com/larder-db/larder/command/internal/rdb"
	"github.com/larder-db/larder/keyspace"
)

// A stream in Redis's RDB serialization (rdb.c rdbSaveObject and
// rdbLoadObject; the listpack layout is t_stream.c's streamAppendItem):
// the radix tree's nodes as (master ID, listpack) pairs, the length and
// the ID bookkeeping, then each group with its PEL and consumers.
const (
	rdbStreamListpacks  = 15 // Redis 5.0 to 6.2: no first ID, max deleted ID, entries added or entries read
	rdbStreamListpacks2 = 19 // Redis 7.0
	flagDeleted         = 1  // STREAM_ITEM_FLAG_DELETED
	flagSameFields      = 2  // STREAM_ITEM_FLAG_SAMEFIELDS
)

var errStreamFormat = errors.New("stream: bad RDB data")

// dumpStream writes the value as DUMP does in Redis 7.0 (type 19): each
// node's listpack holds its live entries and, flagged deleted, the entries
// deleted from it since it was created, as Redis keeps them.
func dumpStream(e *keyspace.Entry) []byte { return encodeStream(streamOf(e)) }

func encodeStream(s *Stream) []byte {
	b := rdb.AppendLen([]byte{rdbStreamListpacks2}, uint64(len(s.nodes)))
	live := make(map[*node][]*entry, len(s.nodes))
	s.items.Scan(func(x *entry) bool {
		live[x.node] = append(live[x.node], x)
		return true
	})
	for _, n := range s.nodes {
		lp := masterEntry(n)
		tombs := slices.SortedFunc(slices.Values(n.tombs), func(a, b *entry) int { return a.id.Cmp(b.id) })
		alive := live[n]
		for len(alive) > 0 || len(tombs) > 0 { // merged in ID order
			if len(tombs) == 0 || len(alive) > 0 && alive[0].id.Less(tombs[0].id) {
				appendStreamEntry(lp, n, alive[0], false)
				alive = alive[1:]
			} else {
				appendStreamEntry(lp, n, tombs[0], true)
				tombs = tombs[1:]
			}
		}
		b = rdb.AppendString(b, appendRawID(nil, n.masterID))
		b = rdb.AppendString(b, lp.Bytes())
	}
	b = rdb.AppendLen(b, uint64(s.Len()))
	for _, id := range []ID{s.lastID, s.firstID, s.maxDeleted} {
		b = rdb.AppendLen(rdb.AppendLen(b, id.Ms), id.Seq)
	}
	b = rdb.AppendLen(b, s.entriesAdded)
	return appendGroups(b, s)
}

// masterEntry starts a node's listpack: live and deleted counts, the
// master fields and the 0 terminator.
func masterEntry(n *node) *rdb.Listpack {
	lp := rdb.NewListpack()
	lpInt(lp, int64(n.live))
	lpInt(lp, int64(len(n.tombs)))
	lpInt(lp, int64(len(n.master)))
	for _, f := range n.master {
		lp.Append([]byte(f))
	}
	lpInt(lp, 0)
	return lp
}

// appendStreamEntry writes one entry: flags, the ID as deltas from the
// master ID, the values alone when its fields are the master's, else the
// field count and pairs, then its element count (lp-count).
func appendStreamEntry(lp *rdb.Listpack, n *node, x *entry, deleted bool) {
	pairs := len(x.fields) / 2
	same := sameFields(n.master, x.fields)
	flags, count := int64(0), pairs+3
	if same {
		flags = flagSameFields
	} else {
		count += pairs + 1
	}
	if deleted {
		flags |= flagDeleted
	}
	lpInt(lp, flags)
	lpInt(lp, int64(x.id.Ms-n.masterID.Ms))
	lpInt(lp, int64(x.id.Seq-n.masterID.Seq))
	if !same {
		lpInt(lp, int64(pairs))
	}
	for i, f := range x.fields {
		if i%2 == 1 || !same {
			lp.Append([]byte(f))
		}
	}
	lpInt(lp, int64(count))
}

func lpInt(lp *rdb.Listpack, v int64) { lp.Append(strconv.AppendInt(nil, v, 10)) }

// appendRawID appends id as the radix tree and the PEL keep it: 128 bits
// big endian.
func appendRawID(b []byte, id ID) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(b, id.Ms), id.Seq)
}

// appendGroups writes the groups in name order, each with its last ID,
// entries read, PEL (ID, delivery time, delivery count) and consumers
// (name, seen time, their PEL's IDs), as the radix trees iterate.
func appendGroups(b []byte, s *Stream) []byte {
	b = rdb.AppendLen(b, uint64(len(s.groups)))
	for _, name := range slices.Sorted(maps.Keys(s.groups)) {
		g := s.groups[name]
		b = rdb.AppendString(b, []byte(name))
		b = rdb.AppendLen(rdb.AppendLen(b, g.lastID.Ms), g.lastID.Seq)
		b = rdb.AppendLen(b, uint64(g.entriesRead)) // -1 (unknown) as Redis writes a long long
		b = rdb.AppendLen(b, uint64(g.pel.Len()))
		g.pel.Scan(func(p *pending) bool {
			b = appendRawID(b, p.id)
			b = binary.LittleEndian.AppendUint64(b, uint64(p.delivered))
			b = rdb.AppendLen(b, p.count)
			return true
		})
		b = rdb.AppendLen(b, uint64(len(g.consumers)))
		for _, cname := range slices.Sorted(maps.Keys(g.consumers)) {
			cs := g.consumers[cname]
			b = rdb.AppendString(b, []byte(cname))
			b = binary.LittleEndian.AppendUint64(b, uint64(cs.seenTime))
			b = rdb.AppendLen(b, uint64(cs.pel.Len()))
			cs.pel.Scan(func(p *pending) bool {
				b = appendRawID(b, p.id)
				return true
			})
		}
	}
	return b
}
