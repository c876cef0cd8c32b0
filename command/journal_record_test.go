package command

import (
	"bytes"
	"testing"
)

// TestRecord_RoundTrip: effects encode and decode back, several per record.
func TestRecord_RoundTrip(t *testing.T) {
	var rec []byte
	rec = AppendEntry(rec, 3, [][]byte{[]byte("SET"), []byte("k"), []byte("a\r\nb")})
	rec = AppendEntry(rec, 0, [][]byte{[]byte("DEL"), {}})
	var got []string
	err := EachEntry(rec, func(db int, argv [][]byte) error {
		got = append(got, string(rune('0'+db))+":"+string(bytes.Join(argv, []byte("|"))))
		return nil
	})
	if err != nil || len(got) != 2 || got[0] != "3:SET|k|a\r\nb" || got[1] != "0:DEL|" {
		t.Fatalf("decoded %q, err %v", got, err)
	}
}

// FuzzRecordDecode: any bytes decode to effects or an error, never a panic,
// and a decoded record re-encodes to the same bytes.
func FuzzRecordDecode(f *testing.F) {
	f.Add(AppendEntry(nil, 1, [][]byte{[]byte("SET"), []byte("k"), []byte("v")}))
	f.Add([]byte("\x00*1\r\n$-1\r\n"))
	f.Add([]byte("\x00*2\r\n$3\r\nGET\r\n$99999999999\r\n"))
	f.Fuzz(func(t *testing.T, rec []byte) {
		var again []byte
		err := EachEntry(rec, func(db int, argv [][]byte) error {
			again = AppendEntry(again, db, argv)
			return nil
		})
		if err == nil && !bytes.Equal(again, rec) && len(rec) > 0 {
			// Non-canonical spellings (e.g. "$03") decode but re-encode
			// differently; they must still decode to the same effects.
			var n1, n2 int
			_ = EachEntry(rec, func(int, [][]byte) error { n1++; return nil })
			_ = EachEntry(again, func(int, [][]byte) error { n2++; return nil })
			if n1 != n2 {
				t.Fatalf("re-encoding changed the effect count: %d vs %d", n1, n2)
			}
		}
	})
}
