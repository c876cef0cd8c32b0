package command

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/larder-db/larder/protocol/resp"
)

// Journal is the append log as the dispatcher sees it (persist.Log in the
// server, commandtest.Journal in tests). Implementations must be safe for
// concurrent use.
//
// A record is one or more effects, each the database number (uvarint) and
// a RESP multibulk argv: a single write's normalised effect, or all the
// effects of one MULTI/EXEC or script, applied together on replay.
type Journal interface {
	// Append queues rec and returns its sequence number. The caller holds
	// the shard locks of the change, so log order is apply order.
	Append(rec []byte) uint64
	// Wait blocks until record seq reached the appendfsync policy's point.
	Wait(seq uint64) error
	// Err returns the current write failure (MISCONF), or nil.
	Err() error
}

// AppendEntry encodes one effect: the db number, then argv as RESP.
func AppendEntry(b []byte, db int, argv [][]byte) []byte {
	need := binary.MaxVarintLen64 + 16 // db, array header
	for _, a := range argv {
		need += len(a) + 16 // bulk header and CRLF
	}
	b = slices.Grow(b, need) // one allocation: a 1 KiB value is not copied while the record grows
	b = binary.AppendUvarint(b, uint64(db))
	return resp.AppendCommand(b, argv)
}

var errBadRecord = errors.New("malformed record")

// EachEntry decodes a record, calling fn for each effect; argv aliases rec.
func EachEntry(rec []byte, fn func(db int, argv [][]byte) error) error {
	for len(rec) > 0 {
		db, k := binary.Uvarint(rec)
		if k <= 0 || db > 1<<20 {
			return errBadRecord
		}
		argv, rest, err := splitArray(rec[k:])
		if err != nil {
			return err
		}
		if err := fn(int(db), argv); err != nil {
			return err
		}
		rec = rest
	}
	return nil
}

// splitArray reads one RESP array of bulk strings from the front of b.
func splitArray(b []byte) ([][]byte, []byte, error) {
	n, b, err := header(b, '*')
	if err != nil || n < 1 {
		return nil, nil, errBadRecord
	}
	argv := make([][]byte, 0, min(n, 64))
	for i := 0; i < n; i++ {
		var l int
		if l, b, err = header(b, '$'); err != nil || l < 0 || len(b) < l+2 {
			return nil, nil, errBadRecord
		}
		argv = append(argv, b[:l:l])
		b = b[l+2:]
	}
	return argv, b, nil
}

func header(b []byte, kind byte) (int, []byte, error) {
	i := bytes.IndexByte(b, '\n')
	if len(b) < 3 || b[0] != kind || i < 2 || b[i-1] != '\r' {
		return 0, nil, errBadRecord
	}
	n, err := strconv.Atoi(string(b[1 : i-1]))
	if err != nil || n > 1<<30 {
		return 0, nil, errBadRecord
	}
	return n, b[i+1:], nil
}

// appendEffect logs one effect of a write that changed data, while its
// shard locks are held (DESIGN.md §4). Inside EXEC or a script the effects
// of the session are gathered and logged as one record at its end.
func (d *Dispatcher) appendEffect(s *Session, db int, argv [][]byte) {
	if !d.journalOn.Load() || (s != nil && s.replay) {
		return
	}
	if s != nil && s.grouping {
		s.group = AppendEntry(s.group, db, argv)
		return
	}
	seq := d.Journal.Append(AppendEntry(nil, db, argv))
	if s != nil {
		s.writeSeq = seq
	}
}

// beginGroup starts gathering the session's effects into one record
// (EXEC, scripts).
func (s *Session) beginGroup() {
	s.grouping = true
	s.group = s.group[:0]
}

// endGroup logs the gathered effects as one record; call it before the
// locks of the group are released.
func (d *Dispatcher) endGroup(s *Session) {
	s.grouping = false
	if len(s.group) == 0 || !d.journalOn.Load() {
		return
	}
	rec := append([]byte(nil), s.group...)
	s.writeSeq = d.Journal.Append(rec)
	if cap(s.group) > 64<<10 {
		s.group = nil
	}
}

