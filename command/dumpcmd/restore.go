package dumpcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/internal/rdb"
	"github.com/larder-db/larder/keyspace"
)

// RESTORE's error texts (Redis 7.0).
const (
	errBusyKey  command.Error = "BUSYKEY Target key name already exists."
	errTTL      command.Error = "ERR Invalid TTL value, must be >= 0"
	errIdletime command.Error = "ERR Invalid IDLETIME value, must be >= 0"
	errFreq     command.Error = "ERR Invalid FREQ value, must be >= 0 and <= 255"
	errPayload  command.Error = "ERR DUMP payload version or checksum are wrong"
)

// restoreOpts are RESTORE's options; idle and freq are -1 when absent.
type restoreOpts struct {
	replace, absTTL bool
	idle, freq      int64
}

// parseRestoreOpts reads the options after the payload as restoreCommand
// does: IDLETIME and FREQ exclude each other (the second is a syntax
// error), and each is checked as soon as it is read.
func parseRestoreOpts(args [][]byte) (restoreOpts, error) {
	o := restoreOpts{idle: -1, freq: -1}
	for j := 4; j < len(args); j++ {
		more := j+1 < len(args)
		switch a := args[j]; {
		case command.Eq(a, "replace"):
			o.replace = true
		case command.Eq(a, "absttl"):
			o.absTTL = true
		case command.Eq(a, "idletime") && more && o.freq == -1:
			n, err := command.IntArg(args[j+1])
			if err != nil {
				return o, err
			}
			if n < 0 {
				return o, errIdletime
			}
			o.idle = n
			j++
		case command.Eq(a, "freq") && more && o.idle == -1:
			n, err := command.IntArg(args[j+1])
			if err != nil {
				return o, err
			}
			if n < 0 || n > 255 {
				return o, errFreq
			}
			o.freq = n
			j++
		default:
			return o, command.ErrSyntax
		}
	}
	return o, nil
}

// cmdRestore: RESTORE key ttl serialized-value [REPLACE] [ABSTTL]
// [IDLETIME seconds] [FREQ frequency]
//
// It logs itself as RESTORE key <absolute ms or 0> payload REPLACE ABSTTL
// (or DEL when a REPLACE with a past TTL only removed the key), so replay
// gives the same key whatever the clock.
func cmdRestore(c *command.Call) error {
	o, err := parseRestoreOpts(c.Args)
	if err != nil {
		return err
	}
	key := c.Args[1]
	if !o.replace && c.LookupWrite(key) != nil {
		return errBusyKey
	}
	ttl, err := command.IntArg(c.Args[2])
	if err != nil {
		return err
	}
	if ttl < 0 {
		return errTTL
	}
	if _, ok := rdb.Verify(c.Args[3]); !ok {
		return errPayload
	}
	v, err := loadAny(c, c.Args[3])
	if err != nil {
		return err
	}
	deleted := o.replace && c.LookupWrite(key) != nil && c.DB().Delete(key)
	if ttl != 0 && !o.absTTL {
		ttl += c.NowMs()
	}
	if ttl != 0 && ttl <= c.NowMs() && !c.Replaying() {
		if deleted {
			c.Journal([]byte("DEL"), key)
			c.Dirty(1)
			c.Notify(command.NotifyGeneric, "del", key)
		}
		c.R.Simple("OK")
		return nil
	}
	e := store(c, key, v)
	if ttl != 0 {
		c.DB().SetExpire(e, ttl)
	}
	setAccess(c.Store(), e, o)
	c.Journal([]byte("RESTORE"), key, strconv.AppendInt(nil, ttl, 10), c.Args[3], []byte("REPLACE"), []byte("ABSTTL"))
	c.Dirty(1)
	c.Notify(command.NotifyGeneric, "restore", key)
	c.R.Simple("OK")
	return nil
}

// loadAny decodes a verified payload: a family's own type (streams) by
// its LoadRDB hook, the built-in ones by load.
func loadAny(c *command.Call, payload []byte) (value, error) {
	if len(payload) > 0 {
		if t := c.D.TypeForRDB(payload[0]); t != nil {
			obj, err := t.LoadRDB(payload[0], payload[1:])
			if err != nil {
				return value{}, errBadData
			}
			return value{kind: t.Kind, obj: obj}, nil
		}
	}
	return load(payload, limitsOf(c))
}

// store adds the decoded value under key as a new entry.
func store(c *command.Call, key []byte, v value) *keyspace.Entry {
	if v.obj == nil {
		return c.DB().SetString(key, v.str, false)
	}
	return c.DB().SetObject(key, v.kind, v.obj)
}

// setAccess applies IDLETIME under an LRU-ish policy and FREQ under an LFU
// one (objectSetLRUOrLFU); the other option is ignored, as in Redis.
func setAccess(st *keyspace.Store, e *keyspace.Entry, o restoreOpts) {
	switch {
	case st.LFU() && o.freq >= 0:
		st.SetFrequency(e, uint8(o.freq))
	case !st.LFU() && o.idle >= 0:
		st.SetIdle(e, o.idle)
	}
}
