package command

import "math/rand/v2"

// randomPicks is the sampling of SRANDMEMBER, ZRANDMEMBER and HRANDFIELD
// with a count: n < 0 gives |n| picks with repeats; otherwise n distinct
// ones (everything when n covers the collection). size is the collection's
// length, all lists it, pick returns a random element and id names one.
func randomPicks[T any](n int64, size int, all func() []T, pick func() T, id func(T) string) ([]T, error) {
	if n < 0 {
		if -n > maxRandomReply {
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

// randCount parses the count of SRANDMEMBER, ZRANDMEMBER and HRANDFIELD:
// an integer in -LONG_MAX..LONG_MAX.
func randCount(b []byte) (int64, error) {
	n, err := intArg(b)
	if err == nil && n == -1<<63 {
		err = errSrandRange
	}
	return n, err
}
