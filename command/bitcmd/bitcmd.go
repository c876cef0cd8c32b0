package bitcmd

import (
	"bytes"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// Commands returns the bitmap family's rows.
func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "setbit", Arity: 4, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLBitmap | command.ACLSlow, Handler: cmdSetbit},
		{Name: "getbit", Arity: 3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLBitmap | command.ACLFast, Handler: cmdGetbit},
		{Name: "bitcount", Arity: -2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLBitmap | command.ACLSlow, Handler: cmdBitcount},
		{Name: "bitpos", Arity: -3, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLBitmap | command.ACLSlow, Handler: cmdBitpos},
		{Name: "bitop", Arity: -4, Flags: command.FlagWrite | command.FlagDenyOOM, First: 2, Last: -1, Step: 1,
			ACL: command.ACLWrite | command.ACLBitmap | command.ACLSlow, Handler: cmdBitop},
		{Name: "bitfield", Arity: -2, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLBitmap | command.ACLSlow, KeyFlags: bitfieldKeyFlags, Handler: cmdBitfield},
		{Name: "bitfield_ro", Arity: -2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLBitmap | command.ACLFast, Handler: cmdBitfieldRO},
	}
}

// Error texts of bitops.c, byte for byte.
const (
	errBitOffset command.Error = "ERR bit offset is not an integer or out of range"
	errBitValue  command.Error = "ERR bit is not an integer or out of range"
)

// parseBitOffset is Redis's getBitOffsetFromArgument: a non-negative bit
// offset whose byte lies below proto-max-bulk-len. With hash (BITFIELD),
// "#n" means n*bits; the product wraps as Redis's does.
func parseBitOffset(c *command.Call, arg []byte, hash bool, bits int64) (int64, error) {
	useHash := hash && bits > 0 && len(arg) > 0 && arg[0] == '#'
	if useHash {
		arg = arg[1:]
	}
	off, ok := command.ParseInt(arg)
	if !ok {
		return 0, errBitOffset
	}
	if useHash {
		off *= bits
	}
	if off < 0 || off>>3 >= c.D.Cfg.Int("proto-max-bulk-len") {
		return 0, errBitOffset
	}
	return off, nil
}

// stringValue returns the live string entry of key for a read, nil when
// missing, or ErrWrongType.
func stringValue(c *command.Call, key []byte) (*keyspace.Entry, error) {
	e := c.Lookup(key)
	if e != nil && e.Kind() != keyspace.KindString {
		return nil, keyspace.ErrWrongType
	}
	return e, nil
}

// bitTarget is the string a bit write edits: Redis's
// lookupStringForBitCommand, which creates the key or pads it with zero
// bytes so that bit maxbit is addressable, before the command looks at a
// single bit. buf is the padded value; it becomes the entry's value only
// through commit.
type bitTarget struct {
	key   []byte
	e     *keyspace.Entry // nil when the key does not exist yet
	buf   []byte
	grown bool // created, or padded longer (Redis's dirty)
}

// lookupBitTarget finds key for a bit write reaching bit maxbit: WRONGTYPE
// on a non-string; Upstash's record limit on a value that would grow past
// it.
func lookupBitTarget(c *command.Call, key []byte, maxbit int64) (*bitTarget, error) {
	e := c.LookupWrite(key)
	if e != nil && e.Kind() != keyspace.KindString {
		return nil, keyspace.ErrWrongType
	}
	t := &bitTarget{key: key, e: e}
	need := int(maxbit>>3) + 1
	var cur []byte
	if e != nil {
		cur = e.Str()
	}
	if need <= len(cur) {
		t.buf = cur
		t.grown = e == nil
		return t, nil
	}
	if err := command.CheckRecordSize(c, int64(need)); err != nil {
		return nil, err
	}
	t.grown = true
	if need <= cap(cur) {
		t.buf = cur[:need]
		clear(t.buf[len(cur):])
		return t, nil
	}
	t.buf = make([]byte, need, growCap(len(cur), need))
	copy(t.buf, cur)
	return t, nil
}

// growCap is the capacity for a string of n bytes growing to need: exact
// for a new key, else with room to spare as Redis's sdsMakeRoomFor leaves
// (double up to 1 MB, then 1 MB more), so a bitmap set bit by bit upwards
// is not copied once per byte.
func growCap(n, need int) int {
	const mb = 1 << 20
	switch {
	case n == 0:
		return need
	case need < mb:
		return 2 * need
	}
	return need + mb
}

// commit makes the edited buf the key's value when anything changed: the
// key was created or padded, or changed says a bit changed. The value
// becomes raw, as Redis unshares it into a raw string before editing. A
// write that changed nothing is not a change (Redis does not count it),
// yet the value is raw afterwards all the same.
func (t *bitTarget) commit(c *command.Call, changed bool) {
	db := c.DB()
	if !t.grown && !changed {
		if t.e != nil {
			db.MarkStringRaw(t.e)
		}
		return
	}
	if t.e == nil {
		t.e = db.SetString(t.key, nil, false)
	}
	db.UpdateString(t.e, t.buf, keyspace.EncRaw)
}

// bitfieldKeyFlags is Redis's bitfieldGetKeys, for COMMAND GETKEYSANDFLAGS:
// read-only access when every subcommand is a GET (or OVERFLOW), else a
// read-write update; a syntax error counts as a write.
func bitfieldKeyFlags(argv [][]byte) []string {
	for i := 2; i < len(argv); i++ {
		rem := len(argv) - i - 1
		switch {
		case command.Eq(argv[i], "get") && rem >= 2:
			i += 2
		case command.Eq(argv[i], "overflow") && rem >= 1:
			i++
		default:
			return []string{"RW", "access", "update"}
		}
	}
	return []string{"RO", "access"}
}

// cString is the argument as C's strlen sees it: up to its first NUL byte.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
