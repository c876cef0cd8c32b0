// Package families joins every command family into the one table, and what
// the families define beside their rows into the dispatcher: value types,
// state kept beside the keyspace (extensions) and configuration
// parameters. It is the only place that lists families: a new family, or
// a new value type, is one package plus one line in joined. It imports the
// core (command) and the family packages; nothing imports it but the
// wiring (cmd/larder) and tests.
package families

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/bitcmd"
	"github.com/larder-db/larder/command/dumpcmd"
	"github.com/larder-db/larder/command/geocmd"
	"github.com/larder-db/larder/command/hashcmd"
	"github.com/larder-db/larder/command/hllcmd"
	"github.com/larder-db/larder/command/keycmd"
	"github.com/larder-db/larder/command/listcmd"
	"github.com/larder-db/larder/command/pubsubcmd"
	"github.com/larder-db/larder/command/scriptcmd"
	"github.com/larder-db/larder/command/servercmd"
	"github.com/larder-db/larder/command/setcmd"
	"github.com/larder-db/larder/command/streamcmd"
	"github.com/larder-db/larder/command/stringcmd"
	"github.com/larder-db/larder/command/zsetcmd"
)

// family is what one family package contributes: its command rows, and
// (nil when it has none) the value types it defines, its per-dispatcher
// state beside the keyspace and its configuration parameters.
type family struct {
	commands  func() []*command.Spec
	types     func() []command.Type
	extension func() command.Extension
	params    func() []*command.Param
}

// joined lists every family package, in the order its rows join the table.
var joined = []family{
	{commands: scriptcmd.Commands, extension: scriptcmd.NewState, params: scriptcmd.Params},
	{commands: servercmd.Commands},
	{commands: pubsubcmd.Commands},
	{commands: stringcmd.Commands, types: stringcmd.Types},
	{commands: bitcmd.Commands},
	{commands: keycmd.Commands},
	{commands: hashcmd.Commands, types: hashcmd.Types},
	{commands: listcmd.Commands, types: listcmd.Types},
	{commands: setcmd.Commands, types: setcmd.Types},
	{commands: zsetcmd.Commands, types: zsetcmd.Types},
	{commands: hllcmd.Commands},
	{commands: geocmd.Commands},
	{commands: streamcmd.Commands, types: streamcmd.Types, params: streamcmd.Params},
	{commands: dumpcmd.Commands, extension: dumpcmd.NewState},
}

// All returns the rows of the core and of every family, in the order they
// join the table.
func All() [][]*command.Spec {
	all := [][]*command.Spec{command.CoreCommands()}
	for _, f := range joined {
		all = append(all, f.commands())
	}
	return all
}

// Types returns the value types every family defines.
func Types() []command.Type {
	var types []command.Type
	for _, f := range joined {
		if f.types != nil {
			types = append(types, f.types()...)
		}
	}
	return types
}

// Extensions returns new state for one dispatcher of the families that
// keep some beside the keyspace (command.Extension).
func Extensions() []command.Extension {
	var exts []command.Extension
	for _, f := range joined {
		if f.extension != nil {
			exts = append(exts, f.extension())
		}
	}
	return exts
}

// Params returns the configuration parameters families define themselves
// (beside the core's).
func Params() []*command.Param {
	var ps []*command.Param
	for _, f := range joined {
		if f.params != nil {
			ps = append(ps, f.params()...)
		}
	}
	return ps
}

// NewConfig is command.NewConfig with the families' parameters.
func NewConfig() *command.Config {
	c := command.NewConfig()
	c.AddParams(Params())
	return c
}

// New is command.New with every family, value type, extension and
// parameter joined (extensions after any o already names: tests add their
// own). A Config made by command.NewConfig gets the families' parameters
// here.
func New(o command.Options) *command.Dispatcher {
	o.Families = All()
	o.Types = Types()
	o.Extensions = append(Extensions(), o.Extensions...)
	o.Params = Params()
	o.KeyAccess = servercmd.KeyAccess
	o.InRedis = servercmd.InRedis
	return command.New(o)
}
