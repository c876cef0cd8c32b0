package keycmd

import (
	"math"
	"strconv"

	"github.com/larder-db/larder/command"
)

// EXPIRE option bits (Redis's EXPIRE_NX …).
const (
	expireNX = 1 << iota
	expireXX
	expireGT
	expireLT
)

// cmdExpire: EXPIRE key seconds [NX | XX | GT | LT]
func cmdExpire(c *command.Call) error { return expireGeneric(c, c.NowMs(), true) }

// cmdPexpire: PEXPIRE key milliseconds [NX | XX | GT | LT]
func cmdPexpire(c *command.Call) error { return expireGeneric(c, c.NowMs(), false) }

// cmdExpireat: EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
func cmdExpireat(c *command.Call) error { return expireGeneric(c, 0, true) }

// cmdPexpireat: PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
func cmdPexpireat(c *command.Call) error { return expireGeneric(c, 0, false) }

func parseExpireFlags(args [][]byte) (int, error) {
	f := 0
	for _, a := range args {
		switch {
		case command.Eq(a, "nx"):
			f |= expireNX
		case command.Eq(a, "xx"):
			f |= expireXX
		case command.Eq(a, "gt"):
			f |= expireGT
		case command.Eq(a, "lt"):
			f |= expireLT
		default:
			return 0, command.Error("ERR Unsupported option " + string(a))
		}
	}
	if f&expireNX != 0 && f&(expireXX|expireGT|expireLT) != 0 {
		return 0, command.Error("ERR NX and XX, GT or LT options at the same time are not compatible")
	}
	if f&expireGT != 0 && f&expireLT != 0 {
		return 0, command.Error("ERR GT and LT options at the same time are not compatible")
	}
	return f, nil
}

// expireGeneric is Redis 7.0's expireGenericCommand. A time already past
// deletes the key (journaled as DEL); otherwise the absolute time is
// journaled as PEXPIREAT, so replay does not depend on when it runs.
func expireGeneric(c *command.Call, base int64, seconds bool) error {
	flags, err := parseExpireFlags(c.Args[3:])
	if err != nil {
		return err
	}
	when, err := command.IntArg(c.Args[2])
	if err != nil {
		return err
	}
	name := c.Spec.Name
	if seconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			return command.InvalidExpire(name)
		}
		when *= 1000
	}
	if when > math.MaxInt64-base {
		return command.InvalidExpire(name)
	}
	when += base
	key, db := c.Args[1], c.DB()
	e := c.LookupWrite(key)
	if e == nil || !expireAllowed(flags, e.ExpireAt(), when) {
		c.R.Int(0)
		return nil
	}
	if when <= c.NowMs() {
		db.Delete(key)
		c.Journal([]byte("DEL"), key)
		c.Notify(command.NotifyGeneric, "del", key)
	} else {
		db.SetExpire(e, when)
		c.Journal([]byte("PEXPIREAT"), key, strconv.AppendInt(nil, when, 10))
		c.Notify(command.NotifyGeneric, "expire", key)
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
