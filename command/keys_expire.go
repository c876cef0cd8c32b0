package command

import (
	"math"
	"strconv"
)

// EXPIRE option bits (Redis's EXPIRE_NX …).
const (
	expireNX = 1 << iota
	expireXX
	expireGT
	expireLT
)

// cmdExpire: EXPIRE key seconds [NX | XX | GT | LT]
func cmdExpire(c *Call) error { return expireGeneric(c, c.NowMs(), true) }

// cmdPexpire: PEXPIRE key milliseconds [NX | XX | GT | LT]
func cmdPexpire(c *Call) error { return expireGeneric(c, c.NowMs(), false) }

// cmdExpireat: EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
func cmdExpireat(c *Call) error { return expireGeneric(c, 0, true) }

// cmdPexpireat: PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
func cmdPexpireat(c *Call) error { return expireGeneric(c, 0, false) }

func parseExpireFlags(args [][]byte) (int, error) {
	f := 0
	for _, a := range args {
		switch {
		case eq(a, "nx"):
			f |= expireNX
		case eq(a, "xx"):
			f |= expireXX
		case eq(a, "gt"):
			f |= expireGT
		case eq(a, "lt"):
			f |= expireLT
		default:
			return 0, Error("ERR Unsupported option " + string(a))
		}
	}
	if f&expireNX != 0 && f&(expireXX|expireGT|expireLT) != 0 {
		return 0, Error("ERR NX and XX, GT or LT options at the same time are not compatible")
	}
	if f&expireGT != 0 && f&expireLT != 0 {
		return 0, Error("ERR GT and LT options at the same time are not compatible")
	}
	return f, nil
}

// expireGeneric is Redis 7.0's expireGenericCommand. A time already past
// deletes the key (journaled as DEL); otherwise the absolute time is
// journaled as PEXPIREAT, so replay does not depend on when it runs.
func expireGeneric(c *Call, base int64, seconds bool) error {
	flags, err := parseExpireFlags(c.Args[3:])
	if err != nil {
		return err
	}
	when, err := intArg(c.Args[2])
	if err != nil {
		return err
	}
	name := c.spec.Name
	if seconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			return invalidExpire(name)
		}
		when *= 1000
	}
	if when > math.MaxInt64-base {
		return invalidExpire(name)
	}
	when += base
	key, db := c.Args[1], c.DB()
	e := c.LookupWrite(key)
	if e == nil || !expireAllowed(flags, e.ExpireAt(), when) {
		c.R.Int(0)
		return nil
	}
	c.Dirty(1)
	if when <= c.NowMs() {
		db.Delete(key)
		c.journal([]byte("DEL"), key)
		c.notify(notifyGeneric, "del", key)
	} else {
		db.SetExpire(e, when)
		c.journal([]byte("PEXPIREAT"), key, strconv.AppendInt(nil, when, 10))
		c.notify(notifyGeneric, "expire", key)
	}
	c.R.Int(1)
	return nil
}

// expireAllowed applies NX/XX/GT/LT to the current expiry (0 = none, which
// GT and LT treat as infinite).
func expireAllowed(flags int, cur, when int64) bool {
	switch {
	case flags&expireNX != 0 && cur != 0:
		return false
	case flags&expireXX != 0 && cur == 0:
		return false
	case flags&expireGT != 0 && (cur == 0 || when <= cur):
		return false
	case flags&expireLT != 0 && cur != 0 && when >= cur:
		return false
	}
	return true
}
