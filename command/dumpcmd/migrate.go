package dumpcmd

import (
	"errors"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/internal/rdb"
	"github.com/larder-db/larder/keyspace"
	"github.com/larder-db/larder/protocol/resp"
)

// MIGRATE's answers (Redis 7.0's cluster.c).
const (
	errMigrateKeysArg  command.Error = "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string"
	errMigrateConnect  command.Error = "IOERR error or timeout connecting to the client"
	errMigrateWriting  command.Error = "IOERR error or timeout writing to target instance"
	errMigrateReading  command.Error = "IOERR error or timeout reading to target instance"
	migrateTargetError               = "ERR Target instance replied with error: "
)

// migrateOpts are MIGRATE's arguments.
type migrateOpts struct {
	addr           string
	keys           [][]byte
	db             int64
	timeout        time.Duration
	copy, replace  bool
	user, password []byte // password nil: no AUTH
}

// parseMigrate reads MIGRATE host port key|"" destination-db timeout
// [COPY] [REPLACE] [AUTH password | AUTH2 username password] [KEYS key …]
// in Redis's order: the options, then timeout and db (timeout <= 0 is
// 1000 ms).
func parseMigrate(args [][]byte) (migrateOpts, error) {
	o := migrateOpts{keys: args[3:4]}
	for j := 6; j < len(args); j++ {
		more := len(args) - 1 - j
		switch a := args[j]; {
		case command.Eq(a, "copy"):
			o.copy = true
		case command.Eq(a, "replace"):
			o.replace = true
		case command.Eq(a, "auth") && more >= 1:
			o.password = args[j+1]
			j++
		case command.Eq(a, "auth2") && more >= 2:
			o.user, o.password = args[j+1], args[j+2]
			j += 2
		case command.Eq(a, "keys"):
			if len(args[3]) != 0 {
				return o, errMigrateKeysArg
			}
			o.keys = args[j+1:]
			j = len(args)
		default:
			return o, command.ErrSyntax
		}
	}
	timeout, err := command.IntArg(args[5])
	if err != nil {
		return o, err
	}
	if o.db, err = command.IntArg(args[4]); err != nil {
		return o, err
	}
	if timeout <= 0 {
		timeout = 1000
	}
	o.timeout = time.Duration(timeout) * time.Millisecond
	o.addr = net.JoinHostPort(string(args[1]), string(args[2]))
	return o, nil
}

// migrateKeys finds MIGRATE's keys for locking: the key argument, or the
// keys after KEYS.
func migrateKeys(args [][]byte) []int {
	pos := []int{3}
	for j := 6; j < len(args); j++ {
		switch {
		case command.Eq(args[j], "auth"):
			j++
		case command.Eq(args[j], "auth2"):
			j += 2
		case command.Eq(args[j], "keys") && len(args[3]) == 0:
			pos = pos[:0]
			for k := j + 1; k < len(args); k++ {
				pos = append(pos, k)
			}
			return pos
		}
	}
	return pos
}

// migrateSecrets are the AUTH and AUTH2 credentials, which MONITOR and
// SLOWLOG show redacted (Redis's redactClientCommandArgument).
func migrateSecrets(args [][]byte) []int {
	var pos []int
	for j := 6; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case command.Eq(args[j], "auth") && more >= 1:
			pos = append(pos, j+1)
			j++
		case command.Eq(args[j], "auth2") && more >= 2:
			pos = append(pos, j+1, j+2)
			j += 2
		case command.Eq(args[j], "keys"):
			return pos
		}
	}
	return pos
}

// cmdMigrate moves (or with COPY copies) keys to another server: one
// pipeline of [AUTH] [SELECT db] and RESTORE key ttl payload [REPLACE]
// per key, on a cached connection; each key the target acknowledges is
// deleted here and journaled as DEL. A socket error before any reply is
// retried once on a new connection, unless it was a timeout. +NOKEY when
// no key exists.
func cmdMigrate(c *command.Call) error {
	o, err := parseMigrate(c.Args)
	if err != nil {
		return err
	}
	var keys [][]byte
	var entries []*keyspace.Entry
	for _, k := range o.keys {
		if e := c.Lookup(k); e != nil {
			keys, entries = append(keys, k), append(entries, e)
		}
	}
	if len(keys) == 0 {
		c.R.Simple("NOKEY")
		return nil
	}
	cache, _ := command.ExtensionOf[*migrateCache](c.D)
	retry, err := migrateOnce(c, cache, o, keys, entries)
	if retry {
		_, err = migrateOnce(c, cache, o, keys, entries)
	}
	return err
}

