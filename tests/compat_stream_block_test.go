package tests

import (
	"fmt"
	"testing"
)

// Blocking XREAD and XREADGROUP against redis-server 7.0: a waiter on one
// connection, writes from another, replies compared byte for byte.

func TestCompat_StreamBlocking(t *testing.T) {
	base := sharedPair(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("resp%d", proto), func(t *testing.T) {
			base.with(t).do("FLUSHALL")
			a, b := base.newClient().with(t), base.newClient().with(t)
			if proto == 3 {
				a, b = base.resp3().with(t), base.resp3().with(t)
			}
			w := base.newClient().with(t)
			w.do("XADD", "s", "1-1", "f", "v")
			// $ is the last ID when blocking: only later entries serve
			a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
			w.do("XDEL", "s", "1-1")
			w.do("XADD", "s", "2-1", "f", "v2")
			a.next()
			// an entry on any of the keys serves; COUNT applies
			a.send("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "nope", "s", "0", "2-1")
			w.do("XADD", "nope", "1-1", "x", "y")
			a.next()
			// consumer groups: new entries only, the group moves on
			w.do("XGROUP", "CREATE", "s", "g", "$")
			a.send("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">")
			b.send("XREADGROUP", "GROUP", "g", "c2", "BLOCK", "0", "STREAMS", "s", ">")
			w.do("XADD", "s", "3-1", "f", "v3")
			a.next()
			w.do("XADD", "s", "4-1", "f", "v4")
			b.next()
			w.do("XPENDING", "s", "g")
			// history reads never block
			a.do("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", "0")
			// the group destroyed, then the key deleted, end the waits with errors
			a.send("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">")
			w.do("XGROUP", "DESTROY", "s", "g")
			w.do("XADD", "s", "5-1", "f", "v5")
			a.next()
			w.do("XGROUP", "CREATE", "s", "g", "$")
			a.send("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">")
			w.do("DEL", "s")
			a.next()
			// a type change (or FLUSHALL, or a transaction) ends a group
			// read; a plain read waits on (Redis's "Blocking XREAD(GROUP):
			// key deleted / type changed / flushed DB", which the TCL gate
			// skips: they do not wait for the block, see gate.sh)
			w.do("XADD", "s", "6-1", "f", "v6")
			w.do("XGROUP", "CREATE", "s", "g", "$")
			a.send("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">")
			w.do("SET", "s", "str")
			a.next()
			for _, change := range [][][]string{{{"FLUSHALL"}}, {{"MULTI"}, {"DEL", "s"}, {"SADD", "s", "m"}, {"EXEC"}}} {
				w.do("DEL", "s")
				w.do("XADD", "s", "6-1", "f", "v6")
				w.do("XGROUP", "CREATE", "s", "g", "$")
				a.send("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">")
				for _, argv := range change {
					w.do(argv...)
				}
				a.next()
			}
			w.do("DEL", "s")
			w.do("XADD", "s", "6-1", "f", "v6")
			a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
			w.do("DEL", "s")
			w.do("SADD", "s", "m")
			w.do("DEL", "s")
			w.do("XADD", "s", "7-1", "f", "v7")
			a.next()
			// a timeout is a null array; MULTI never blocks
			a.do("XREAD", "BLOCK", "10", "STREAMS", "s", "$")
			a.do("MULTI")
			a.do("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
			a.do("EXEC")
		})
	}
}
