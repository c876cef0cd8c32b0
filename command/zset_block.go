package command

import (
	"errors"
	"time"

	"github.com/larder-db/larder/keyspace"
)

// BZPOPMIN BZPOPMAX BZMPOP: ZPOPMIN/ZPOPMAX/ZMPOP that wait for a member.

func blockingZsetCommands() []*Spec {
	return []*Spec{
		{Name: "bzpopmin", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking | FlagFast, First: 1, Last: -2, Step: 1,
			ACL: ACLWrite | ACLSortedSet | ACLFast | ACLBlocking, Handler: cmdBzpopmin},
		{Name: "bzpopmax", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking | FlagFast, First: 1, Last: -2, Step: 1,
			ACL: ACLWrite | ACLSortedSet | ACLFast | ACLBlocking, Handler: cmdBzpopmax},
		{Name: "bzmpop", Arity: -5, Flags: FlagWrite | FlagBlocking | FlagMovableKeys,
			ACL: ACLWrite | ACLSortedSet | ACLSlow | ACLBlocking, Keys: bzmpopKeys, Handler: cmdBzmpop},
	}
}

func cmdBzpopmin(c *Call) error { return bzpop(c, true) }
func cmdBzpopmax(c *Call) error { return bzpop(c, false) }

// bzpop: BZPOPMIN|BZPOPMAX key [key ...] timeout
func bzpop(c *Call, min bool) error {
	timeout, err := parseTimeout(c.Args[len(c.Args)-1])
	if err != nil {
		return err
	}
	keys := c.Args[1 : len(c.Args)-1]
	served, err := zpop(c, keys, min, 1, zpopShape{emitKey: true, block: true})
	return c.blockedResult(keys, timeout, served, err)
}

// bzmpopKeys: BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
func bzmpopKeys(args [][]byte) []int { return numkeysPositions(args, 2) }

// cmdBzmpop: BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
func cmdBzmpop(c *Call) error {
	timeout, err := parseTimeout(c.Args[1])
	if err != nil {
		return err
	}
	keys, low, count, err := zmpopArgs(c.Args, 2, "min", "max")
	if err != nil {
		return err
	}
	served, err := zpop(c, keys, low, count, zpopShape{emitKey: true, nested: true, block: true})
	return c.blockedResult(keys, timeout, served, err)
}

// blockedResult ends a blocking handler after its pop attempt: served or
// failed ends the command; nothing found waits. A woken waiter whose key
// now holds another type keeps waiting, as in Redis.
func (c *Call) blockedResult(keys [][]byte, timeout time.Duration, served bool, err error) error {
	if errors.Is(err, keyspace.ErrWrongType) && c.S.blockRetry {
		err = nil
	}
	if err != nil || served {
		return err
	}
	return c.blockOn(keys, timeout)
}
