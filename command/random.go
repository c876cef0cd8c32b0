package command

import "math/rand/v2"

// RandomPicks is the sampling of SRANDMEMBER, ZRANDMEMBER and HRANDFIELD
// with a count: n < 0 gives |n| picks with repeats; otherwise n distinct
// ones (everything when n covers the collection). size is the collection's
// length, all lists it, pick returns a random element and id names one.
func RandomPicks[T any](n int64, size int, all func() []T, pick func() T, id func(T) string) ([]T, error) {
	if n < 0 {
		if -n > MaxRandomReply {
			return nil, Error("ERR count is too large")
		}
		out := make([]T, -n)
		for i := range out {
			out[i] = pick()
		}
		return out, nil
	}
	if n >= int64(size) {
		return all(), nil
	}
	if int(n)*3 > size { // a large share: shuffle everything
		everything := all()
		rand.Shuffle(len(everything), func(i, j int) { everything[i], everything[j] = everything[j], everything[i] })
		return everything[:n], nil
	}
	seen := make(map[string]struct{}, n)
	out := make([]T, 0, n)
	for len(out) < int(n) {
		x := pick()
		if _, dup := seen[id(x)]; !dup {
			seen[id(x)] = struct{}{}
			out = append(out, x)
		}
	}
	return out, nil
}

// RandCount parses the count of SRANDMEMBER, ZRANDMEMBER and HRANDFIELD:
// an integer in -LONG_MAX..LONG_MAX.
func RandCount(b []byte) (int64, error) {
	n, err := IntArg(b)
	if err == nil && n == -1<<63 {
		err = errSrandRange
	}
	return n, err
}

// errSrandRange is SRANDMEMBER's count range error (Redis accepts
// -LONG_MAX..LONG_MAX).
const errSrandRange Error = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"

// maxRandomReply caps SRANDMEMBER/HRANDFIELD/ZRANDMEMBER with a negative
// count: Redis tries to send |count| elements and runs out of memory for a
// huge one; Larder refuses instead of taking the server down.
const MaxRandomReply = 1 << 26
