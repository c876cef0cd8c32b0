package keycmd

import (
	"bytes"
	"math"
	"slices"
	"strings"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

// SORT and SORT_RO, as Redis 7.0's sortCommandGeneric. BY and GET patterns
// name keys the key positions cannot declare, so both rows lock every
// shard of the database (FlagAllShards).

func sortCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "sort", Arity: -2, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagMovableKeys | command.FlagAllShards, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSet | command.ACLSortedSet | command.ACLList | command.ACLSlow | command.ACLDangerous, Keys: sortKeys, Handler: cmdSort},
		{Name: "sort_ro", Arity: -2, Flags: command.FlagReadOnly | command.FlagMovableKeys | command.FlagAllShards, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSet | command.ACLSortedSet | command.ACLList | command.ACLSlow | command.ACLDangerous, Keys: sortKeys, Handler: cmdSortRO},
	}
}

// sortKeys: the sorted key and the last STORE's destination, skipping
// the arguments of LIMIT, GET and BY as Redis's sortGetKeys does.
func sortKeys(args [][]byte) []int {
	store := 0
	for i := 2; i < len(args); i++ {
		switch {
		case command.Eq(args[i], "limit"):
			i += 2
		case command.Eq(args[i], "get"), command.Eq(args[i], "by"):
			i++
		case command.Eq(args[i], "store") && i+1 < len(args):
			store = i + 1
		}
	}
	if store > 0 {
		return []int{1, store}
	}
	return []int{1}
}

type sortOpts struct {
	desc, alpha, dontsort bool
	start, count          int64 // LIMIT; count -1: all
	store, by             []byte
	gets                  [][]byte
}

// parseSort reads SORT's options; fullRead says the user may read every
// key, which BY and GET patterns need (Redis's ACL rule).
func parseSort(args [][]byte, readonly, fullRead bool) (sortOpts, error) {
	o := sortOpts{count: -1}
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		switch a := args[j]; {
		case command.Eq(a, "asc"):
			o.desc = false
		case command.Eq(a, "desc"):
			o.desc = true
		case command.Eq(a, "alpha"):
			o.alpha = true
		case command.Eq(a, "limit") && left >= 2:
			var err error
			if o.start, o.count, err = command.IntPair(args[j+1], args[j+2]); err != nil {
				return o, err
			}
			j += 2
		case !readonly && command.Eq(a, "store") && left >= 1:
			o.store = args[j+1]
			j++
		case command.Eq(a, "by") && left >= 1:
			o.by = args[j+1]
			o.dontsort = bytes.IndexByte(o.by, '*') < 0
			if !o.dontsort && !fullRead {
				return o, command.Error("ERR BY option of SORT denied due to insufficient ACL permissions.")
			}
			j++
		case command.Eq(a, "get") && left >= 1:
			if !fullRead {
				return o, command.Error("ERR GET option of SORT denied due to insufficient ACL permissions.")
			}
			o.gets = append(o.gets, args[j+1])
			j++
		default:
			return o, command.ErrSyntax
		}
	}
	return o, nil
}

func cmdSort(c *command.Call) error   { return sortGeneric(c, false) }
func cmdSortRO(c *command.Call) error { return sortGeneric(c, true) }

// sortGeneric: SORT key [BY pattern] [LIMIT offset count] [GET pattern ...]
// [ASC|DESC] [ALPHA] [STORE destination]
func sortGeneric(c *command.Call, readonly bool) error {
	o, err := parseSort(c.Args, readonly, c.D.FullKeyRead(c))
	if err != nil {
		return err
	}
	e := c.Lookup(c.Args[1])
	if e != nil && e.Kind() != keyspace.KindList && e.Kind() != keyspace.KindSet && e.Kind() != keyspace.KindZSet {
		return keyspace.ErrWrongType
	}
	if o.dontsort && e != nil && e.Kind() == keyspace.KindSet && (o.store != nil || c.S.FromScript()) {
		// A set's order must not leak into a stored list or a script's result.
		o.dontsort, o.alpha, o.by = false, true, nil
	}
	if e != nil && e.Kind() == keyspace.KindZSet {
		command.ZsetOf(e).ToSkiplist() // Redis converts a sorted set it sorts, for good
	}
	elems := sortElements(e, o.desc && o.dontsort)
	start, end := sortLimit(o.start, o.count, len(elems))
	if !o.dontsort {
		if err := sortVector(c, elems, o); err != nil {
			return err
		}
	}
	var out []string
	if start <= end {
		out = elems[start : end+1]
	}
	if o.store != nil {
		return sortStore(c, o, out)
	}
	n := len(out)
	if len(o.gets) > 0 {
		n *= len(o.gets)
	}
	c.R.Array(n)
	for _, el := range out {
		if len(o.gets) == 0 {
			c.R.BulkString(el)
		}
		for _, g := range o.gets {
			if v, ok := byPattern(c, g, el); ok {
				c.R.BulkString(v)
			} else {
				c.R.Null()
			}
		}
	}
	return nil
}