// Journal logs one normalised effect record for a self-journaling command,
// while its shard locks are held (DESIGN.md §4).
func (c *Call) Journal(argv ...[]byte) {
	c.D.appendEffect(c.S, c.db.Index(), argv)
}

// JournalSet logs a string write as SET with an absolute PXAT (or KEEPTTL-free
// plain SET when persistent), so replay is deterministic.
func (c *Call) JournalSet(key, val []byte, expireAt int64) {
	if expireAt == 0 {
		c.Journal([]byte("SET"), key, val)
		return
	}
	c.Journal([]byte("SET"), key, val, []byte("PXAT"), strconv.AppendInt(nil, expireAt, 10))
}

// Durable blocks until the writes a session's pending replies may depend
// on reached the appendfsync policy's point: its own writes, and — while
// the log is healthy — every write logged before its commands ran (seenSeq,
// noted by run), so a reply never shows data a crash could still take
// back (Redis answers after its AOF write for the same reason). Writes
// logged after them are not waited for: waiting for the log's newest
// record at flush time chained every reply to the next group's fsync.
// Front ends call it before sending replies.
func (d *Dispatcher) Durable(s *Session) {
	if !d.journalOn.Load() {
		return
	}
	seq := s.writeSeq
	if d.Journal.Err() == nil {
		seq = max(seq, s.seenSeq)
	}
	if seq <= s.durableSeq {
		return
	}
	if d.Journal.Wait(seq) == nil {
		s.durableSeq = seq
	}
}

// misconf is Redis's refusal of writes while the log cannot be written.
func misconf(err error) Error {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:] // the errno text, as Redis's strerror
	}
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return Error("MISCONF Errors writing to the AOF file: " + msg)
}

// EnableJournal turns journaling on once recovery has replayed the data.
func (d *Dispatcher) EnableJournal() {
	if d.Journal != nil {
		d.journalOn.Store(true)
	}
}

// Replay applies one log or snapshot record through the command path with
// journaling off; replies are discarded, errors counted and logged. It is
// called by one goroutine during recovery, before clients are served.
func (d *Dispatcher) Replay(rec []byte) error {
	s := d.replaySession()
	return EachEntry(rec, func(db int, argv [][]byte) error {
		if db >= d.store.Databases() {
			return fmt.Errorf("record names db %d, the server has %d (--databases)", db, d.store.Databases())
		}
		spec, errText := d.resolve(argv)
		if errText != "" {
			return fmt.Errorf("replay %q: %s", argv[0], errText)
		}
		s.db = db
		var r replayReply
		d.run(s, spec, argv, &r)
		if r.err != "" {
			d.replayErrors.Add(1)
			d.log.Warn().Str("cmd", spec.Name).Str("error", r.err).Msg("replayed record answered an error")
		}
		return nil
	})
}

func (d *Dispatcher) replaySession() *Session {
	if d.replayS == nil {
		d.replayS = NewSession("replay", "", "", d.store.Now())
		d.replayS.replay = true
		d.replayS.Authenticated = true
	}
	return d.replayS
}

// replayReply discards a replayed command's reply, keeping an error.
type replayReply struct{ err string }

func (r *replayReply) Simple(string)           {}
func (r *replayReply) Error(msg string)        { r.err = msg }
func (r *replayReply) Int(int64)               {}
func (r *replayReply) Bulk([]byte)             {}
func (r *replayReply) BulkString(string)       {}
func (r *replayReply) Null()                   {}
func (r *replayReply) NullArray()              {}
func (r *replayReply) Double(float64)          {}
func (r *replayReply) Bool(bool)               {}
func (r *replayReply) BigNumber(string)        {}
func (r *replayReply) Verbatim(string, string) {}
func (r *replayReply) Array(int)               {}
func (r *replayReply) Map(int)                 {}
func (r *replayReply) Set(int)                 {}
func (r *replayReply) Push(int)                {}

func (r *replayReply) DoubleText(float64, string) {}
