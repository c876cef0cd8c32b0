package bitcmd

import (
	"encoding/binary"
	"strings"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

type bitOp int

const (
	opAnd bitOp = iota
	opOr
	opXor
	opNot
	// Redis 8.2's operations (from the redis.io documentation; 7.0 has none).
	opDiff  // X and none of the others: X ∧ ¬(Y1 ∨ Y2 ∨ …)
	opDiff1 // any of the others and not X: ¬X ∧ (Y1 ∨ Y2 ∨ …)
	opAndOr // X and any of the others: X ∧ (Y1 ∨ Y2 ∨ …)
	opOne   // set in exactly one source
)

// bitOpNames are the operations in bitOp order, lower case as command.Eq
// compares them (a client may send any case; error texts upper-case them).
var bitOpNames = [...]string{"and", "or", "xor", "not", "diff", "diff1", "andor", "one"}

func parseBitOp(arg []byte) (bitOp, bool) {
	arg = cString(arg)
	for i, name := range bitOpNames {
		if command.Eq(arg, name) {
			return bitOp(i), true
		}
	}
	return 0, false
}

// cmdBitop: BITOP AND|OR|XOR|NOT|DIFF|DIFF1|ANDOR|ONE destkey key [key ...]. A missing source
// is a string of zero bytes; the result is as long as the longest source,
// shorter ones padded with zeros. An empty result deletes destkey.
func cmdBitop(c *command.Call) error {
	op, ok := parseBitOp(c.Args[1])
	if !ok {
		return command.ErrSyntax
	}
	if op == opNot && len(c.Args) != 4 {
		return command.Error("ERR BITOP NOT must be called with a single source key.")
	}
	if (op == opDiff || op == opDiff1 || op == opAndOr) && len(c.Args) < 5 {
		return command.Error("ERR BITOP " + strings.ToUpper(bitOpNames[op]) + " must be called with at least two source keys.")
	}
	dst := c.Args[2]
	srcs, maxLen, err := bitopSources(c, c.Args[3:])
	if err != nil {
		return err
	}
	db := c.DB()
	if maxLen == 0 {
		if db.Delete(dst) {
			c.Notify(command.NotifyGeneric, "del", dst)
		}
		c.R.Int(0)
		return nil
	}
	if err := command.CheckRecordSize(c, int64(maxLen)); err != nil {
		return err
	}
	res := bitopCompute(op, srcs, maxLen)
	c.LookupWrite(dst) // as Redis's setKey: an expired destination goes first
	e := db.SetString(dst, nil, false)
	db.UpdateString(e, res, keyspace.EncRaw) // Redis stores a new raw string
	c.Notify(command.NotifyString, "set", dst)
	c.R.Int(int64(maxLen))
	return nil
}

// bitopSources returns the source strings (nil for a missing key) and the
// longest length, stopping at the first key that holds another type.
// Sources are looked up for the write (an expired one is removed and
// journaled, so replay sees the same sources) and counted as reads, as
// Redis's lookupKeyRead counts them.
func bitopSources(c *command.Call, keys [][]byte) ([][]byte, int, error) {
	srcs := make([][]byte, len(keys))
	maxLen := 0
	for i, k := range keys {
		e := c.LookupWrite(k)
		if e == nil {
			c.Miss()
			continue
		}
		c.Hit()
		if e.Kind() != keyspace.KindString {
			return nil, 0, keyspace.ErrWrongType
		}
		srcs[i] = e.Str()
		maxLen = max(maxLen, len(srcs[i]))
	}
	return srcs, maxLen, nil
}

// bitopCompute returns op over srcs into a new string of n bytes, a 64-bit
// word at a time where every source has the word, then byte by byte (a
// source shorter than n reads as zeros past its end).
func bitopCompute(op bitOp, srcs [][]byte, n int) []byte {
	res := make([]byte, n)
	minLen := n
	for _, s := range srcs {
		minLen = min(minLen, len(s))
	}
	words := minLen &^ 7
	j := 0
	word := func(s []byte) uint64 { return binary.LittleEndian.Uint64(s[j:]) }
	for ; j < words; j += 8 {
		binary.LittleEndian.PutUint64(res[j:], combine(op, srcs, word))
	}
	octet := func(s []byte) uint64 { return uint64(byteAt(s, j)) }
	for ; j < n; j++ {
		res[j] = byte(combine(op, srcs, octet))
	}
	return res
}

// combine applies op to the same word (or byte) of every source, read
// with at.
func combine(op bitOp, srcs [][]byte, at func([]byte) uint64) uint64 {
	x := at(srcs[0])
	switch op {
	case opNot:
		return ^x
	case opOne: // once: seen in some source; twice: seen in two or more
		once, twice := x, uint64(0)
		for _, s := range srcs[1:] {
			v := at(s)
			twice |= once & v
			once |= v
		}
		return once &^ twice
	case opDiff, opDiff1, opAndOr:
		var others uint64
		for _, s := range srcs[1:] {
			others |= at(s)
		}
		switch op {
		case opDiff:
			return x &^ others
		case opDiff1:
			return others &^ x
		}
		return x & others
	}
	for _, s := range srcs[1:] {
		switch v := at(s); op {
		case opAnd:
			x &= v
		case opOr:
			x |= v
		default: // opXor
			x ^= v
		}
	}
	return x
}

// byteAt returns s[j], or 0 past the end of s (a shorter source is padded).
func byteAt(s []byte, j int) byte {
	if j < len(s) {
		return s[j]
	}
	return 0
}
