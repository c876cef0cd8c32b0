package streamcmd

import (
	"slices"

	"github.com/tidwall/btree"
)

// group is a consumer group: its last delivered ID, its read counter
// (entriesRead, -1 when unknown), its pending entries (PEL) by ID and its
// consumers.
type group struct {
	name        string
	lastID      ID
	entriesRead int64
	pel         *btree.BTreeG[*pending]
	consumers   map[string]*consumer
}

// pending is one delivered, not yet acknowledged entry.
type pending struct {
	id        ID
	delivered int64 // last delivery time, unix ms
	count     uint64
	owner     *consumer
}

// consumer is one consumer of a group with its own pending entries.
type consumer struct {
	name     string
	seenTime int64
	pel      *btree.BTreeG[*pending]
}

func pendingByID(a, b *pending) bool { return a.id.Less(b.id) }

func newPEL() *btree.BTreeG[*pending] {
	return btree.NewBTreeGOptions(pendingByID, btree.Options{NoLocks: true})
}

func newGroup(name string, last ID, entriesRead int64) *group {
	return &group{name: name, lastID: last, entriesRead: entriesRead, pel: newPEL(), consumers: map[string]*consumer{}}
}

// clone copies the group with its PEL and consumers.
func (g *group) clone() *group {
	c := newGroup(g.name, g.lastID, g.entriesRead)
	for name, cs := range g.consumers {
		c.consumers[name] = &consumer{name: name, seenTime: cs.seenTime, pel: newPEL()}
	}
	g.pel.Scan(func(p *pending) bool {
		cp := &pending{id: p.id, delivered: p.delivered, count: p.count, owner: c.consumers[p.owner.name]}
		c.pel.Set(cp)
		cp.owner.pel.Set(cp)
		return true
	})
	return c
}

// lookupPending returns the group's pending entry id, or nil.
func (g *group) lookupPending(id ID) *pending {
	p, _ := g.pel.Get(&pending{id: id})
	return p
}

// sortedGroups returns the group names in Redis's (rax) order.
func sortedGroups(s *Stream) []string {
	names := make([]string, 0, len(s.groups))
	for n := range s.groups {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// sortedConsumers returns the consumer names of g in Redis's order.
func sortedConsumers(g *group) []string {
	names := make([]string, 0, len(g.consumers))
	for n := range g.consumers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
