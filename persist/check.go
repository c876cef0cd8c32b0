package persist

import (
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// CheckReport is what Check found (and, with fix, changed).
type CheckReport struct {
	Recovered Recovered
	Problems  []string // bbolt consistency errors and damage found
	Fixed     []string // what --fix did
}

// Check verifies a data dir: bbolt's own consistency check, every
// checksum of the snapshot, log and tail file, and a replay of every record
// through apply (the caller's scratch dispatcher). With fix it cuts the log
// before the first damaged record (and a torn tail), so the next start
// loads everything before it; damage inside a snapshot cannot be fixed.
// The error is non-nil only when the check itself could not run.
func Check(o Options, fix bool, apply Apply) (CheckReport, error) {
	var rep CheckReport
	o.ReadOnly = !fix
	l, err := Open(o)
	if err != nil {
		return rep, err
	}
	defer func() { _ = l.Close() }() // nothing written through it after the fix
	rv, err := l.Recover(apply)
	rep.Recovered = rv
	if rv.Dropped != "" {
		rep.Problems = append(rep.Problems, "torn tail: "+rv.Dropped)
		if fix {
			rep.Fixed = append(rep.Fixed, "dropped the torn tail")
		}
	}
	var de *DamageError
	switch {
	case err == nil:
	case errors.As(err, &de):
		rep.Problems = append(rep.Problems, de.Error())
		if fix {
			what, ferr := l.fixDamage(de, rv.Last)
			if ferr != nil {
				return rep, ferr
			}
			rep.Fixed = append(rep.Fixed, what)
		}
	default:
		rep.Problems = append(rep.Problems, err.Error())
	}
	if len(rep.Problems) == 0 {
		// bbolt's own walk (free pages, page overlaps) runs last: its
		// goroutine cannot recover a panic on pages the replay above
		// would already have found bad.
		if err := l.db.View(func(tx *bolt.Tx) error {
			for cerr := range tx.Check() {
				rep.Problems = append(rep.Problems, "bbolt: "+cerr.Error())
			}
			return nil
		}); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// fixDamage cuts the log (and tail file) after the last good record.
func (l *Log) fixDamage(de *DamageError, lastGood uint64) (string, error) {
	if de.Where == "snapshot description" || len(de.Where) >= 8 && de.Where[:8] == "snapshot" {
		return "", fmt.Errorf("the snapshot is damaged (%s): it cannot be cut away; restore the data dir from a copy", de.Where)
	}
	if err := l.cutFrom(lastGood + 1); err != nil {
		return "", fmt.Errorf("cut log: %w", err)
	}
	// Recovery moved the good tail records into bbolt before it stopped.
	for i := range 2 {
		if err := os.Truncate(tailPath(l.o.Dir, i), 0); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("empty tail file: %w", err)
		}
	}
	return fmt.Sprintf("cut the log after record %d", lastGood), nil
}
