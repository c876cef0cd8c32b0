package resp

// SplitCommand appends the arguments of a complete, canonical multibulk
// frame (one Scanner reported as Multibulk) to argv, as slices of frame.
// It does no validation beyond what Scanner already did, so it must only be
// given such frames.
func SplitCommand(frame []byte, argv [][]byte) [][]byte {
	i := 1
	n := 0
	for frame[i] != '\r' {
		n = n*10 + int(frame[i]-'0')
		i++
	}
	i += 2
	for ; n > 0; n-- {
		i++ // '$'
		l := 0
		for frame[i] != '\r' {
			l = l*10 + int(frame[i]-'0')
			i++
		}
		i += 2
		argv = append(argv, frame[i:i+l:i+l])
		i += l + 2
	}
	return argv
}
