package bitcmd

import (
	"github.com/larder-db/larder/command"
)

const errBitArg command.Error = "ERR The bit argument must be 1 or 0."

// parseUnit reads BITCOUNT's and BITPOS's BYTE|BIT argument: true for BIT.
// Like every keyword of bitops.c it is compared as a C string.
func parseUnit(arg []byte) (bool, error) {
	switch arg = cString(arg); {
	case command.Eq(arg, "bit"):
		return true, nil
	case command.Eq(arg, "byte"):
		return false, nil
	}
	return false, command.ErrSyntax
}

// cmdBitcount: BITCOUNT key [start end [BYTE | BIT]], with Redis 7.0's
// order of checks: a missing key answers 0 before any argument is read,
// and a range of two negative indexes in the wrong order answers 0
// before the unit is.
func cmdBitcount(c *command.Call) error {
	e, err := stringValue(c, c.Args[1])
	if err != nil || e == nil {
		if err == nil {
			c.R.Int(0)
		}
		return err
	}
	p := e.Str()
	lo, hi := int64(0), int64(len(p))*8-1
	switch len(c.Args) {
	case 2:
	case 4, 5:
		start, end, err := command.IntPair(c.Args[2], c.Args[3])
		if err != nil {
			return err
		}
		if start < 0 && end < 0 && start > end {
			c.R.Int(0)
			return nil
		}
		isBit := false
		if len(c.Args) == 5 {
			if isBit, err = parseUnit(c.Args[4]); err != nil {
				return err
			}
		}
		lo, hi = unitRange(start, end, int64(len(p)), isBit)
	default:
		return command.ErrSyntax
	}
	if lo > hi {
		c.R.Int(0)
		return nil
	}
	c.R.Int(countBits(p, lo, hi))
	return nil
}

// unitRange clamps a byte or bit range over a string of n bytes and
// returns it as bit positions lo..hi (empty when lo > hi).
func unitRange(start, end, n int64, isBit bool) (int64, int64) {
	if isBit {
		return clampRange(start, end, n*8)
	}
	start, end = clampRange(start, end, n)
	if start > end {
		return 0, -1
	}
	return start * 8, end*8 + 7
}

// cmdBitpos: BITPOS key bit [start [end [BYTE | BIT]]]
func cmdBitpos(c *command.Call) error {
	b, err := command.IntArg(c.Args[2])
	if err != nil {
		return err
	}
	if b != 0 && b != 1 {
		return errBitArg
	}
	bit := b == 1
	e, err := stringValue(c, c.Args[1])
	if err != nil {
		return err
	}
	if e == nil { // an endless run of zeros
		c.R.Int(-command.BoolInt(bit))
		return nil
	}
	p := e.Str()
	lo, hi, endGiven, err := bitposRange(c.Args[3:], int64(len(p)))
	if err != nil {
		return err
	}
	if lo > hi {
		c.R.Int(-1)
		return nil
	}
	pos := findBit(p, lo, hi, bit)
	if pos == -1 && !bit && !endGiven {
		pos = hi + 1 // no end: the string goes on with zero bits
	}
	c.R.Int(pos)
	return nil
}

// bitposRange parses BITPOS's [start [end [BYTE | BIT]]] over a string of
// n bytes into bit positions lo..hi, in Redis 7.0's order: start, the
// unit, then end.
func bitposRange(args [][]byte, n int64) (lo, hi int64, endGiven bool, err error) {
	if len(args) == 0 {
		return 0, n*8 - 1, false, nil
	}
	if len(args) > 3 {
		return 0, 0, false, command.ErrSyntax
	}
	start, err := command.IntArg(args[0])
	if err != nil {
		return 0, 0, false, err
	}
	isBit := false
	if len(args) == 3 {
		if isBit, err = parseUnit(args[2]); err != nil {
			return 0, 0, false, err
		}
	}
	end := n - 1
	if len(args) >= 2 {
		if end, err = command.IntArg(args[1]); err != nil {
			return 0, 0, false, err
		}
		endGiven = true
	}
	lo, hi = unitRange(start, end, n, isBit)
	return lo, hi, endGiven, nil
}
