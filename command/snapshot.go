package command

import (
	"strconv"

	"github.com/larder-db/larder/keyspace"
)

// snapItems bounds the elements of one snapshot record, so a huge
// collection becomes several records (RPUSH/SADD/ZADD/HSET append).
const snapItems = 512

// snapshotShard writes every live key of a shard (read-locked by the
// caller) as records that rebuild it on replay: SET … PXAT for strings;
// RPUSH, SADD, ZADD, HSET in batches, field TTLs as HPEXPIREAT, and the
// key's TTL as PEXPIREAT for the others. It returns the reused buffer and
// the running key count.
func snapshotShard(sink SnapshotSink, buf []byte, db int, sh *keyspace.Shard, now int64, keys int64) ([]byte, int64) {
	emit := func(argv [][]byte) {
		buf = AppendEntry(buf[:0], db, argv)
		sink.Add(buf)
	}
	sh.Each(now, func(e *keyspace.Entry) bool {
		keys++
		key := []byte(e.Key())
		switch e.Kind() {
		case keyspace.KindString:
			argv := [][]byte{[]byte("SET"), key, e.Str()}
			if at := e.ExpireAt(); at != 0 {
				argv = append(argv, []byte("PXAT"), strconv.AppendInt(nil, at, 10))
			}
			emit(argv)
			return true
		case keyspace.KindList:
			l := e.Obj().(*keyspace.List)
			batches(emit, "RPUSH", key, l.Len(), func(i int) []byte { return []byte(l.At(i)) })
		case keyspace.KindSet:
			members := e.Obj().(*keyspace.Set).Members()
			batches(emit, "SADD", key, len(members), func(i int) []byte { return []byte(members[i]) })
		case keyspace.KindZSet:
			snapshotZSet(emit, key, e.Obj().(*keyspace.ZSet))
		case keyspace.KindHash:
			snapshotHash(emit, key, e.Obj().(*keyspace.Hash), now)
		}
		if at := e.ExpireAt(); at != 0 {
			emit([][]byte{[]byte("PEXPIREAT"), key, strconv.AppendInt(nil, at, 10)})
		}
		return true
	})
	return buf, keys
}

// batches emits "CMD key item…" records of at most snapItems items.
func batches(emit func([][]byte), cmd string, key []byte, n int, item func(i int) []byte) {
	argv := make([][]byte, 0, 2+min(n, snapItems))
	for i := 0; i < n; i += snapItems {
		argv = append(argv[:0], []byte(cmd), key)
		for j := i; j < min(i+snapItems, n); j++ {
			argv = append(argv, item(j))
		}
		emit(argv)
	}
}

func snapshotZSet(emit func([][]byte), key []byte, z *keyspace.ZSet) {
	var items []keyspace.ZItem
	z.Each(func(it keyspace.ZItem) bool { items = append(items, it); return true })
	argv := make([][]byte, 0, 2+2*min(len(items), snapItems))
	for i := 0; i < len(items); i += snapItems {
		argv = append(argv[:0], []byte("ZADD"), key)
		for _, it := range items[i:min(i+snapItems, len(items))] {
			// FormatScore is exact: integers as such, others %.17g.
			argv = append(argv, []byte(keyspace.FormatScore(it.Score)), []byte(it.Member))
		}
		emit(argv)
	}
}

func snapshotHash(emit func([][]byte), key []byte, h *keyspace.Hash, now int64) {
	pairs := h.Pairs(now)
	for i := 0; i < len(pairs); i += 2 * snapItems {
		argv := [][]byte{[]byte("HSET"), key}
		for _, s := range pairs[i:min(i+2*snapItems, len(pairs))] {
			argv = append(argv, []byte(s))
		}
		emit(argv)
	}
	if h.TTLCount() == 0 {
		return
	}
	for i := 0; i < len(pairs); i += 2 {
		if at, ok := h.TTL([]byte(pairs[i])); ok {
			emit([][]byte{[]byte("HPEXPIREAT"), key, strconv.AppendInt(nil, at, 10),
				[]byte("FIELDS"), []byte("1"), []byte(pairs[i])})
		}
	}
}
