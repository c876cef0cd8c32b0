package bitcmd

import (
	"encoding/binary"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

type bitOp int

const (
	opAnd bitOp = iota
	opOr
	opXor
	opNot
)

func parseBitOp(arg []byte) (bitOp, bool) {
	switch arg = cString(arg); {
	case command.Eq(arg, "and"):
		return opAnd, true
	case command.Eq(arg, "or"):
		return opOr, true
	case command.Eq(arg, "xor"):
		return opXor, true
	case command.Eq(arg, "not"):
		return opNot, true
	}
	return 0, false
}

// cmdBitop: BITOP AND|OR|XOR|NOT destkey key [key ...]. A missing source
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
// word at a time where every source has the word.
func bitopCompute(op bitOp, srcs [][]byte, n int) []byte {
	res := make([]byte, n)
	minLen := n
	for _, s := range srcs {
		minLen = min(minLen, len(s))
	}
	words := minLen &^ 7
	copy(res[:words], srcs[0])
	for j := 0; j < words; j += 8 {
		w := binary.LittleEndian.Uint64(res[j:])
		for _, s := range srcs[1:] {
			w = applyOp(op, w, binary.LittleEndian.Uint64(s[j:]))
		}
		if op == opNot {
			w = ^w
		}
		binary.LittleEndian.PutUint64(res[j:], w)
	}
	for j := words; j < n; j++ {
		out := byteAt(srcs[0], j)
		for _, s := range srcs[1:] {
			out = byte(applyOp(op, uint64(out), uint64(byteAt(s, j))))
		}
		if op == opNot {
			out = ^out
		}
		res[j] = out
	}
	return res
}

func applyOp(op bitOp, a, b uint64) uint64 {
	switch op {
	case opAnd:
		return a & b
	case opOr:
		return a | b
	case opXor:
		return a ^ b
	}
	return a // NOT has one source
}

// byteAt returns s[j], or 0 past the end of s (a shorter source is padded).
func byteAt(s []byte, j int) byte {
	if j < len(s) {
		return s[j]
	}
	return 0
}
