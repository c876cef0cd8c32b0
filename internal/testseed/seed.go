// Package testseed gives randomized tests a printed, replayable seed.
// It imports no Larder package.
package testseed

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// Seed returns the random seed for a randomized test and logs it; set
// LARDER_SEED to replay a run.
func Seed(t testing.TB) uint64 {
	seed := uint64(rand.Int64())
	if v := os.Getenv("LARDER_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("LARDER_SEED: %v", err)
		}
		seed = n
	}
	t.Logf("seed %d (replay with LARDER_SEED=%d)", seed, seed)
	return seed
}
