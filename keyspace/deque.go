package keyspace

// List is a Redis list: a ring buffer of elements, so pushes and pops at
// both ends are O(1) amortised and LINDEX/LSET are O(1). Redis 7.0 holds
// every list as a quicklist, so that is the encoding it reports.
//
// Every mutating method of a List stored in a shard counts one change there
// and re-accounts the list's memory (see Owner); one that finds nothing to
// do counts nothing.
type List struct {
	buf   []string // ring; len(buf) is a power of two or 0
	head  int      // index in buf of element 0
	n     int
	bytes int64 // element bytes plus string headers, for MemSize
	own   Owner
}

// listOverhead approximates the fixed bytes of a List value.
const listOverhead = 64

// NewList returns an empty list.
func NewList() *List { return &List{} }

// Len returns the number of elements.
func (l *List) Len() int { return l.n }

// Encoding returns the name OBJECT ENCODING reports (Redis 7.0: always
// quicklist).
func (l *List) Encoding() string { return "quicklist" }

// MemSize returns the approximate bytes held, in O(1).
func (l *List) MemSize() int64 { return listOverhead + l.bytes + 16*int64(len(l.buf)-l.n) }

// Owner returns the list's link to the entry holding it (Object).
func (l *List) Owner() *Owner { return &l.own }

// Clone returns an independent copy (COPY), owned by no entry.
func (l *List) Clone() Object {
	c := &List{bytes: l.bytes}
	c.buf = l.Slice(0, l.n-1)
	c.n = l.n
	c.grow(0) // back to a power-of-two ring
	return c
}

func (l *List) idx(i int) int { return (l.head + i) & (len(l.buf) - 1) }

// grow makes room for k more elements.
func (l *List) grow(k int) {
	if l.n+k <= len(l.buf) && len(l.buf)&(len(l.buf)-1) == 0 && len(l.buf) > 0 {
		return
	}
	size := 4
	for size < l.n+k {
		size *= 2
	}
	nb := make([]string, size)
	for i := range l.n {
		nb[i] = l.buf[(l.head+i)%max(len(l.buf), 1)]
	}
	l.buf, l.head = nb, 0
}

// shrink halves the ring when it is mostly empty, so a drained list
// gives its memory back.
func (l *List) shrink() {
	if len(l.buf) > 64 && l.n*4 < len(l.buf) {
		nb := make([]string, len(l.buf)/2)
		for i := range l.n {
			nb[i] = l.buf[l.idx(i)]
		}
		l.buf, l.head = nb, 0
	}
}

// PushLeft inserts v at the head.
func (l *List) PushLeft(v string) {
	l.grow(1)
	l.head = (l.head - 1) & (len(l.buf) - 1)
	l.buf[l.head] = v
	l.n++
	l.bytes += int64(len(v)) + 16
	l.own.Changed(l.MemSize())
}

// PushRight appends v.
func (l *List) PushRight(v string) {
	l.grow(1)
	l.buf[l.idx(l.n)] = v
	l.n++
	l.bytes += int64(len(v)) + 16
	l.own.Changed(l.MemSize())
}

// PopLeft removes and returns the head; the list must not be empty.
func (l *List) PopLeft() string {
	v := l.buf[l.head]
	l.buf[l.head] = ""
	l.head = (l.head + 1) & (len(l.buf) - 1)
	l.n--
	l.bytes -= int64(len(v)) + 16
	l.shrink()
	l.own.Changed(l.MemSize())
	return v
}

// PopRight removes and returns the tail; the list must not be empty.
func (l *List) PopRight() string {
	i := l.idx(l.n - 1)
	v := l.buf[i]
	l.buf[i] = ""
	l.n--
	l.bytes -= int64(len(v)) + 16
	l.shrink()
	l.own.Changed(l.MemSize())
	return v
}

// At returns element i (0-based from the head); i must be in range.
func (l *List) At(i int) string { return l.buf[l.idx(i)] }

// Set replaces element i; i must be in range. It counts a change even when
// v equals the old element, as Redis's LSET does.
func (l *List) Set(i int, v string) {
	j := l.idx(i)
	l.bytes += int64(len(v)) - int64(len(l.buf[j]))
	l.buf[j] = v
	l.own.Changed(l.MemSize())
}

// Slice returns elements from..to (inclusive) as a new slice.
func (l *List) Slice(from, to int) []string {
	if from > to {
		return []string{}
	}
	out := make([]string, 0, to-from+1)
	for i := from; i <= to; i++ {
		out = append(out, l.At(i))
	}
	return out
}

// Replace sets the list's contents to vs (LINSERT, LREM, LTRIM rebuild).
// Contents equal to vs are left alone and count no change.
func (l *List) Replace(vs []string) {
	if l.equal(vs) {
		return
	}
	l.buf, l.head, l.n, l.bytes = nil, 0, 0, 0
	l.grow(len(vs))
	copy(l.buf, vs)
	l.n = len(vs)
	for _, v := range vs {
		l.bytes += int64(len(v)) + 16
	}
	l.own.Changed(l.MemSize())
}

// equal reports whether the list holds exactly vs.
func (l *List) equal(vs []string) bool {
	if l.n != len(vs) {
		return false
	}
	for i, v := range vs {
		if l.At(i) != v {
			return false
		}
	}
	return true
}

// Trim keeps elements from..to (inclusive), dropping the rest from both
// ends in O(dropped). Each element dropped counts (through the pops), so
// a Trim that drops nothing counts nothing.
func (l *List) Trim(from, to int) {
	if from > to || from >= l.n {
		for l.n > 0 {
			l.PopRight()
		}
		return
	}
	for range l.n - 1 - to {
		l.PopRight()
	}
	for range from {
		l.PopLeft()
	}
}
