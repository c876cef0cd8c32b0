// Package families joins every command family into the one table: the only
// place that lists them. A new family is one package plus one line in All
// (and one in Extensions when it keeps state beside the keyspace).
// It imports the core (command) and the family packages; nothing imports it
// but the wiring (cmd/larder) and tests.
package families

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/hashcmd"
	"github.com/larder-db/larder/command/keycmd"
	"github.com/larder-db/larder/command/listcmd"
	"github.com/larder-db/larder/command/pubsubcmd"
	"github.com/larder-db/larder/command/scriptcmd"
	"github.com/larder-db/larder/command/servercmd"
	"github.com/larder-db/larder/command/setcmd"
	"github.com/larder-db/larder/command/stringcmd"
	"github.com/larder-db/larder/command/zsetcmd"
)

// All returns the rows of every family, in the order they join the table.
func All() [][]*command.Spec {
	return [][]*command.Spec{
		command.CoreCommands(),
		scriptcmd.Commands(),
		servercmd.Commands(),
		pubsubcmd.Commands(),
		stringcmd.Commands(),
		keycmd.Commands(),
		hashcmd.Commands(),
		listcmd.Commands(),
		setcmd.Commands(),
		zsetcmd.Commands(),
	}
}

// Extensions returns new state for one dispatcher of the families that
// keep some beside the keyspace (command.Extension).
func Extensions() []command.Extension {
	return []command.Extension{
		scriptcmd.NewState(),
	}
}

// New is command.New with every family joined (after any extensions o
// already names: tests add their own).
func New(o command.Options) *command.Dispatcher {
	o.Families = All()
	o.Extensions = append(Extensions(), o.Extensions...)
	return command.New(o)
}
