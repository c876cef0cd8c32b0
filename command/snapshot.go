package command

import (
	"strconv"

	"github.com/larder-db/larder/keyspace"
)

// snapItems bounds the elements of one snapshot record, so a huge
// collection becomes several records (RPUSH/SADD/ZADD/HSET append).
const snapItems = 512

// snapshotShard writes every live key of a shard (read-locked by the
// caller) as records that rebuild it on replay: its type's Snapshot hook
// writes the value (Type), then the key's TTL follows as PEXPIREAT unless
// the hook wrote it. It returns the reused buffer and the running key count.
func (d *Dispatcher) snapshotShard(sink SnapshotSink, buf []byte, db int, sh *keyspace.Shard, now int64, keys int64) ([]byte, int64) {
	w := SnapshotWriter{Now: now, emit: func(argv [][]byte) {
		buf = AppendEntry(buf[:0], db, argv)
		sink.Add(buf)
	}}
	sh.Each(now, func(e *keyspace.Entry) bool {
		keys++
		w.Key = []byte(e.Key())
		t := &d.types[e.Kind()]
		t.Snapshot(&w, e)
		if at := e.ExpireAt(); at != 0 && !t.SnapshotsExpiry {
			w.Record([]byte("PEXPIREAT"), w.Key, strconv.AppendInt(nil, at, 10))
		}
		return true
	})
	return buf, keys
}
