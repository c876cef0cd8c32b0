package hllcmd

import (
	"math"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/internal/hll"
	"github.com/larder-db/larder/keyspace"
)

// Commands returns the HyperLogLog family's rows.
func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "pfadd", Arity: -2, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast | command.FlagSelfJournal,
			First: 1, Last: 1, Step: 1, ACL: command.ACLWrite | command.ACLHyperLogLog | command.ACLFast, Handler: cmdPfadd},
		{Name: "pfcount", Arity: -2, Flags: command.FlagReadOnly | command.FlagMayReplicate,
			First: 1, Last: -1, Step: 1, ACL: command.ACLRead | command.ACLHyperLogLog | command.ACLSlow, Handler: cmdPfcount},
		{Name: "pfmerge", Arity: -2, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagSelfJournal,
			First: 1, Last: -1, Step: 1, ACL: command.ACLWrite | command.ACLHyperLogLog | command.ACLSlow, Handler: cmdPfmerge},
		{Name: "pfdebug", Arity: 3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagAdmin | command.FlagSelfJournal,
			First: 2, Last: 2, Step: 1, ACL: command.ACLWrite | command.ACLHyperLogLog | command.ACLAdmin | command.ACLSlow | command.ACLDangerous,
			Handler: cmdPfdebug},
		{Name: "pfselftest", Arity: 1, Flags: command.FlagAdmin,
			ACL: command.ACLHyperLogLog | command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdPfselftest},
	}
}

// Redis's texts for a string that is not an HLL and for a corrupted one.
const (
	errNotHLL  command.Error = "WRONGTYPE Key is not a valid HyperLogLog string value."
	errInvalid command.Error = "INVALIDOBJ Corrupted HLL object detected"
)

// checkHLL is isHLLObjectOrReply: the type error for another type, Redis's
// own WRONGTYPE text for a string that is not an HLL.
func checkHLL(e *keyspace.Entry) error {
	if e.Kind() != keyspace.KindString {
		return keyspace.ErrWrongType
	}
	if !hll.Valid(e.Str()) {
		return errNotHLL
	}
	return nil
}

// sparseMax is hll-sparse-max-bytes, except on replay, which never promotes
// for size: the log holds each promotion (see the package doc).
func sparseMax(c *command.Call) int {
	if c.Replaying() {
		return math.MaxInt
	}
	return int(c.D.Cfg.Int("hll-sparse-max-bytes"))
}

// store makes val the value of key (e: its entry, nil to create it), raw
// encoded as Redis's edited HLLs are.
func store(c *command.Call, key []byte, e *keyspace.Entry, val []byte) {
	db := c.DB()
	if e == nil {
		e = db.SetString(key, val, false)
		val = e.Str()
	}
	db.UpdateString(e, val, keyspace.EncRaw)
}

// journal logs a write's argv, then a PFDEBUG TODENSE when the value turned
// dense during it (see the package doc).
func journal(c *command.Call, key []byte, wasSparse bool, val []byte) {
	c.Journal(c.Args...)
	if wasSparse && !hll.IsSparse(val) {
		c.Journal([]byte("PFDEBUG"), []byte("TODENSE"), key)
	}
}

// cmdPfadd: PFADD key [element [element ...]]
func cmdPfadd(c *command.Call) error {
	key := c.Args[1]
	e := c.LookupWrite(key)
	var val []byte
	updated := 0
	if e == nil {
		val, updated = hll.New(), 1 // creating the key is a change
	} else {
		if err := checkHLL(e); err != nil {
			return err
		}
		c.DB().RawEncoding(e)
		val = e.Str()
	}
	wasSparse := hll.IsSparse(val)
	ed := hll.Edit(val, sparseMax(c))
	for _, el := range c.Args[2:] {
		switch ed.Add(el) {
		case 1:
			updated++
		case -1:
			keepEdits(c, key, e, ed.Bytes(), updated > 0)
			return errInvalid
		}
	}
	if updated == 0 {
		c.R.Int(0)
		return nil
	}
	val = ed.Bytes()
	hll.Invalidate(val)
	store(c, key, e, val)
	journal(c, key, wasSparse, val)
	c.Notify(command.NotifyString, "pfadd", key)
	c.R.Int(1)
	return nil
}

