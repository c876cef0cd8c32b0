// Package families joins every command family into the one table: the only
// place that lists them. A new family is one package plus one line in All
// (and one in Extensions or Params when it keeps state beside the keyspace
// or defines parameters).
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

// Params returns the configuration parameters families define
// themselves (beside the core's).
func Params() []*command.Param {
	return scriptcmd.Params()
}

// NewConfig is command.NewConfig with the families' parameters.
func NewConfig() *command.Config {
	c := command.NewConfig()
	c.AddParams(Params())
	return c
}

// New is command.New with every family joined (after any extensions o
// already names: tests add their own). A Config made by
// command.NewConfig gets the families' parameters here.
func New(o command.Options) *command.Dispatcher {
	o.Families = All()
	o.Extensions = append(Extensions(), o.Extensions...)
	o.Params = Params()
	return command.New(o)
}
