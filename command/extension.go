package command

import "github.com/rs/zerolog"

// An Extension is state a family keeps beside the keyspace, one per
// dispatcher: scripting's EVAL cache, FUNCTION libraries and running
// scripts. Package families makes them with the rows (Options.Extensions);
// a family's handlers find theirs with ExtensionOf. The core consults an
// extension only through the hooks below, each an optional interface.
type Extension any

// BusyGate is the BUSY gate's hook: while Busy reports true (a script has
// run past busy-reply-threshold), the dispatcher refuses every command not
// flagged allow-busy with its error, instead of letting it wait behind the
// busy work's locks. It runs before most commands, so it must be cheap.
type BusyGate interface {
	Busy() (Error, bool)
}

// SnapshotState is state the keyspace does not hold that snapshots must
// keep (FUNCTION libraries). SnapshotCommands calls add with commands that
// rebuild it when replayed in db 0 (FUNCTION LOAD …); a snapshot stores
// them before any key. Changes to such state are journaled as the
// commands that made them (their handlers count them with Call.Dirty).
type SnapshotState interface {
	SnapshotCommands(add func(argv ...[]byte))
}

// Stopper stops work in progress that must not outlive the server
// (running scripts, which hold shard locks): StopExtensions calls it at
// shutdown.
type Stopper interface {
	Stop()
}

// InfoSource adds an extension's fields to an INFO section (scripting's
// number_of_cached_scripts to "memory"); section is lower case.
type InfoSource interface {
	InfoFields(section string, add func(name string, value any))
}

// ExtensionInfo calls add with every extension's fields for section.
func (d *Dispatcher) ExtensionInfo(section string, add func(name string, value any)) {
	for _, e := range d.extensions {
		if s, ok := e.(InfoSource); ok {
			s.InfoFields(section, add)
		}
	}
}

// ExtensionOf returns d's extension of type T (a family's own state).
func ExtensionOf[T Extension](d *Dispatcher) (T, bool) {
	for _, e := range d.extensions {
		if t, ok := e.(T); ok {
			return t, true
		}
	}
	var none T
	return none, false
}

// attach keeps the extensions and the hooks they implement.
func (d *Dispatcher) attach(exts []Extension) {
	d.extensions = exts
	for _, e := range exts {
		if g, ok := e.(BusyGate); ok {
			d.busyGates = append(d.busyGates, g)
		}
	}
}

// busy is the BUSY gate: the first extension that reports itself busy
// names the refusal.
func (d *Dispatcher) busy() (Error, bool) {
	for _, g := range d.busyGates {
		if e, busy := g.Busy(); busy {
			return e, true
		}
	}
	return "", false
}

// snapshotCommands calls add with every extension's snapshot commands.
func (d *Dispatcher) snapshotCommands(add func(argv ...[]byte)) {
	for _, e := range d.extensions {
		if s, ok := e.(SnapshotState); ok {
			s.SnapshotCommands(add)
		}
	}
}

// StopExtensions stops the extensions' work in progress (running
// scripts, killable or not): the server is shutting down.
func (d *Dispatcher) StopExtensions() {
	for _, e := range d.extensions {
		if s, ok := e.(Stopper); ok {
			s.Stop()
		}
	}
}

// Logger returns the dispatcher's logger, for what families log
// themselves (redis.log from a script).
func (d *Dispatcher) Logger() zerolog.Logger { return d.log }
