// Package families joins every command family into the one table: the only
// place that lists them. A new family is one package plus one line in All.
// It imports the core (command) and the family packages; nothing imports it
// but the wiring (cmd/larder) and tests.
package families

import (
	"github.com/larder-db/larder/command"
)

// All returns the rows of every family, in the order they join the table.
func All() [][]*command.Spec {
	return append([][]*command.Spec{}, command.CoreFamilies()...)
}

// New is command.New with every family joined.
func New(o command.Options) *command.Dispatcher {
	o.Families = All()
	return command.New(o)
}
