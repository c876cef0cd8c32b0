package streamcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// limits reads the node size settings.
func limits(c *command.Call) nodeLimits {
	return nodeLimits{c.D.Cfg.Int("stream-node-max-entries"), c.D.Cfg.Int("stream-node-max-bytes")}
}

// streamOf returns the stream held by e.
func streamOf(e *keyspace.Entry) *Stream { return e.Obj().(*Stream) }

const (
	errMaxMinID  command.Error = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
	errTopItem   command.Error = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
	errZeroID    command.Error = "ERR The ID specified in XADD must be greater than 0-0"
	errExhausted command.Error = "ERR The stream has exhausted the last possible ID, unable to add more items"
)

// addArgs is XADD's and XTRIM's parsed options.
type addArgs struct {
	trimArgs
	noMkStream bool
	idGiven    bool
	seqGiven   bool
	id         ID
	idPos      int
}

// parseAddTrim is streamParseAddOrTrimArgsOrReply: options from args[2:],
// up to the ID for XADD.
func parseAddTrim(args [][]byte, xadd bool, lim nodeLimits) (a addArgs, err error) {
	limitGiven := false
	i := 2
	for ; i < len(args); i++ {
		more := len(args) - 1 - i
		opt := args[i]
		switch {
		case xadd && string(opt) == "*":
			a.idPos = i
			return a, finishTrim(&a, limitGiven, xadd, lim)
		case command.Eq(opt, "maxlen") && more > 0, command.Eq(opt, "minid") && more > 0:
			if a.strategy != 0 {
				return a, errMaxMinID
			}
			a.approx = false
			if more >= 2 && (string(args[i+1]) == "~" || string(args[i+1]) == "=") {
				a.approx = string(args[i+1]) == "~"
				i++
			}
			if command.Eq(opt, "maxlen") {
				n, ok := command.ParseInt(args[i+1])
				if !ok {
					return a, command.ErrNotInteger
				}
				if n < 0 {
					return a, command.Error("ERR The MAXLEN argument must be >= 0.")
				}
				a.strategy, a.maxlen = 'L', n
			} else {
				id, err := parseStrictID(args[i+1], 0)
				if err != nil {
					return a, err
				}
				a.strategy, a.minid = 'I', id
			}
			i++
		case command.Eq(opt, "limit") && more > 0:
			n, ok := command.ParseInt(args[i+1])
			if !ok {
				return a, command.ErrNotInteger
			}
			if n < 0 {
				return a, command.Error("ERR The LIMIT argument must be >= 0.")
			}
			a.limit, limitGiven = n, true
			i++
		case xadd && command.Eq(opt, "nomkstream"):
			a.noMkStream = true
		case xadd:
			id, seqGiven, err := parseIDFull(opt, 0, true, true)
			if err != nil {
				return a, err
			}
			a.id, a.seqGiven, a.idGiven, a.idPos = id, seqGiven, true, i
			return a, finishTrim(&a, limitGiven, xadd, lim)
		default:
			return a, command.ErrSyntax
		}
	}
	a.idPos = i
	return a, finishTrim(&a, limitGiven, xadd, lim)
}

// finishTrim checks the options together and sets the default LIMIT of
// approximate trimming, as Redis does for a normal client.
func finishTrim(a *addArgs, limitGiven, xadd bool, lim nodeLimits) error {
	if a.limit != 0 && a.strategy == 0 {
		return command.Error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy")
	}
	if !xadd && a.strategy == 0 {
		return command.Error("ERR syntax error, XTRIM must be called with a trimming strategy")
	}
	switch {
	case limitGiven && !a.approx:
		return command.Error("ERR syntax error, LIMIT cannot be used without the special ~ option")
	case !limitGiven && a.approx:
		a.limit = 10000
		if lim.entries > 0 && lim.entries <= 1000000/100 {
			a.limit = 100 * lim.entries
		} else if lim.entries > 0 {
			a.limit = 1000000
		}
	case !limitGiven:
		a.limit = 0
	}
	return nil
}

// trimWords are the normalised trim options of a journal record: exact,
// with the resulting length or first ID when the trim was approximate.
func trimWords(s *Stream, a trimArgs) [][]byte {
	if a.strategy == 0 {
		return nil
	}
	if a.strategy == 'L' {
		n := a.maxlen
		if a.approx {
			n = int64(s.Len())
		}
		return [][]byte{[]byte("MAXLEN"), []byte("="), strconv.AppendInt(nil, n, 10)}
	}
	id := a.minid
	if a.approx {
		id = s.firstID
		if e := s.first(); e != nil {
			id = e.id
		}
	}
	return [][]byte{[]byte("MINID"), []byte("="), id.Bytes()}
}

// nextID is the ID XADD gives: the one asked for (with an automatic
// sequence for "ms-*"), or one from the clock.
func nextID(s *Stream, a addArgs, now int64) (ID, error) {
	var id ID
	switch {
	case a.idGiven && a.seqGiven:
		id = a.id
	case a.idGiven:
		if s.lastID.Ms == a.id.Ms {
			if s.lastID.Seq == maxID.Seq {
				return ID{}, errTopItem
			}
			id = ID{a.id.Ms, s.lastID.Seq + 1}
		} else {
			id = a.id
		}
	default:
		ms := uint64(now)
		if ms > s.lastID.Ms {
			id = ID{ms, 0}
		} else {
			id, _ = s.lastID.Incr()
		}
	}
	if id.Cmp(s.lastID) <= 0 {
		return ID{}, errTopItem
	}
	return id, nil
}