// keepEdits keeps what a PFADD stopped by a corrupted value had already
// changed, as Redis does (it edits in place and then fails, neither
// propagating nor signalling the change); the log gets the bytes, since
// replaying the failed PFADD would change nothing.
func keepEdits(c *command.Call, key []byte, e *keyspace.Entry, val []byte, changed bool) {
	if !changed || e == nil {
		return
	}
	c.DB().UpdateString(e, val, keyspace.EncRaw)
	c.JournalSet(key, val, e.ExpireAt())
}

// cmdPfcount: PFCOUNT key [key ...]
//
// With one key the count is cached in the value's header: a stale cache is
// recomputed and stored, a change to the key (WATCH sees it, the log gets
// PFCOUNT key), as in Redis.
func cmdPfcount(c *command.Call) error {
	if len(c.Args) > 2 {
		return pfcountUnion(c)
	}
	key := c.Args[1]
	e := c.Lookup(key)
	if e == nil {
		c.R.Int(0)
		return nil
	}
	if err := checkHLL(e); err != nil {
		return err
	}
	db := c.DB()
	db.RawEncoding(e)
	val := e.Str()
	card, valid := hll.Cached(val)
	if !valid {
		var ok bool
		if card, ok = hll.Count(val); !ok {
			return errInvalid
		}
		hll.SetCached(val, card)
		db.UpdateString(e, val, keyspace.EncRaw)
		c.D.Touch(db.Index(), key)
	}
	c.R.Int(int64(card))
	return nil
}

// pfcountUnion is PFCOUNT of several keys: the count of their union,
// nothing cached.
func pfcountUnion(c *command.Call) error {
	var regs [hll.Registers]uint8
	if _, err := mergeKeys(c, &regs, c.Args[1:]); err != nil {
		return err
	}
	c.R.Int(int64(hll.CountRegisters(&regs)))
	return nil
}

// mergeKeys raises regs to the registers of every HLL among keys (missing
// keys count as empty) and reports whether one of them is dense.
func mergeKeys(c *command.Call, regs *[hll.Registers]uint8, keys [][]byte) (bool, error) {
	dense := false
	for _, key := range keys {
		e := c.Lookup(key)
		if e == nil {
			continue
		}
		if err := checkHLL(e); err != nil {
			return false, err
		}
		dense = dense || !hll.IsSparse(e.Str())
		if !hll.MergeInto(regs, e.Str()) {
			return false, errInvalid
		}
	}
	return dense, nil
}

// cmdPfmerge: PFMERGE destkey [sourcekey [sourcekey ...]]
//
// destkey takes part in the union. The result is dense when any input is
// (Redis 7.0), else sparse until it outgrows hll-sparse-max-bytes.
func cmdPfmerge(c *command.Call) error {
	var regs [hll.Registers]uint8
	dense, err := mergeKeys(c, &regs, c.Args[1:])
	if err != nil {
		return err
	}
	key := c.Args[1]
	e := c.LookupWrite(key) // an HLL: mergeKeys checked it
	var val []byte
	if e == nil {
		val = hll.New()
	} else {
		c.DB().RawEncoding(e)
		val = e.Str()
	}
	wasSparse := hll.IsSparse(val)
	if dense {
		var ok bool
		if val, ok = hll.ToDense(val); !ok {
			return errInvalid
		}
	}
	ed := hll.Edit(val, sparseMax(c))
	for i, r := range regs {
		if r != 0 {
			ed.Set(i, r)
		}
	}
	val = ed.Bytes()
	hll.Invalidate(val)
	store(c, key, e, val)
	journal(c, key, wasSparse, val)
	c.Notify(command.NotifyString, "pfadd", key) // Redis's event for PFMERGE too
	c.R.Simple("OK")
	return nil
}
