// Package persist is Larder's append log: numbered, checksummed records in
// a bbolt file, written by one group-commit goroutine, plus snapshots that
// bound the log, and the iterators that replay both on start.
//
// It knows nothing of commands: a record is opaque bytes (the command layer
// encodes effects as RESP argv), and it imports no Larder package
// (DESIGN.md §4, STYLE.md §3.2).
//
// # Layout of the data dir
//
//   - larder.db: the bbolt file. Bucket "meta" holds the format version and
//     the current snapshot's description; bucket "snap" holds one nested
//     bucket per snapshot, its chunks (zstd-compressed, as the description's
//     codec says; raw when it names none) keyed by number; bucket "log" holds
//     one nested bucket per segment (keyed by its first sequence number),
//     its records keyed by sequence number. A record's value is a CRC-32C
//     (Castagnoli) of the sequence number and the payload, then the payload.
//   - larder.tail.0, larder.tail.1: every group of records is first
//     appended here with one write() (they take turns, so writing never
//     waits for a bbolt commit). A second goroutine commits a tail file's
//     records into bbolt (bbolt fsyncs) every second (every 30 s or 16 MB
//     under policy no) and empties the file. A torn frame at its end is
//     what a crash leaves and is dropped with a warning.
//
// # Policies (appendfsync)
//
//   - always: Wait returns once the group is written to the tail file and
//     fdatasync'ed: nothing acknowledged is lost, even on power loss.
//   - everysec: Wait returns once the group is written (no fsync); it
//     reaches bbolt's fsync within about a second. A process crash loses
//     nothing; a power loss loses at most the last second or so.
//   - no: as everysec, committed into bbolt every 30 s or 16 MB; a power
//     loss loses what the kernel had not written back.
//
// bbolt's NoSync is never used: with it a power loss can leave pages of a
// later transaction under the meta page of an earlier one.
//
// # Failures
//
// A failed commit or tail write puts the log into an error state (Err):
// the records stay queued, nothing is acknowledged, and the commit is
// retried once a second until it succeeds. The caller refuses new writes
// while Err is set (Redis's MISCONF).
//
// # Snapshots
//
// The caller takes a consistent cut (Cut, with every shard locked), stores
// its records with NewSnapshot (Add, then Commit), and the log then drops the segments the
// snapshot covers, in the same bbolt transaction that makes it current.
package persist
