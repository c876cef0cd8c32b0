package hllcmd

import (
	"bytes"
	"math/rand/v2"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/internal/hll"
	"github.com/larder-db/larder/keyspace"
)

// cmdPfdebug: PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
//
// The key is checked before the subcommand, as in Redis. GETREG and TODENSE
// turn a sparse value dense (a write, logged as PFDEBUG TODENSE).
func cmdPfdebug(c *command.Call) error {
	key, sub := c.Args[2], c.Args[1]
	e := c.LookupWrite(key)
	if e == nil {
		return command.Error("ERR The specified key does not exist")
	}
	if err := checkHLL(e); err != nil {
		return err
	}
	c.DB().RawEncoding(e)
	sparse := hll.IsSparse(e.Str())
	switch {
	case command.Eq(sub, "getreg"):
		if sparse && !toDense(c, key, e) {
			return errInvalid
		}
		regs := hll.RegisterValues(e.Str())
		c.R.Array(len(regs))
		for _, r := range regs {
			c.R.Int(int64(r))
		}
	case command.Eq(sub, "decode"):
		if !sparse {
			return command.Error("ERR HLL encoding is not sparse")
		}
		c.R.BulkString(hll.Decode(e.Str()))
	case command.Eq(sub, "encoding"):
		if sparse {
			c.R.Simple("sparse")
		} else {
			c.R.Simple("dense")
		}
	case command.Eq(sub, "todense"):
		converted := int64(0)
		if sparse {
			if !toDense(c, key, e) {
				return errInvalid
			}
			converted = 1
		}
		c.R.Int(converted)
	default:
		return unknownSub(sub)
	}
	return nil
}

// toDense converts the sparse HLL of e to dense; false when it is corrupted.
func toDense(c *command.Call, key []byte, e *keyspace.Entry) bool {
	d, ok := hll.ToDense(e.Str())
	if !ok {
		return false
	}
	c.DB().UpdateString(e, d, keyspace.EncRaw)
	c.Journal([]byte("PFDEBUG"), []byte("TODENSE"), key)
	return true
}

// unknownSub is Redis's error for an unknown PFDEBUG subcommand, which
// prints the name as a C string (cut at a NUL byte).
func unknownSub(sub []byte) error {
	if i := bytes.IndexByte(sub, 0); i >= 0 {
		sub = sub[:i]
	}
	return command.Error(command.Sanitize("ERR Unknown PFDEBUG subcommand '" + string(sub) + "'"))
}

// cmdPfselftest: PFSELFTEST
//
// It runs Redis's self-test of the HLL code (about a second of CPU: 10^7
// additions) and holds no lock.
func cmdPfselftest(c *command.Call) error {
	if msg := hll.SelfTest(sparseMax(c), rand.Uint32); msg != "" {
		return command.Error("ERR " + msg)
	}
	c.R.Simple("OK")
	return nil
}
