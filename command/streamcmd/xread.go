package streamcmd

import (
	"math"
	"time"

	"github.com/larder-db/larder/command"
)

// xreadKeys: the keys of XREAD/XREADGROUP are the first half of the
// arguments after STREAMS (Redis's xreadGetKeys).
func xreadKeys(args [][]byte) []int {
	for i := 1; i < len(args); i++ {
		switch {
		case command.Eq(args[i], "block"), command.Eq(args[i], "count"):
			i++
		case command.Eq(args[i], "group"):
			i += 2
		case command.Eq(args[i], "noack"):
		case command.Eq(args[i], "streams"):
			n := (len(args) - i - 1) / 2
			out := make([]int, n)
			for j := range out {
				out[j] = i + 1 + j
			}
			return out
		default:
			return nil
		}
	}
	return nil
}

// readArgs is XREAD's and XREADGROUP's parsed options.
type readArgs struct {
	group, consumer []byte
	timeout         int64 // -1: no BLOCK
	count           int64
	noack           bool
	keys, ids       [][]byte
	idPos           int
}

func parseRead(args [][]byte, xreadgroup, fromScript bool) (a readArgs, err error) {
	a.timeout = -1
	streams := 0
	for i := 1; i < len(args) && streams == 0; i++ {
		more := len(args) - i - 1
		o := args[i]
		switch {
		case command.Eq(o, "block") && more > 0:
			if fromScript { // Redis names the command as the script spelled it
				return a, command.Error("ERR " + string(args[0]) + " command is not allowed with BLOCK option from scripts")
			}
			i++
			t, ok := command.ParseInt(args[i])
			if !ok {
				return a, command.Error("ERR timeout is not an integer or out of range")
			}
			if t < 0 {
				return a, command.Error("ERR timeout is negative")
			}
			a.timeout = t
		case command.Eq(o, "count") && more > 0:
			i++
			n, ok := command.ParseInt(args[i])
			if !ok {
				return a, command.ErrNotInteger
			}
			a.count = max(n, 0)
		case command.Eq(o, "streams") && more > 0:
			streams = i + 1
			if (len(args)-streams)%2 != 0 {
				return a, command.Error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.")
			}
		case command.Eq(o, "group") && more >= 2:
			if !xreadgroup {
				return a, command.Error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.")
			}
			a.group, a.consumer = args[i+1], args[i+2]
			i += 2
		case command.Eq(o, "noack"):
			if !xreadgroup {
				return a, command.Error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.")
			}
			a.noack = true
		default:
			return a, command.ErrSyntax
		}
	}
	if streams == 0 {
		return a, command.ErrSyntax
	}
	if xreadgroup && a.group == nil {
		return a, command.Error("ERR Missing GROUP option for XREADGROUP")
	}
	n := (len(args) - streams) / 2
	a.keys, a.ids, a.idPos = args[streams:streams+n], args[streams+n:], streams+n
	return a, nil
}

// cmdXread: XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...]
func cmdXread(c *command.Call) error { return xread(c, false) }

// cmdXreadgroup: XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...]
func cmdXreadgroup(c *command.Call) error { return xread(c, true) }

// readTarget is one stream to read: after id, or new entries (">").
type readTarget struct {
	s   *Stream
	g   *group
	id  ID
	new bool
}

func xread(c *command.Call, xreadgroup bool) error {
	a, err := parseRead(c.Args, xreadgroup, c.S.FromScript())
	if err != nil {
		return err
	}
	targets := make([]readTarget, len(a.keys))
	for i, key := range a.keys {
		e, err := c.LookupKind(key, kindStream)
		if c.S.BlockRetry && a.group != nil && (err != nil || e == nil) {
			return command.Error("UNBLOCKED the stream key no longer exists")
		}
		if err != nil {
			return c.BlockedResult(a.keys, 0, false, err)
		}
		t := &targets[i]
		if e != nil {
			t.s = streamOf(e)
		}
		if a.group != nil {
			if t.s != nil {
				t.g = t.s.groups[string(a.group)]
			}
			if t.g == nil && c.S.BlockRetry {
				return command.Error("NOGROUP the consumer group this client was blocked on no longer exists")
			}
			if t.g == nil {
				return command.Error("NOGROUP No such key '" + string(key) + "' or consumer group '" +
					string(a.group) + "' in XREADGROUP with GROUP option")
			}
		}
		switch arg := a.ids[i]; string(arg) {
		case "$":
			if xreadgroup {
				return command.Error("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.")
			}
			if t.s != nil {
				t.id = t.s.lastID
			}
			a.ids[i] = t.id.Bytes() // a blocked retry reads after this ID
		case ">":
			if !xreadgroup {
				return command.Error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.")
			}
			t.new = true
		default:
			if t.id, err = parseStrictID(arg, 0); err != nil {
				return err
			}
			// Redis encodes ">" as the largest ID, so that ID reads new entries too.
			t.new = xreadgroup && t.id == maxID
		}
	}
	return serveRead(c, a, targets)
}

// serveRead replies with the streams that have entries for their target,
// or blocks (or answers null) when none has.
func serveRead(c *command.Call, a readArgs, targets []readTarget) error {
	count := a.count
	if count == 0 && c.S.BlockRetry {
		count = 1000 // XREAD_BLOCKED_DEFAULT_COUNT
	}
	var ready []int
	for i, t := range targets {
		if t.s == nil {
			continue
		}
		last := t.s.last()
		switch {
		case t.g != nil && !t.new:
			ready = append(ready, i)
		case t.g != nil && last != nil && t.g.lastID.Less(last.id):
			ready = append(ready, i)
		case t.g == nil && last != nil && t.id.Less(last.id):
			ready = append(ready, i)
		}
	}
	if len(ready) == 0 {
		if a.timeout < 0 {
			c.R.NullArray()
			return nil
		}
		timeout := time.Duration(min(a.timeout, math.MaxInt64/int64(time.Millisecond))) * time.Millisecond
		return c.BlockOn(a.keys, timeout)
	}
	if c.S.Proto == 3 {
		c.R.Map(len(ready))
	} else {
		c.R.Array(len(ready))
	}
	for _, i := range ready {
		t := targets[i]
		if c.S.Proto != 3 {
			c.R.Array(2)
		}
		c.R.Bulk(a.keys[i])
		if t.g == nil {
			start, _ := t.id.Incr()
			items := t.s.rangeEntries(start, maxID, int(count), false)
			c.R.Array(len(items))
			for _, it := range items {
				replyEntry(c, it)
			}
			continue
		}
		readGroup(c, a, a.keys[i], t, int(count))
	}
	return nil
}
