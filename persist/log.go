package persist

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Policy is appendfsync: when a record counts as written.
type Policy uint8

// The appendfsync policies.
const (
	Always Policy = iota
	EverySec
	No
)

// ParsePolicy reads an appendfsync value.
func ParsePolicy(s string) (Policy, error) {
	switch s {
	case "always":
		return Always, nil
	case "everysec":
		return EverySec, nil
	case "no":
		return No, nil
	}
	return Always, fmt.Errorf("appendfsync must be always, everysec or no, not %q", s)
}

func (p Policy) String() string {
	return [...]string{"always", "everysec", "no"}[p]
}

// File names inside the data dir.
const (
	DBFile   = "larder.db"
	TailFile = "larder.tail" // with a suffix .0 or .1: two files take turns
)

// formatVersion is stored in the meta bucket; a file of another format is
// refused rather than misread.
const formatVersion = "larder-log-1"

var (
	bucketMeta = []byte("meta")
	bucketSnap = []byte("snap")
	bucketLog  = []byte("log")
	keyFormat  = []byte("format")
	keySnap    = []byte("snapshot")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrClosed is returned by Wait once the log is closed.
var ErrClosed = errors.New("log closed")

// Options configure a Log.
type Options struct {
	Dir    string
	Policy Policy
	Logger zerolog.Logger
	// OpenTimeout bounds the wait for another process's lock on the file.
	OpenTimeout time.Duration
	// Faults, when set, is consulted before each write to disk (tests:
	// injected disk-full and fsync errors).
	Faults func(op string) error
	// Failpoints names points where the process kills itself (crash
	// tests): "name" at the first pass, "name@N" at the N-th; comma
	// separated (LARDER_FAILPOINTS).
	Failpoints string
	// ReadOnly opens the file without changing it (larder check).
	ReadOnly bool
}

// Log is the append log. Append and Wait are safe for concurrent use; the
// writing itself is done by one goroutine (group commit).
type Log struct {
	o     Options
	db    *bolt.DB
	path  string
	tails [2]*tail
	log   zerolog.Logger

	mu      sync.Mutex
	cond    *sync.Cond
	pending []record // appended, not yet taken by the committer
	err     error    // the last write failure, until a write succeeds
	cut     uint64   // a snapshot cut: later records start a new segment
	closed  bool
	started bool
	// The last sequence number assigned (nextA) and the last at the
	// policy's point (doneA): written under mu, read without it on the hot
	// path (Durable runs once per pipeline). failing mirrors err != nil.
	nextA, doneA atomic.Uint64
	failing      atomic.Bool
	snapSeq      atomic.Uint64 // the current snapshot's cut
	kick         chan struct{}
	stopped      chan struct{}

	// Owned by the committer goroutine.
	queue      []record // taken from pending, not yet at the policy's point
	cur        int      // the tail file being written
	unbolted   []record // in tails[cur], not yet handed to the bolter
	unboltedSz int
	lastBolt   time.Time
	closingAt  time.Time
	bolter     chan boltJob // to the goroutine committing tail files into bbolt
	bolterIdle chan struct{}
	boltErr    atomic.Value // errBox

	segStart uint64 // owned by whoever commits: the committer (always) or the bolter

	stats  stats
	wstats writeStats // write timings (metrics.go)
	fp     failpoints
}

type record struct {
	seq uint64
	buf []byte
}

// Open opens (creating if needed) the log in o.Dir. It fails at once with a
// clear error when another process holds the data dir.
func Open(o Options) (*Log, error) {
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	if o.OpenTimeout == 0 {
		o.OpenTimeout = time.Second
	}
	path := filepath.Join(o.Dir, DBFile)
	db, err := openBolt(path, o)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("data dir %s is in use by another larder process (lock on %s)", o.Dir, path)
	}
	var de *DamageError
	if errors.As(err, &de) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	l := &Log{o: o, db: db, path: path, log: o.Logger, kick: make(chan struct{}, 1), stopped: make(chan struct{})}
	l.cond = sync.NewCond(&l.mu)
	l.fp = parseFailpoints(o.Failpoints)
	if err := guard(l.initBuckets); err != nil {
		_ = db.Close() // already failing
		return nil, err
	}
	return l, nil
}

// guard runs fn over bbolt's pages, turning a panic (or a fault in its
// mmap of a truncated file) into an error: bad bytes never crash Larder.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = &DamageError{File: DBFile, Where: "bbolt pages", Reason: fmt.Sprint(p)}
		}
	}()
	return fn()
}

// openBolt opens the file; bad bytes (bbolt's damage errors, or a panic
// or fault while it reads them) come back as a *DamageError.
func openBolt(path string, o Options) (*bolt.DB, error) {
	if o.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, err
		}
	}
	var db *bolt.DB
	err := guard(func() (err error) {
		// NoFreelistSync is not used: bbolt then rebuilds the freelist on
		// open in a goroutine of its own, where a damaged file's fault
		// cannot be recovered (measured: larder check crashed on
		// truncated files).
		db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: o.OpenTimeout, FreelistType: bolt.FreelistMapType, ReadOnly: o.ReadOnly, InitialMmapSize: initialMmap})
		return err
	})
	// What is not the system refusing the file (a lock timeout, or an
	// *os.PathError such as permission denied) is bbolt refusing its
	// bytes: "invalid database", "file size too small", a bad checksum….
	var pe *os.PathError
	if err != nil && !errors.Is(err, bolterrors.ErrTimeout) && !errors.As(err, &pe) {
		var de *DamageError
		if !errors.As(err, &de) {
			err = &DamageError{File: DBFile, Where: "opening it", Reason: err.Error()}
		}
		return nil, err
	}
	return db, err
}

