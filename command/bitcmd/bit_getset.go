package bitcmd

import (
	"github.com/larder-db/larder/command"
)

// cmdSetbit: SETBIT key offset value
func cmdSetbit(c *command.Call) error {
	off, err := parseBitOffset(c, c.Args[2], false, 0)
	if err != nil {
		return err
	}
	on, ok := command.ParseInt(c.Args[3])
	if !ok || on&^1 != 0 {
		return errBitValue
	}
	t, err := lookupBitTarget(c, c.Args[1], off)
	if err != nil {
		return err
	}
	byteAt, mask := off>>3, byte(0x80)>>(off&7)
	old := t.buf[byteAt]&mask != 0
	changed := old != (on == 1)
	if t.grown || changed {
		if on == 1 {
			t.buf[byteAt] |= mask
		} else {
			t.buf[byteAt] &^= mask
		}
	}
	t.commit(c, changed)
	if t.grown || changed {
		c.Notify(command.NotifyString, "setbit", c.Args[1])
	}
	c.R.Int(command.BoolInt(old))
	return nil
}

// cmdGetbit: GETBIT key offset
func cmdGetbit(c *command.Call) error {
	off, err := parseBitOffset(c, c.Args[2], false, 0)
	if err != nil {
		return err
	}
	e, err := stringValue(c, c.Args[1])
	if err != nil {
		return err
	}
	var bit bool
	if e != nil {
		s := e.Str()
		bit = off>>3 < int64(len(s)) && s[off>>3]&(0x80>>(off&7)) != 0
	}
	c.R.Int(command.BoolInt(bit))
	return nil
}
