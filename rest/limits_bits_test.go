package rest_test

import (
	"testing"

	"github.com/larder-db/larder/rest"
)

// TestLimits_BitRecordGrowth: SETBIT and BITFIELD grow a string to reach
// their offset; past the max record size they fail with Upstash's text and
// change nothing, up to it they work (§17). The bitmap commands also run
// over REST through the shared table: replies in JSON.
func TestLimits_BitRecordGrowth(t *testing.T) {
	ts := startREST(t, func(o *rest.Options) { o.MaxRecordSize = 10 })
	const recErr = "ERR max single record size exceeded"
	cases := []struct {
		name, body string
		status     int
		want       string
	}{
		{"setbit to the limit", `["SETBIT","b","79",1]`, 200, `{"result":0}`},
		{"setbit past the limit", `["SETBIT","b","80",1]`, 400, `{"error":"` + recErr + `"}`},
		{"setbit of a new key past the limit", `["SETBIT","n","1000",1]`, 400, `{"error":"` + recErr + `"}`},
		{"bitfield past the limit", `["BITFIELD","b","SET","u8","#10","1"]`, 400, `{"error":"` + recErr + `"}`},
		{"bitfield inside", `["BITFIELD","b","SET","u8","#9","255","GET","u4","76"]`, 200, `{"result":[1,15]}`},
		{"bitfield_ro past the end", `["BITFIELD_RO","b","GET","u8","1000"]`, 200, `{"result":[0]}`},
		{"bitcount", `["BITCOUNT","b"]`, 200, `{"result":8}`},
		{"bitpos", `["BITPOS","b","1","0","-1","BIT"]`, 200, `{"result":72}`},
		{"bitop", `["BITOP","NOT","d","b"]`, 200, `{"result":10}`},
		{"getbit", `["GETBIT","d","0"]`, 200, `{"result":1}`},
		{"setbit error", `["SETBIT","b","-1",1]`, 400, `{"error":"ERR bit offset is not an integer or out of range"}`},
	}
	for _, c := range cases {
		expectBody(t, c.name, ts.post(t, "/", c.body), c.status, c.want)
	}
	expectBody(t, "unchanged", ts.post(t, "/", `["MGET","n"]`), 200, `{"result":[null]}`)
	expectBody(t, "strlen", ts.post(t, "/", `["STRLEN","b"]`), 200, `{"result":10}`)
}
