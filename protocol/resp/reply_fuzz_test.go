package resp_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/larder-db/larder/protocol/resp"
)

// FuzzReadReply feeds arbitrary bytes to the reply reader (the idea of
// go-redis's internal/proto reader_fuzz_test.go, with seeds for every RESP3
// type). Properties checked:
//   - no panic, and limits keep memory bounded (small limits below);
//   - raw is always a prefix of the input, on success and on error;
//   - the result does not depend on the bufio buffer size;
//   - a success re-reads identically from raw alone, and encodes back to raw
//     byte for byte unless attributes were merged (the only lossy step).
func FuzzReadReply(f *testing.F) {
	for _, tc := range redisReplies {
		f.Add([]byte(tc.in))
	}
	for _, s := range []string{
		"$600000000\r\n", "*8589934592\r\n", "%2147483647\r\n:1\r\n",
		"*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n",
		"|0\r\n|0\r\n+OK\r\n", "~1\r\n|1\r\n+k\r\n+v\r\n_\r\n", "$?\r\n;4\r\nHell\r\n;0\r\n",
		"=4\r\ntxt:\r\n", ",-1.5E-7\r\n", ",nan\r\n", "(-12\r\n", ":-9223372036854775808\r\n",
	} {
		f.Add([]byte(s))
	}
	lim := resp.ReplyLimits{MaxBulkLen: 1 << 16, MaxLineLen: 1 << 16, MaxElems: 1 << 16, MaxDepth: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		raw, v, err := lim.ReadReply(bufio.NewReaderSize(bytes.NewReader(data), 16))
		raw2, v2, err2 := lim.ReadReply(bufio.NewReaderSize(bytes.NewReader(data), 4096))
		if !bytes.HasPrefix(data, raw) {
			t.Fatalf("raw %q is not a prefix of the input", raw)
		}
		if (err == nil) != (err2 == nil) || !bytes.Equal(raw, raw2) {
			t.Fatalf("buffer size changed the result: %q, %v vs %q, %v", raw, err, raw2, err2)
		}
		if err != nil {
			checkErrorKind(t, err)
			return
		}
		_ = v.String() // must not panic
		if !sameValue(v, v2) {
			t.Fatalf("buffer size changed the value: %#v vs %#v", v, v2)
		}
		checkRoundTrip(t, lim, raw, v)
	})
}

func checkErrorKind(t *testing.T, err error) {
	t.Helper()
	if err != io.EOF && err != io.ErrUnexpectedEOF &&
		!errors.Is(err, resp.ErrMalformedReply) && !errors.Is(err, resp.ErrReplyLimit) {
		t.Fatalf("unexpected error kind: %v", err)
	}
}

func checkRoundTrip(t *testing.T, lim resp.ReplyLimits, raw []byte, v resp.Value) {
	t.Helper()
	again, v3, err := lim.ReadReply(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil || !bytes.Equal(again, raw) || !sameValue(v, v3) {
		t.Fatalf("re-reading raw %q: %q, %#v, %v", raw, again, v3, err)
	}
	enc := encodeValue(nil, v)
	if bytes.Equal(enc, raw) {
		return
	}
	if !bytes.Contains(raw, []byte{'|'}) {
		t.Fatalf("encode(read(%q)) = %q", raw, enc)
	}
	_, v4, err := lim.ReadReply(bufio.NewReader(bytes.NewReader(enc)))
	if err != nil || !sameValue(v, v4) {
		t.Fatalf("re-encoded %q reads as %#v, %v; want %#v", enc, v4, err, v)
	}
}