// cmdXadd: XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
func cmdXadd(c *command.Call) error {
	lim := limits(c)
	a, err := parseAddTrim(c.Args, true, lim)
	if err != nil {
		return err
	}
	fieldPos := a.idPos + 1
	if n := len(c.Args) - fieldPos; n < 2 || n%2 == 1 {
		return command.WrongArgs("xadd")
	}
	if a.idGiven && a.seqGiven && a.id.IsZero() {
		return errZeroID
	}
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, kindStream)
	if err != nil {
		return err
	}
	var s *Stream
	if e == nil {
		if a.noMkStream {
			c.R.Null()
			return nil
		}
		s = newStream()
	} else {
		s = streamOf(e)
	}
	if s.lastID == maxID {
		return errExhausted
	}
	id, err := nextID(s, a, c.NowMs())
	if err != nil {
		return err
	}
	if e == nil {
		c.DB().SetObject(key, kindStream, s)
	}
	fields := make([]string, 0, len(c.Args)-fieldPos)
	for _, f := range c.Args[fieldPos:] {
		fields = append(fields, string(f))
	}
	s.appendEntry(id, fields, lim)
	s.changed()
	c.R.Bulk(id.Bytes())
	c.Notify(command.NotifyStream, "xadd", key)
	if a.strategy != 0 && s.trim(a.trimArgs) > 0 {
		s.changed()
		c.Notify(command.NotifyStream, "xtrim", key)
	}
	rec := [][]byte{[]byte("XADD"), key}
	rec = append(rec, trimWords(s, a.trimArgs)...)
	rec = append(append(rec, id.Bytes()), c.Args[fieldPos:]...)
	c.Journal(rec...)
	return nil
}

// cmdXtrim: XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
func cmdXtrim(c *command.Call) error {
	a, err := parseAddTrim(c.Args, false, limits(c))
	if err != nil {
		return err
	}
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, kindStream)
	if err != nil || e == nil {
		if err == nil {
			c.R.Int(0)
		}
		return err
	}
	s := streamOf(e)
	n := s.trim(a.trimArgs)
	if n > 0 {
		s.changed()
		c.Notify(command.NotifyStream, "xtrim", key)
		c.Journal(append([][]byte{[]byte("XTRIM"), key}, trimWords(s, a.trimArgs)...)...)
	}
	c.R.Int(n)
	return nil
}

// cmdXdel: XDEL key id [id ...]
func cmdXdel(c *command.Call) error {
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, kindStream)
	if err != nil || e == nil {
		if err == nil {
			c.R.Int(0)
		}
		return err
	}
	ids := make([]ID, 0, len(c.Args)-2)
	for _, arg := range c.Args[2:] {
		id, err := parseStrictID(arg, 0)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	s, deleted := streamOf(e), 0
	for _, id := range ids {
		if x := s.get(id); x != nil {
			s.removeEntry(x)
			if s.maxDeleted.Less(id) {
				s.maxDeleted = id
			}
			deleted++
		}
	}
	if deleted > 0 {
		s.updateFirst()
		s.changed()
		c.Notify(command.NotifyStream, "xdel", key)
	}
	c.R.Int(int64(deleted))
	return nil
}

// cmdXsetid: XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
func cmdXsetid(c *command.Call) error {
	id, err := parseStrictID(c.Args[2], 0)
	if err != nil {
		return err
	}
	added, maxDel := int64(-1), ID{}
	for i := 3; i < len(c.Args); i += 2 {
		more := i+1 < len(c.Args)
		switch {
		case command.Eq(c.Args[i], "entriesadded") && more:
			n, ok := command.ParseInt(c.Args[i+1])
			if !ok {
				return command.ErrNotInteger
			}
			if n < 0 {
				return command.Error("ERR entries_added must be positive")
			}
			added = n
		case command.Eq(c.Args[i], "maxdeletedid") && more:
			if maxDel, err = parseStrictID(c.Args[i+1], 0); err != nil {
				return err
			}
			if id.Less(maxDel) {
				return command.Error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
			}
		default:
			return command.ErrSyntax
		}
	}
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, kindStream)
	if err != nil {
		return err
	}
	if e == nil {
		return command.ErrNoSuchKey
	}
	s := streamOf(e)
	if s.Len() > 0 {
		if id.Less(s.last().id) {
			return command.Error("ERR The ID specified in XSETID is smaller than the target stream top item")
		}
		if added != -1 && int64(s.Len()) > added {
			return command.Error("ERR The entries_added specified in XSETID is smaller than the target stream length")
		}
	}
	s.lastID = id
	if added != -1 {
		s.entriesAdded = uint64(added)
	}
	if !maxDel.IsZero() {
		s.maxDeleted = maxDel
	}
	s.changed()
	c.R.Simple("OK")
	c.Notify(command.NotifyStream, "xsetid", key)
	return nil
}
