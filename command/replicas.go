package command

// ErrNoReplicas is Redis's refusal of writes while min-replicas-to-write
// asks for more good replicas than the server has.
const ErrNoReplicas Error = "NOREPLICAS Not enough good replicas to write."

// applyReplicasConfig caches whether writes are refused for want of
// replicas: Redis's checkGoodReplicasStatus with min-replicas-to-write and
// min-replicas-max-lag both set. Larder has no replicas, so any
// min-replicas-to-write above 0 refuses every write, as a Redis primary
// without replicas does.
func (d *Dispatcher) applyReplicasConfig() {
	d.noReplicas.Store(d.Cfg.Int("min-replicas-to-write") > 0 && d.Cfg.Int("min-replicas-max-lag") > 0)
}

// ReplicasShort reports whether writes are refused with ErrNoReplicas.
func (d *Dispatcher) ReplicasShort() bool { return d.noReplicas.Load() }

// refusesNoReplicas is the gate: a write command, or an EXEC whose queue
// holds one, while ReplicasShort.
func (d *Dispatcher) refusesNoReplicas(s *Session, spec *Spec) bool {
	return d.noReplicas.Load() && (spec.Flags&FlagWrite != 0 || s.multi.hasWrite(spec))
}
