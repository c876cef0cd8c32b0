package keyspace

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Kind is the Redis type of a value. The built-in kinds are the constants
// below; a package that defines a value type of its own (an Object) gets
// its kind from NewKind, without a change here.
type Kind uint8

// The built-in kinds. KindNone is what Lookup reports for a missing key.
const (
	KindNone Kind = iota
	KindString
	KindList
	KindSet
	KindZSet
	KindHash
)

// kindNames holds the TYPE name of every kind, indexed by Kind. It is
// replaced, never changed, by NewKind, so readers need no lock.
var (
	kindNames  atomic.Pointer[[]string]
	kindsMutex sync.Mutex
)

func init() {
	names := []string{KindNone: "none", KindString: "string", KindList: "list",
		KindSet: "set", KindZSet: "zset", KindHash: "hash"}
	kindNames.Store(&names)
}

// NewKind registers a value type named name (what TYPE reports) and
// returns its kind. Call it once per type, from a package-level variable,
// so every kind exists before the keyspace is used. It panics when name is
// taken or the 255 kinds are used up: both are programming errors.
func NewKind(name string) Kind {
	kindsMutex.Lock()
	defer kindsMutex.Unlock()
	old := *kindNames.Load()
	for _, n := range old {
		if n == name {
			panic(fmt.Sprintf("keyspace.NewKind: kind %q exists", name))
		}
	}
	if len(old) > 255 {
		panic("keyspace.NewKind: no kind left")
	}
	names := append(old[:len(old):len(old)], name)
	kindNames.Store(&names)
	return Kind(len(names) - 1)
}

// Kinds returns every registered kind but KindNone.
func Kinds() []Kind {
	n := len(*kindNames.Load())
	out := make([]Kind, 0, n-1)
	for k := 1; k < n; k++ {
		out = append(out, Kind(k))
	}
	return out
}

// String returns the name TYPE reports ("none" for an unknown kind).
func (k Kind) String() string {
	if names := *kindNames.Load(); int(k) < len(names) {
		return names[k]
	}
	return "none"
}

// Object is a value other than a string: the built-in List, Set, ZSet and
// Hash, or a type a family defines (with a kind from NewKind). It is stored
// with DB.SetObject and reached through Entry.Obj.
//
// An Object keeps the keyspace's invariants itself: every mutating method
// ends with Owner().Changed(MemSize()) when it changed the value (never
// when it changed nothing), under the shard's write lock.
type Object interface {
	// Encoding returns the name OBJECT ENCODING reports.
	Encoding() string
	// MemSize returns the approximate bytes the value holds, cheaply (it
	// runs after every change): the entry's memory accounting.
	MemSize() int64
	// Clone returns an independent copy, owned by no entry (COPY).
	Clone() Object
	// Owner returns the value's link to the entry holding it: a field of
	// the value that only the keyspace sets.
	Owner() *Owner
}