// sortElements lists what SORT sorts: a list or sorted set in its order
// (reversed when rev: BY nosort DESC), a set in its iteration order.
func sortElements(e *keyspace.Entry, rev bool) []string {
	var out []string
	switch {
	case e == nil:
	case e.Kind() == keyspace.KindList:
		l := command.ListOf(e)
		out = l.Slice(0, l.Len()-1)
	case e.Kind() == keyspace.KindSet:
		return command.SetOf(e).Members()
	default:
		command.ZsetOf(e).Each(func(it keyspace.ZItem) bool { out = append(out, it.Member); return true })
	}
	if rev {
		slices.Reverse(out)
	}
	return out
}

// sortLimit is SORT's LIMIT sanity check; start > end means nothing.
func sortLimit(offset, count int64, n int) (int, int) {
	start := max(offset, 0)
	end := int64(n) - 1
	if count >= 0 {
		end = start + count - 1
	}
	if start >= int64(n) {
		start, end = int64(n)-1, int64(n)-2
	}
	end = min(end, int64(n)-1)
	return int(start), int(end)
}

// sortVector sorts elems in place by their weights (or themselves).
func sortVector(c *command.Call, elems []string, o sortOpts) error {
	type item struct {
		el    string
		score float64
		cmp   *string
	}
	items := make([]item, len(elems))
	for i, el := range elems {
		items[i].el = el
		by, ok := el, true
		if o.by != nil {
			by, ok = byPattern(c, o.by, el)
		}
		switch {
		case !ok:
		case o.alpha:
			if o.by != nil {
				items[i].cmp = &by
			}
		default:
			v, fine, erange := command.Strtod([]byte(by))
			if !fine || erange || math.IsNaN(v) {
				return command.Error("ERR One or more scores can't be converted into double")
			}
			items[i].score = v
		}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		var r int
		switch {
		case !o.alpha:
			r = cmpFloat(a.score, b.score)
			if r == 0 {
				r = strings.Compare(a.el, b.el)
			}
		case o.by != nil && (a.cmp == nil || b.cmp == nil):
			r = command.BoolN(a.cmp != nil) - command.BoolN(b.cmp != nil)
		case o.by != nil:
			r = strings.Compare(*a.cmp, *b.cmp)
		default:
			r = strings.Compare(a.el, b.el)
		}
		if o.desc {
			return -r
		}
		return r
	})
	for i := range items {
		elems[i] = items[i].el
	}
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// byPattern is lookupKeyByPattern: "#" is the element itself; otherwise
// the first '*' takes the element, and "->field" reads a hash field. A
// pattern without '*' names nothing.
func byPattern(c *command.Call, pattern []byte, el string) (string, bool) {
	if string(pattern) == "#" {
		return el, true
	}
	star := bytes.IndexByte(pattern, '*')
	if star < 0 {
		return "", false
	}
	keyPat, field := pattern, []byte(nil)
	if f := bytes.Index(pattern[star+1:], []byte("->")); f >= 0 && star+1+f+2 < len(pattern) {
		keyPat, field = pattern[:star+1+f], pattern[star+1+f+2:]
	}
	key := append(append(append([]byte{}, keyPat[:star]...), el...), keyPat[star+1:]...)
	e := c.DB().LookupAt(key, c.NowMs(), true)
	switch {
	case e == nil:
		return "", false
	case field != nil && e.Kind() == keyspace.KindHash:
		return command.HashOf(e).Get(field, c.NowMs())
	case field == nil && e.Kind() == keyspace.KindString:
		return string(e.Str()), true
	}
	return "", false
}

// sortStore writes SORT's result as a list at o.store (GET values that are
// missing become empty strings), or deletes it for an empty result.
func sortStore(c *command.Call, o sortOpts, out []string) error {
	l := keyspace.NewList()
	for _, el := range out {
		if len(o.gets) == 0 {
			l.PushRight(el)
		}
		for _, g := range o.gets {
			v, _ := byPattern(c, g, el)
			l.PushRight(v)
		}
	}
	c.LookupWrite(o.store)
	if l.Len() > 0 {
		c.DB().SetObject(o.store, keyspace.KindList, l)
		c.Notify(command.NotifyList, "sortstore", o.store)
	} else if c.DB().Delete(o.store) {
		c.Notify(command.NotifyGeneric, "del", o.store)
	}
	c.R.Int(int64(l.Len()))
	return nil
}
