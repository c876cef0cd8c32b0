package bitcmd

import (
	"github.com/larder-db/larder/command"
)

// BITFIELD subcommands and OVERFLOW behaviours.
const (
	fieldGet = iota
	fieldSet
	fieldIncrby
)

const (
	overflowWrap = iota
	overflowSat
	overflowFail
)

const (
	errFieldType command.Error = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
	errOverflow  command.Error = "ERR Invalid OVERFLOW type specified"
	errFieldRO   command.Error = "ERR BITFIELD_RO only supports the GET subcommand"
)

// fieldOp is one GET, SET or INCRBY of a BITFIELD call.
type fieldOp struct {
	kind     int
	offset   int64
	value    int64 // SET's value or INCRBY's increment
	overflow int   // the OVERFLOW in force where the op appears
	bits     int
	signed   bool
}

// fieldResult is one element of BITFIELD's reply: a value, or null for a
// write that OVERFLOW FAIL refused.
type fieldResult struct {
	v    int64
	null bool
}

// cmdBitfield: BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL]
// SET type offset value | INCRBY type offset increment ...]
func cmdBitfield(c *command.Call) error { return bitfield(c, false) }

// cmdBitfieldRO: BITFIELD_RO key [GET type offset ...]
func cmdBitfieldRO(c *command.Call) error { return bitfield(c, true) }

// bitfield is Redis's bitfieldGeneric: every argument is checked first,
// then the ops run in order on one value, each seeing the ones before.
func bitfield(c *command.Call, readOnly bool) error {
	ops, maxbit, err := parseBitfield(c, c.Args[2:])
	if err != nil {
		return err
	}
	if maxbit < 0 { // GETs only
		e, err := stringValue(c, c.Args[1])
		if err != nil {
			return err
		}
		var p []byte
		if e != nil {
			p = e.Str()
		}
		replyFields(c, runFields(ops, p, false, nil))
		return nil
	}
	if readOnly {
		return errFieldRO
	}
	t, err := lookupBitTarget(c, c.Args[1], maxbit)
	if err != nil {
		return err
	}
	changes := 0
	results := runFields(ops, t.buf, t.grown, &changes)
	t.commit(c, changes > 0)
	if changes > 0 {
		c.Notify(command.NotifyString, "setbit", c.Args[1])
	}
	replyFields(c, results)
	return nil
}

func replyFields(c *command.Call, results []fieldResult) {
	c.R.Array(len(results))
	for _, r := range results {
		if r.null {
			c.R.Null()
		} else {
			c.R.Int(r.v)
		}
	}
}

// parseBitfield reads the subcommands; maxbit is the last bit a SET or
// INCRBY reaches, -1 when there is none.
func parseBitfield(c *command.Call, args [][]byte) ([]fieldOp, int64, error) {
	var ops []fieldOp
	maxbit, overflow := int64(-1), overflowWrap
	for j := 0; j < len(args); j++ {
		rem, name := len(args)-j-1, cString(args[j])
		op := fieldOp{overflow: overflow}
		switch {
		case command.Eq(name, "get") && rem >= 2:
			op.kind = fieldGet
		case command.Eq(name, "set") && rem >= 3:
			op.kind = fieldSet
		case command.Eq(name, "incrby") && rem >= 3:
			op.kind = fieldIncrby
		case command.Eq(name, "overflow") && rem >= 1:
			j++
			var err error
			if overflow, err = parseOverflow(args[j]); err != nil {
				return nil, 0, err
			}
			continue
		default:
			return nil, 0, command.ErrSyntax
		}
		if err := parseField(c, &op, args[j+1], args[j+2]); err != nil {
			return nil, 0, err
		}
		if op.kind != fieldGet {
			maxbit = max(maxbit, op.offset+int64(op.bits)-1)
			v, err := command.IntArg(args[j+3])
			if err != nil {
				return nil, 0, err
			}
			op.value = v
			j++
		}
		ops = append(ops, op)
		j += 2
	}
	return ops, maxbit, nil
}

func parseOverflow(arg []byte) (int, error) {
	switch name := cString(arg); {
	case command.Eq(name, "wrap"):
		return overflowWrap, nil
	case command.Eq(name, "sat"):
		return overflowSat, nil
	case command.Eq(name, "fail"):
		return overflowFail, nil
	}
	return 0, errOverflow
}

// parseField reads an op's type (Redis's getBitfieldTypeFromArgument: i1
// to i64, u1 to u63, read as C reads it, up to a NUL byte) and its offset
// (a bit offset, or #n for n times the width).
func parseField(c *command.Call, op *fieldOp, typ, offset []byte) error {
	typ = cString(typ)
	if len(typ) == 0 || (typ[0] != 'i' && typ[0] != 'u') {
		return errFieldType
	}
	op.signed = typ[0] == 'i'
	n, ok := command.ParseInt(typ[1:])
	if !ok || n < 1 || (op.signed && n > 64) || (!op.signed && n > 63) {
		return errFieldType
	}
	op.bits = int(n)
	off, err := parseBitOffset(c, offset, true, n)
	if err != nil {
		return err
	}
	op.offset = off
	return nil
}

// runFields runs ops on p in order and returns their results. p is read
// as if padded with zero bytes; writes need it long enough (the caller
// grew it to maxbit). changes, for a write, counts the SETs and INCRBYs
// that changed a value or wrote into a grown string (Redis's dirty).
func runFields(ops []fieldOp, p []byte, grown bool, changes *int) []fieldResult {
	out := make([]fieldResult, len(ops))
	for i, op := range ops {
		old := getField(p, op.offset, op.bits)
		if op.kind == fieldGet {
			out[i].v = fieldValue(old, op)
			continue
		}
		next, ret, ok := fieldWrite(op, old)
		if !ok {
			out[i].null = true
			continue
		}
		setField(p, op.offset, op.bits, next)
		if grown || next != old {
			*changes++
		}
		out[i].v = ret
	}
	return out
}

// fieldValue is a field's raw bits as the integer the op's type reads.
func fieldValue(raw uint64, op fieldOp) int64 {
	if op.signed {
		return signExtend(raw, op.bits)
	}
	return int64(raw)
}

// fieldWrite computes a SET or INCRBY: the bits to store, the value to
// reply (SET: the old value; INCRBY: the new one), and false when OVERFLOW
// FAIL refuses it.
func fieldWrite(op fieldOp, raw uint64) (next uint64, ret int64, ok bool) {
	if op.signed {
		old := signExtend(raw, op.bits)
		v, incr := op.value, int64(0)
		if op.kind == fieldIncrby {
			v, incr = old, op.value
		}
		limit, over := signedOverflow(v, incr, op.bits, op.overflow)
		if over != 0 && op.overflow == overflowFail {
			return 0, 0, false
		}
		nv := v + incr
		if over != 0 {
			nv = limit
		}
		ret = nv
		if op.kind == fieldSet {
			ret = old
		}
		return uint64(nv) & fieldMask(op.bits), ret, true
	}
	v, incr := uint64(op.value), int64(0)
	if op.kind == fieldIncrby {
		v, incr = raw, op.value
	}
	limit, over := unsignedOverflow(v, incr, op.bits, op.overflow)
	if over != 0 && op.overflow == overflowFail {
		return 0, 0, false
	}
	nv := v + uint64(incr)
	if over != 0 {
		nv = limit
	}
	ret = int64(nv)
	if op.kind == fieldSet {
		ret = int64(raw)
	}
	return nv & fieldMask(op.bits), ret, true
}
