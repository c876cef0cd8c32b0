package rdb

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestCRC64(t *testing.T) {
	if got := CRC64([]byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("crc64 = %#x, want Redis's check value 0xe9c6d914c4b8d9ca", got)
	}
}

func TestLZFRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		n := 21 + rng.IntN(3000)
		in := make([]byte, n)
		for j := range in {
			in[j] = "abcab"[rng.IntN(1+i%5)]
		}
		c := Compress(in, len(in)-4)
		if c == nil {
			continue
		}
		out, err := Decompress(c, len(in))
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("round trip of %d bytes failed: %v", n, err)
		}
	}
	if Compress(bytes.Repeat([]byte("x"), 100), 96) == nil {
		t.Fatal("a run of one byte did not compress")
	}
}

func TestStringEncodings(t *testing.T) {
	for _, s := range []string{"0", "-1", "127", "-128", "300", "70000", "-2147483648", "2147483648", "012", "abc", strconv.Itoa(1 << 40)} {
		b := AppendString(nil, []byte(s))
		got, err := NewReader(b).String()
		if err != nil || string(got) != s {
			t.Fatalf("%q: read %q, %v", s, got, err)
		}
	}
	if b := AppendString(nil, []byte("12")); !bytes.Equal(b, []byte{0xc0, 12}) {
		t.Fatalf("12 encoded as % x", b)
	}
}

func TestListpackRoundTrip(t *testing.T) {
	lp := NewListpack()
	vals := []string{"a", "0", "-1", "127", "128", "-4096", "4095", "-32768", "8388607", "2147483647", "9223372036854775807", "-9223372036854775808", string(bytes.Repeat([]byte("y"), 70)), string(bytes.Repeat([]byte("z"), 5000))}
	for _, v := range vals {
		lp.Append([]byte(v))
	}
	got, err := ParseListpack(lp.Bytes())
	if err != nil || len(got) != len(vals) {
		t.Fatalf("parse: %v (%d elements)", err, len(got))
	}
	for i, v := range vals {
		if string(got[i]) != v {
			t.Fatalf("element %d: %q, want %q", i, got[i], v)
		}
	}
}

// TestParsersRejectGarbage: random and truncated blobs give an error, never
// a panic.
func TestParsersRejectGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	lp := NewListpack()
	for i := 0; i < 20; i++ {
		lp.Append([]byte(strconv.Itoa(i * 1000)))
	}
	good := lp.Bytes()
	for i := 0; i < 5000; i++ {
		p := append([]byte(nil), good...)
		p[rng.IntN(len(p))] = byte(rng.Uint32())
		p = p[:rng.IntN(len(p)+1)]
		_, _ = ParseListpack(p)
		_, _ = ParseZiplist(p)
		_, _ = ParseIntset(p)
		_, _ = ParseZipmap(p)
		r := NewReader(p)
		_, _ = r.String()
		_, _ = Decompress(p, rng.IntN(100))
	}
}
