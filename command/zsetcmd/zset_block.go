package zsetcmd

import "github.com/larder-db/larder/command"

// BZPOPMIN BZPOPMAX BZMPOP: ZPOPMIN/ZPOPMAX/ZMPOP that wait for a member.

func blockingZsetCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "bzpopmin", Arity: -3, Flags: command.FlagWrite | command.FlagNoScript | command.FlagBlocking | command.FlagFast, First: 1, Last: -2, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLFast | command.ACLBlocking, Handler: cmdBzpopmin},
		{Name: "bzpopmax", Arity: -3, Flags: command.FlagWrite | command.FlagNoScript | command.FlagBlocking | command.FlagFast, First: 1, Last: -2, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLFast | command.ACLBlocking, Handler: cmdBzpopmax},
		{Name: "bzmpop", Arity: -5, Flags: command.FlagWrite | command.FlagBlocking | command.FlagMovableKeys,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLSlow | command.ACLBlocking, Keys: command.BzmpopKeys, Handler: cmdBzmpop},
	}
}

func cmdBzpopmin(c *command.Call) error { return bzpop(c, true) }
func cmdBzpopmax(c *command.Call) error { return bzpop(c, false) }

// bzpop: BZPOPMIN|BZPOPMAX key [key ...] timeout
func bzpop(c *command.Call, min bool) error {
	timeout, err := command.ParseTimeout(c.Args[len(c.Args)-1])
	if err != nil {
		return err
	}
	keys := c.Args[1 : len(c.Args)-1]
	served, err := zpop(c, keys, min, 1, zpopShape{emitKey: true, block: true})
	return c.BlockedResult(keys, timeout, served, err)
}

// cmdBzmpop: BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
func cmdBzmpop(c *command.Call) error {
	timeout, err := command.ParseTimeout(c.Args[1])
	if err != nil {
		return err
	}
	keys, low, count, err := command.ZmpopArgs(c.Args, 2, "min", "max")
	if err != nil {
		return err
	}
	served, err := zpop(c, keys, low, count, zpopShape{emitKey: true, nested: true, block: true})
	return c.BlockedResult(keys, timeout, served, err)
}