func (l *Log) initBuckets() error {
	if l.o.ReadOnly {
		return l.db.View(func(tx *bolt.Tx) error {
			for _, b := range [][]byte{bucketMeta, bucketSnap, bucketLog} {
				if tx.Bucket(b) == nil {
					return &DamageError{File: DBFile, Where: "bucket " + string(b), Reason: "missing"}
				}
			}
			if v := tx.Bucket(bucketMeta).Get(keyFormat); string(v) != formatVersion {
				return fmt.Errorf("%s has format %q, this larder reads %q", DBFile, v, formatVersion)
			}
			return nil
		})
	}
	return l.db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		switch v := meta.Get(keyFormat); {
		case v == nil:
			if err := meta.Put(keyFormat, []byte(formatVersion)); err != nil {
				return err
			}
		case string(v) != formatVersion:
			return fmt.Errorf("%s has format %q, this larder reads %q", DBFile, v, formatVersion)
		}
		if _, err := tx.CreateBucketIfNotExists(bucketSnap); err != nil {
			return err
		}
		_, err = tx.CreateBucketIfNotExists(bucketLog)
		return err
	})
}

// Start begins writing after recovery: last is the highest sequence number
// recovered (new records continue from it).
func (l *Log) Start(last uint64) error {
	l.nextA.Store(last)
	l.doneA.Store(last)
	l.segStart = last + 1
	l.lastBolt = time.Now()
	for i := range l.tails {
		t, err := openTail(tailPath(l.o.Dir, i))
		if err != nil {
			return err
		}
		l.tails[i] = t
	}
	l.bolter = make(chan boltJob)
	l.bolterIdle = make(chan struct{}, 1)
	l.bolterIdle <- struct{}{}
	go l.boltLoop()
	l.mu.Lock()
	l.started = true
	l.mu.Unlock()
	go l.commitLoop()
	return nil
}

// Append assigns the next sequence number to rec and queues it. The caller
// holds the locks that ordered the change, so log order is apply order.
// rec must not be modified afterwards.
func (l *Log) Append(rec []byte) uint64 {
	l.mu.Lock()
	seq := l.nextA.Load() + 1
	l.nextA.Store(seq)
	l.pending = append(l.pending, record{seq, rec})
	l.mu.Unlock()
	select {
	case l.kick <- struct{}{}:
	default:
	}
	return seq
}

// LastSeq returns the last sequence number assigned.
func (l *Log) LastSeq() uint64 { return l.nextA.Load() }

// Wait blocks until record seq reached the policy's point, or the log is
// closed (ErrClosed). While writes fail it keeps waiting: the record is
// retried, not dropped.
func (l *Log) Wait(seq uint64) error {
	if l.doneA.Load() >= seq {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.doneA.Load() < seq && !l.closed {
		l.cond.Wait()
	}
	if l.doneA.Load() < seq {
		return ErrClosed
	}
	return nil
}

// Err returns the last write failure, or nil once writing works.
func (l *Log) Err() error {
	if !l.failing.Load() {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Cut marks a snapshot cut and returns its sequence number. The caller
// holds every shard lock, so no record is being appended: the records up
// to the cut are exactly the state it is about to serialize.
func (l *Log) Cut() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut = l.nextA.Load()
	return l.cut
}

// Close writes what is queued (waiting at most a few seconds while writes
// fail), stops the committer and closes the files.
func (l *Log) Close() error {
	l.mu.Lock()
	already, started := l.closed, l.started
	if !already {
		l.closingAt = time.Now()
	}
	l.closed = true
	l.mu.Unlock()
	if already {
		return nil
	}
	if started {
		select {
		case l.kick <- struct{}{}:
		default:
		}
		<-l.stopped
		if l.bolter != nil {
			close(l.bolter)
		}
	}
	l.mu.Lock()
	l.cond.Broadcast()
	l.mu.Unlock()
	var errs []error
	for _, t := range l.tails {
		if t != nil {
			errs = append(errs, t.close())
		}
	}
	return errors.Join(append(errs, l.db.Close())...)
}

func tailPath(dir string, i int) string {
	return filepath.Join(dir, fmt.Sprintf("%s.%d", TailFile, i))
}

func seqKey(seq uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seq)
	return b[:]
}

// seal is a value as bbolt stores it: the checksum of (seq, payload), then
// the payload. seq is a record's sequence number or a chunk's index.
func seal(seq uint64, payload []byte) []byte {
	v := binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(payload)), checksum(seq, payload))
	return append(v, payload...)
}

// unseal checks a sealed value and returns its payload.
func unseal(seq uint64, v []byte) ([]byte, bool) {
	if len(v) < 4 || checksum(seq, v[4:]) != binary.BigEndian.Uint32(v) {
		return nil, false
	}
	return v[4:], true
}

// checksum is the CRC-32C of a record's sequence number and payload.
func checksum(seq uint64, payload []byte) uint32 {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seq)
	return crc32.Update(crc32.Checksum(b[:], castagnoli), castagnoli, payload)
}

// initialMmap is the address space bbolt maps from the start (not file
// size, not memory): a log that grows within it is never remapped, and
// a remap copies every node of the writing transaction (node.dereference).
const initialMmap = 1 << 30
