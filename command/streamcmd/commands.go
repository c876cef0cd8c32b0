package streamcmd

import (
	"github.com/larder-db/larder/command"
)

const (
	aclW = command.ACLWrite | command.ACLStream
	aclR = command.ACLRead | command.ACLStream
)

// Commands returns the stream family's rows.
func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "xadd", Arity: -5, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: aclW | command.ACLFast, Handler: cmdXadd},
		{Name: "xtrim", Arity: -4, Flags: command.FlagWrite | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: aclW | command.ACLSlow, Handler: cmdXtrim},
		{Name: "xdel", Arity: -3, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: aclW | command.ACLFast, Handler: cmdXdel},
		{Name: "xsetid", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: aclW | command.ACLFast, Handler: cmdXsetid},
		{Name: "xlen", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: aclR | command.ACLFast, Handler: cmdXlen},
		{Name: "xrange", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: aclR | command.ACLSlow, Handler: cmdXrange},
		{Name: "xrevrange", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: aclR | command.ACLSlow, Handler: cmdXrevrange},
	}
}
