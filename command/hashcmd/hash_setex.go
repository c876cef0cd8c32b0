package hashcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

// HGETEX and HSETEX (Redis 8.0; see hash_expire.go for how they are
// checked without an oracle).

// Expiry options of HGETEX/HSETEX.
const (
	hxEX = 1 << iota
	hxPX
	hxEXAT
	hxPXAT
	hxPersist
	hxKeepTTL
	hxFXX
	hxFNX
	hxTime = hxEX | hxPX | hxEXAT | hxPXAT
)

// hashTimeOption parses the time of EX/PX/EXAT/PXAT at arg.
func hashTimeOption(c *command.Call, flag int, arg []byte) (int64, error) {
	base := int64(0)
	if flag&(hxEX|hxPX) != 0 {
		base = c.NowMs()
	}
	return parseHashExpire(c, arg, flag&(hxPX|hxPXAT) != 0, base)
}

// timeFlag maps an option name to its flag, 0 when it is not one of
// EX PX EXAT PXAT.
func timeFlag(arg []byte) int {
	for i, name := range []string{"ex", "px", "exat", "pxat"} {
		if command.Eq(arg, name) {
			return hxEX << i
		}
	}
	return 0
}

// cmdHgetex: HGETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST] FIELDS numfields field [field ...]
func cmdHgetex(c *command.Call) error {
	key := c.Args[1]
	e, err := hashWrite(c, key)
	if err != nil {
		return err
	}
	flag, at, fieldsAt := timeFlag(c.Args[2]), int64(0), 2
	switch {
	case flag != 0:
		if at, err = hashTimeOption(c, flag, c.Args[3]); err != nil {
			return err
		}
		fieldsAt = 4
	case command.Eq(c.Args[2], "persist"):
		flag, fieldsAt = hxPersist, 3
	}
	first, err := parseFieldsBlock(c, fieldsAt, errNumFieldsPos)
	if err != nil {
		return err
	}
	fields := c.Args[first:]
	if e == nil {
		c.R.Array(len(fields))
		for range fields {
			c.R.Null()
		}
		return nil
	}
	h, now := command.HashOf(e), c.NowMs()
	var changed, deleted [][]byte
	c.R.Array(len(fields))
	for _, f := range fields {
		v, ok := h.Get(f, now)
		if !ok {
			c.R.Null()
			continue
		}
		c.R.BulkString(v)
		switch {
		case flag == hxPersist:
			if h.Persist(f) {
				changed = append(changed, f)
			}
		case flag != 0 && at <= now:
			h.Delete(f)
			deleted = append(deleted, f)
		case flag != 0:
			h.SetTTL(f, at)
			changed = append(changed, f)
		}
	}
	if n := len(changed) + len(deleted); n > 0 {
		journalHdel(c, key, deleted)
		if flag == hxPersist {
			journalFields(c, "HPERSIST", key, nil, changed)
			c.FieldEvents(key, len(changed), "hpersist", len(deleted))
		} else {
			journalFields(c, "HPEXPIREAT", key, [][]byte{strconv.AppendInt(nil, at, 10)}, changed)
			c.FieldEvents(key, len(changed), "hexpire", len(deleted))
		}
		hashChanged(c, key, e)
	}
	return nil
}

// hsetexArgs is the parsed form of HSETEX's options.
type hsetexArgs struct {
	flags int
	at    int64
	first int // position of the first field
}