// migrateOnce runs one attempt. retry reports a socket error before any
// reply that was not a timeout: a cached connection the target closed
// meanwhile is worth one new one.
func migrateOnce(c *command.Call, cache *migrateCache, o migrateOpts, keys [][]byte, entries []*keyspace.Entry) (retry bool, err error) {
	mc, err := cache.get(o.addr, o.timeout)
	if err != nil {
		// Redis's non-blocking connect only notices a refused connection
		// when it writes: that is an IOERR "writing", retried once; a
		// connect that times out is the "connecting" one.
		if isTimeout(err) {
			return false, errMigrateConnect
		}
		return true, errMigrateWriting
	}
	sel := mc.lastDB != o.db
	buf, sent := migrateRequest(c, o, sel, keys, entries)
	_ = mc.conn.SetWriteDeadline(time.Now().Add(o.timeout))
	if _, err := mc.conn.Write(buf); err != nil {
		cache.drop(o.addr, mc)
		return !isTimeout(err), errMigrateWriting
	}
	var first string // the first error the target answered
	readLine := func() (string, error) {
		_ = mc.conn.SetReadDeadline(time.Now().Add(o.timeout))
		return mc.rd.ReadString('\n')
	}
	for _, n := range []bool{o.password != nil, sel} {
		if !n {
			continue
		}
		line, err := readLine()
		if err != nil {
			cache.drop(o.addr, mc)
			return !isTimeout(err), errMigrateReading
		}
		if first == "" && len(line) > 0 && line[0] == '-' {
			first = line
		}
	}
	return migrateReplies(c, cache, mc, o, sent, first, readLine)
}

// migrateReplies reads one RESTORE reply per key sent, deleting each key
// the target took (unless COPY), and answers the client: the target's
// first error, else an IOERR on a socket error, else +OK.
func migrateReplies(c *command.Call, cache *migrateCache, mc *migrateConn, o migrateOpts,
	sent [][]byte, first string, readLine func() (string, error)) (bool, error) {
	for i, k := range sent {
		line, err := readLine()
		if err != nil {
			cache.drop(o.addr, mc)
			if first != "" {
				return false, command.Error(migrateTargetError + trimLine(first[1:]))
			}
			return i == 0 && !isTimeout(err), errMigrateReading
		}
		switch {
		case first != "":
		case len(line) > 0 && line[0] == '-':
			first = line
		case !o.copy:
			c.DB().Delete(k)
			c.Journal([]byte("DEL"), k)
			c.Dirty(1)
			c.Notify(command.NotifyGeneric, "del", k)
		}
	}
	if first != "" {
		mc.lastDB = -1
		cache.put(o.addr, mc)
		return false, command.Error(migrateTargetError + trimLine(first[1:]))
	}
	mc.lastDB = o.db
	cache.put(o.addr, mc)
	c.R.Simple("OK")
	return false, nil
}

// migrateRequest builds the pipeline and returns it with the keys it
// carries (a key whose TTL ran out since the lookup is left out).
func migrateRequest(c *command.Call, o migrateOpts, sel bool, keys [][]byte, entries []*keyspace.Entry) ([]byte, [][]byte) {
	var b []byte
	if o.password != nil {
		if o.user != nil {
			b = resp.AppendCommand(b, [][]byte{[]byte("AUTH"), o.user, o.password})
		} else {
			b = resp.AppendCommand(b, [][]byte{[]byte("AUTH"), o.password})
		}
	}
	if sel {
		b = resp.AppendCommand(b, [][]byte{[]byte("SELECT"), strconv.AppendInt(nil, o.db, 10)})
	}
	var sent [][]byte
	for i, k := range keys {
		var ttl int64
		if at := entries[i].ExpireAt(); at != 0 {
			if ttl = at - c.NowMs(); ttl < 0 {
				continue
			}
			ttl = max(ttl, 1)
		}
		body, err := encodeValue(c, entries[i])
		if err != nil {
			continue
		}
		argv := [][]byte{[]byte("RESTORE"), k, strconv.AppendInt(nil, ttl, 10), rdb.Seal(body)}
		if o.replace {
			argv = append(argv, []byte("REPLACE"))
		}
		b = resp.AppendCommand(b, argv)
		sent = append(sent, k)
	}
	return b, sent
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

func trimLine(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}
