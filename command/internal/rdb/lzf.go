package rdb

import "errors"

// ErrFormat is the error of every reader on a malformed blob.
var ErrFormat = errors.New("rdb: bad data format")

// LZF parameters of liblzf 3.6 as Redis builds it (lzfP.h): HLOG 16 and
// VERY_FAST, so Compress produces Redis's bytes exactly.
const (
	lzfHlog   = 16
	lzfHsize  = 1 << lzfHlog
	lzfMaxLit = 1 << 5
	lzfMaxOff = 1 << 13
	lzfMaxRef = (1 << 8) + (1 << 3)
)

func lzfIdx(h uint32) uint32 { return ((h >> (3*8 - lzfHlog)) - h*5) & (lzfHsize - 1) }

// lzfState is one compression's state: the output (op indexes it; it may run
// one byte past outLen, as in C, before a check stops it) and the hash table
// of positions (plus one, so zero is empty: liblzf never matches position 0).
type lzfState struct {
	in      []byte
	out     []byte
	op, lit int
	htab    []int32
}

// Compress is liblzf's lzf_compress(in, len(in), out, outLen): the
// compressed bytes, or nil when they would not fit in outLen bytes.
func Compress(in []byte, outLen int) []byte {
	if len(in) == 0 || outLen == 0 || len(in) < 3 {
		return compressShort(in, outLen)
	}
	s := &lzfState{in: in, out: make([]byte, outLen+2), op: 1, htab: make([]int32, lzfHsize)}
	if !s.run(outLen) {
		return nil
	}
	return s.out[:s.op]
}

// compressShort handles inputs too short for a back reference (liblzf's
// main loop does not run): literals only.
func compressShort(in []byte, outLen int) []byte {
	if len(in) == 0 || outLen < 4 {
		return nil
	}
	return append([]byte{byte(len(in) - 1)}, in...)
}

func (s *lzfState) run(outLen int) bool {
	in, end := s.in, len(s.in)
	ip := 0
	hval := uint32(in[0])<<8 | uint32(in[1])
	for ip < end-2 {
		hval = hval<<8 | uint32(in[ip+2])
		slot := &s.htab[lzfIdx(hval)]
		ref := int(*slot) - 1
		*slot = int32(ip + 1)
		off := ip - ref - 1
		if ref > 0 && off < lzfMaxOff && in[ref+2] == in[ip+2] && in[ref] == in[ip] && in[ref+1] == in[ip+1] {
			if s.op+4 >= outLen && s.op-b2i(s.lit == 0)+4 >= outLen {
				return false
			}
			var ok bool
			if ip, hval, ok = s.backref(ip, ref, off); !ok {
				break
			}
			continue
		}
		if s.op >= outLen {
			return false
		}
		s.literal(in[ip])
		ip++
	}
	if s.op+3 > outLen {
		return false
	}
	for ; ip < end; ip++ {
		s.literal(in[ip])
	}
	s.out[s.op-s.lit-1] = byte(s.lit - 1)
	s.op -= b2i(s.lit == 0)
	return true
}

// literal copies one byte into the current run, closing full runs.
func (s *lzfState) literal(b byte) {
	s.lit++
	s.out[s.op] = b
	s.op++
	if s.lit == lzfMaxLit {
		s.out[s.op-s.lit-1] = byte(s.lit - 1)
		s.lit = 0
		s.op++
	}
}

// backref emits the match of in[ip:] at ref and re-seeds the hash table
// as VERY_FAST does; ok is false when the input is used up.
func (s *lzfState) backref(ip, ref, off int) (int, uint32, bool) {
	in, end := s.in, len(s.in)
	n := 2
	maxlen := min(end-ip-n, lzfMaxRef)
	s.out[s.op-s.lit-1] = byte(s.lit - 1)
	s.op -= b2i(s.lit == 0)
	n = matchLen(in, ref, ip, n, maxlen)
	n -= 2
	ip++
	if n < 7 {
		s.out[s.op] = byte(off>>8) + byte(n<<5)
		s.op++
	} else {
		s.out[s.op] = byte(off>>8) + 7<<5
		s.out[s.op+1] = byte(n - 7)
		s.op += 2
	}
	s.out[s.op] = byte(off)
	s.op += 2 // and start a new run
	s.lit = 0
	ip += n + 1
	if ip >= end-2 {
		return ip, 0, false
	}
	ip -= 2
	hval := uint32(in[ip])<<8 | uint32(in[ip+1])
	hval = hval<<8 | uint32(in[ip+2])
	s.htab[lzfIdx(hval)] = int32(ip + 1)
	ip++
	hval = hval<<8 | uint32(in[ip+2])
	s.htab[lzfIdx(hval)] = int32(ip + 1)
	ip++
	return ip, hval, true
}

// matchLen extends a match of n octets as liblzf does: sixteen unchecked
// steps first when maxlen > 16 (the input is long enough for them), then
// one at a time up to maxlen. It returns the index of the first octet past
// the match (liblzf's len before "len -= 2").
func matchLen(in []byte, ref, ip, n, maxlen int) int {
	if maxlen > 16 {
		for k := 0; k < 16; k++ {
			n++
			if in[ref+n] != in[ip+n] {
				return n
			}
		}
	}
	for {
		n++
		if n >= maxlen || in[ref+n] != in[ip+n] {
			return n
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Decompress is lzf_decompress: exactly outLen bytes from in, or ErrFormat.
func Decompress(in []byte, outLen int) ([]byte, error) {
	out := make([]byte, 0, min(outLen, 64<<10)) // grows with the data, not with the claim
	for ip := 0; ip < len(in); {
		ctrl := int(in[ip])
		ip++
		if ctrl < 1<<5 {
			n := ctrl + 1
			if ip+n > len(in) || len(out)+n > outLen {
				return nil, ErrFormat
			}
			out = append(out, in[ip:ip+n]...)
			ip += n
			continue
		}
		n := ctrl >> 5
		if n == 7 {
			if ip >= len(in) {
				return nil, ErrFormat
			}
			n += int(in[ip])
			ip++
		}
		if ip >= len(in) {
			return nil, ErrFormat
		}
		ref := len(out) - (ctrl&0x1f)<<8 - int(in[ip]) - 1
		ip++
		n += 2
		if ref < 0 || len(out)+n > outLen {
			return nil, ErrFormat
		}
		for k := 0; k < n; k++ { // byte by byte: the copy may overlap itself
			out = append(out, out[ref+k])
		}
	}
	if len(out) != outLen {
		return nil, ErrFormat
	}
	return out, nil
}