// parseHsetex is Redis's hsetexParseArgs: options in any order until FIELDS,
// whose count must match the field/value pairs exactly.
func parseHsetex(c *command.Call) (hsetexArgs, error) {
	var a hsetexArgs
	const expiry = hxTime | hxKeepTTL
	for i := 2; i < len(c.Args); i++ {
		arg := c.Args[i]
		switch f := timeFlag(arg); {
		case command.Eq(arg, "fields"):
			if i >= len(c.Args)-3 {
				return a, command.WrongArgs(c.Spec.Name)
			}
			n, ok := command.ParseInt(c.Args[i+1])
			if !ok || n < 1 || n > 1<<31-1 {
				return a, command.Error("ERR invalid number of fields")
			}
			rest := len(c.Args) - i - 2
			if rest%2 != 0 || n != int64(rest/2) {
				return a, command.WrongArgs(c.Spec.Name)
			}
			a.first = i + 2
			return a, nil
		case f != 0 || command.Eq(arg, "keepttl"):
			if a.flags&expiry != 0 {
				return a, command.Error("ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified")
			}
			if f == 0 {
				a.flags |= hxKeepTTL
				continue
			}
			if i >= len(c.Args)-1 {
				return a, command.Error("ERR missing expire time")
			}
			at, err := hashTimeOption(c, f, c.Args[i+1])
			if err != nil {
				return a, err
			}
			a.flags, a.at = a.flags|f, at
			i++
		case command.Eq(arg, "fxx") || command.Eq(arg, "fnx"):
			if a.flags&(hxFXX|hxFNX) != 0 {
				return a, command.Error("ERR Only one of FXX or FNX arguments can be specified")
			}
			a.flags |= hxFNX
			if command.Eq(arg, "fxx") {
				a.flags ^= hxFNX | hxFXX
			}
		default:
			return a, command.Error("ERR unknown argument: " + string(arg))
		}
	}
	return a, command.ErrSyntax // unreachable with arity -6, kept for safety
}

// cmdHsetex: HSETEX key [FNX | FXX] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] FIELDS numfields field value [field value ...]
//
// Replies 1 when every field was set, 0 when FNX/FXX refused them all.
// Journaled as HSETEX key [PXAT ms | KEEPTTL] FIELDS n field value ...
func cmdHsetex(c *command.Call) error {
	a, err := parseHsetex(c)
	if err != nil {
		return err
	}
	key := c.Args[1]
	e, err := hashWrite(c, key)
	if err != nil {
		return err
	}
	if e == nil && a.flags&hxFXX != 0 {
		c.R.Int(0)
		return nil
	}
	if e != nil && a.flags&(hxFXX|hxFNX) != 0 && !hsetexCondition(command.HashOf(e), c.Args[a.first:], a.flags&hxFXX != 0, c.NowMs()) {
		c.R.Int(0)
		return nil
	}
	if e == nil {
		e = c.DB().SetObject(key, keyspace.KindHash, keyspace.NewHash())
	}
	h, now := command.HashOf(e), c.NowMs()
	me, mv := hashLimits(c)
	keep := a.flags&(hxTime|hxKeepTTL) != 0
	for i := a.first; i < len(c.Args); i += 2 {
		f := c.Args[i]
		h.Set(f, c.Args[i+1], keep, me, mv)
		if a.flags&hxTime != 0 {
			if a.at <= now {
				h.Delete(f)
			} else {
				h.SetTTL(f, a.at)
			}
		}
	}
	c.Journal(hsetexJournal(key, a, c.Args[a.first:])...)
	c.Notify(command.NotifyHash, "hset", key)
	if a.flags&hxTime != 0 {
		c.Notify(command.NotifyHash, "hexpire", key)
	}
	hashChanged(c, key, e)
	c.R.Int(1)
	return nil
}

// hsetexCondition reports whether FXX (every field exists) or FNX (none
// does) holds for the field/value pairs.
func hsetexCondition(h *keyspace.Hash, pairs [][]byte, fxx bool, now int64) bool {
	for i := 0; i < len(pairs); i += 2 {
		if h.Has(pairs[i], now) != fxx {
			return false
		}
	}
	return true
}

// hsetexJournal is the effect record of an HSETEX that applied: the same
// pairs with the time made absolute (a past PXAT deletes on replay too).
func hsetexJournal(key []byte, a hsetexArgs, pairs [][]byte) [][]byte {
	argv := [][]byte{[]byte("HSETEX"), key}
	switch {
	case a.flags&hxTime != 0:
		argv = append(argv, []byte("PXAT"), strconv.AppendInt(nil, a.at, 10))
	case a.flags&hxKeepTTL != 0:
		argv = append(argv, []byte("KEEPTTL"))
	}
	argv = append(argv, []byte("FIELDS"), strconv.AppendInt(nil, int64(len(pairs)/2), 10))
	return append(argv, pairs...)
}
