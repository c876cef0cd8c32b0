package command

// SetShutdown installs what SHUTDOWN calls to stop the server (cmd/larder
// ends its serve loop, which closes the listeners, stops the background
// work and closes the log). Without one, SHUTDOWN fails.
func (d *Dispatcher) SetShutdown(stop func()) { d.shutdown.Store(&stop) }

// RequestShutdown starts the server's shutdown; it reports false when no
// stop was installed.
func (d *Dispatcher) RequestShutdown() bool {
	stop := d.shutdown.Load()
	if stop == nil {
		return false
	}
	(*stop)()
	return true
}

// Busy reports whether a script has run past busy-reply-threshold, with
// the BUSY error the gate answers (SHUTDOWN without NOSAVE refuses then).
func (d *Dispatcher) Busy() (Error, bool) { return d.busy() }
