package hll

import (
	"encoding/binary"
	"fmt"
	"math"
)

// selfTestCycles is HLL_TEST_CYCLES: rounds of the register access test.
const selfTestCycles = 1000

// SelfTest is PFSELFTEST's check of this implementation, as Redis's
// pfselftestCommand: the dense registers keep what is stored in them
// without disturbing their neighbours, and 10^7 distinct elements added to
// a dense and a sparse HLL (sparse up to sparseMax bytes) give the same
// estimates, within six standard errors of the truth at every power of
// ten. rnd supplies the random register values and element seed. It
// returns Redis's TESTFAILED text, or "" when every check passed.
func SelfTest(sparseMax int, rnd func() uint32) string {
	if msg := selfTestRegisters(rnd); msg != "" {
		return msg
	}
	dense := make([]byte, DenseSize)
	sparse := Edit(New(), sparseMax)
	relerr := 1.04 / math.Sqrt(Registers)
	checkpoint := uint64(1)
	s := uint64(rnd()) | uint64(rnd())<<32
	var ele [8]byte
	for j := uint64(1); j <= 10_000_000; j++ {
		binary.LittleEndian.PutUint64(ele[:], j^s)
		index, count := patLen(ele[:])
		denseSet(dense[HeaderSize:], index, count)
		sparse.Set(index, count)
		if j != checkpoint {
			continue
		}
		if j < uint64(sparseMax/2) && !IsSparse(sparse.Bytes()) {
			return "TESTFAILED sparse encoding not used"
		}
		card, _ := Count(dense)
		if other, _ := Count(sparse.Bytes()); other != card {
			return "TESTFAILED dense/sparse disagree"
		}
		maxErr := uint64(math.Ceil(relerr * 6 * float64(checkpoint)))
		if j == 10 {
			maxErr = 1 // collisions make a larger error likely at 10
		}
		abs := int64(checkpoint) - int64(card)
		if abs < 0 {
			abs = -abs
		}
		if abs > int64(maxErr) {
			return fmt.Sprintf("TESTFAILED Too big error. card:%d abserr:%d", checkpoint, abs)
		}
		checkpoint *= 10
	}
	return ""
}

// selfTestRegisters is the first half of SelfTest: random values written to
// every register read back unchanged.
func selfTestRegisters(rnd func() uint32) string {
	r := make([]byte, DenseSize-HeaderSize)
	var want [Registers]uint8
	for cycle := 0; cycle < selfTestCycles; cycle++ {
		for i := range want {
			want[i] = uint8(rnd() & regMax)
			densePut(r, i, want[i])
		}
		for i, w := range want {
			if got := denseGet(r, i); got != w {
				return fmt.Sprintf("TESTFAILED Register %d should be %d but is %d", i, w, got)
			}
		}
	}
	return ""
}
