package command

// CoreCommands returns the rows of the commands the core owns: MULTI,
// EXEC, DISCARD, WATCH and UNWATCH (transactions are the dispatcher's).
// Package families joins them with the families' rows.
func CoreCommands() []*Spec { return txCommands() }
