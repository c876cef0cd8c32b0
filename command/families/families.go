// Package families joins every command family into the one table, and the
// value types they define into the dispatcher: the only place that lists
// them. A new family is one package plus one line in joined, and so is a
// new value type (its family's Types). It imports the core (command) and
// the family packages; nothing imports it but the wiring (cmd/larder) and
// tests.
package families

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/hashcmd"
	"github.com/larder-db/larder/command/keycmd"
	"github.com/larder-db/larder/command/listcmd"
	"github.com/larder-db/larder/command/pubsubcmd"
	"github.com/larder-db/larder/command/servercmd"
	"github.com/larder-db/larder/command/setcmd"
	"github.com/larder-db/larder/command/streamcmd"
	"github.com/larder-db/larder/command/stringcmd"
	"github.com/larder-db/larder/command/zsetcmd"
)

// family is what one family package contributes: its command rows, and
// the value types it defines (nil when it defines none).
type family struct {
	commands func() []*command.Spec
	types    func() []command.Type
}

// joined lists every family package, in the order its rows join the table.
var joined = []family{
	{servercmd.Commands, nil},
	{pubsubcmd.Commands, nil},
	{stringcmd.Commands, stringcmd.Types},
	{keycmd.Commands, nil},
	{hashcmd.Commands, hashcmd.Types},
	{listcmd.Commands, listcmd.Types},
	{setcmd.Commands, setcmd.Types},
	{zsetcmd.Commands, zsetcmd.Types},
	{streamcmd.Commands, streamcmd.Types},
}

// All returns the rows of every family, in the order they join the table.
func All() [][]*command.Spec {
	all := command.CoreFamilies()
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

// New is command.New with every family and value type joined.
func New(o command.Options) *command.Dispatcher {
	o.Families = All()
	o.Types = Types()
	return command.New(o)
}
