// Package families joins every command family into the one table: the only
// place that lists them. A new family is one package plus one line in All.
// It imports the core (command) and the family packages; nothing imports it
// but the wiring (cmd/larder) and tests.
package families

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/hashcmd"
	"github.com/larder-db/larder/command/hllcmd"
	"github.com/larder-db/larder/command/keycmd"
	"github.com/larder-db/larder/command/listcmd"
	"github.com/larder-db/larder/command/pubsubcmd"
	"github.com/larder-db/larder/command/servercmd"
	"github.com/larder-db/larder/command/setcmd"
	"github.com/larder-db/larder/command/stringcmd"
	"github.com/larder-db/larder/command/zsetcmd"
)

// All returns the rows of every family, in the order they join the table.
func All() [][]*command.Spec {
	return append(command.CoreFamilies(),
		servercmd.Commands(),
		pubsubcmd.Commands(),
		stringcmd.Commands(),
		keycmd.Commands(),
		hashcmd.Commands(),
		listcmd.Commands(),
		setcmd.Commands(),
		zsetcmd.Commands(),
		hllcmd.Commands(),
	)
}

// New is command.New with every family joined.
func New(o command.Options) *command.Dispatcher {
	o.Families = All()
	return command.New(o)
}
