package dumpcmd

import "github.com/larder-db/larder/command"

// Commands returns the family's rows.
func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "dump", Arity: 2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLSlow, Handler: cmdDump},
		{Name: "restore", Arity: -4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLSlow | command.ACLDangerous, Handler: cmdRestore},
		// MIGRATE connects to hosts its caller names: not over REST, where a
		// token would turn the server into a client of any address.
		{Name: "migrate", Arity: -6, Flags: command.FlagWrite | command.FlagMovableKeys | command.FlagTCPOnly | command.FlagSelfJournal, First: 3, Last: 3, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLSlow | command.ACLDangerous, Keys: migrateKeys, Secrets: migrateSecrets, Handler: cmdMigrate},
	}
}
