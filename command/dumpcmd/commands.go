package dumpcmd

import "github.com/larder-db/larder/command"

// Commands returns the family's rows.
func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "dump", Arity: 2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLSlow, Handler: cmdDump},
		{Name: "restore", Arity: -4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLSlow | command.ACLDangerous, Handler: cmdRestore},
	}
}
