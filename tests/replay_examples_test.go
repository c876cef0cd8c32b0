package tests

import "fmt"

// writeExamples holds, for every write command of the table (COMMAND,
// flags containing "write"), representative invocations for the replay
// test. TestDurability_ReplayEveryWriteCommand fails when the server has a
// write command without an entry here: a new write command gets one.
//
// Each case runs its setup, then cmd (whose reply must not be an error and
// which must change the data set), in database db. Keys start with the
// command's name so a digest difference names the command. TTLs are long
// (hours) so nothing expires during the test. Entries for commands Larder
// does not have yet are kept ready and skipped until the table has them.

// replayCase is one invocation of a write command with its setup.
type replayCase struct {
	db    int
	setup [][]string
	cmd   []string
	same  bool // the data set may stay the same (a write-flagged command that usually does not write)
	// build, when set, makes the command from replies to earlier ones
	// (FUNCTION RESTORE needs a FUNCTION DUMP payload).
	build func(do func(argv []string) (any, error)) ([]string, error)
}

// luaLib is a function library named name with one function.
func luaLib(name string) string {
	return "#!lua name=" + name + "\nredis.register_function('" + name + "_f', function(keys, args) return 1 end)"
}

func rc(cmd []string, setup ...[]string) replayCase { return replayCase{setup: setup, cmd: cmd} }

func rcDB(db int, cmd []string, setup ...[]string) replayCase {
	return replayCase{db: db, setup: setup, cmd: cmd}
}

// av is an argv.
func av(args ...string) []string { return args }

// pfaddN is a PFADD of n elements named after the key.
func pfaddN(key string, n int) []string {
	argv := av("PFADD", key)
	for i := 0; i < n; i++ {
		argv = append(argv, fmt.Sprintf("%s-%d", key, i))
	}
	return argv
}

var writeExamples = map[string][]replayCase{
	// strings
	"append":      {rc(av("APPEND", "append:k", "tail"), av("SET", "append:k", "head")), rc(av("APPEND", "append:new", "x"))},
	"decr":        {rc(av("DECR", "decr:k"))},
	"decrby":      {rc(av("DECRBY", "decrby:k", "7"), av("SET", "decrby:k", "100"))},
	"getdel":      {rc(av("GETDEL", "getdel:k"), av("SET", "getdel:k", "v"), av("SET", "getdel:stay", "v"))},
	"getex":       {rc(av("GETEX", "getex:k", "EX", "3600"), av("SET", "getex:k", "v")), rc(av("GETEX", "getex:p", "PERSIST"), av("SET", "getex:p", "v", "EX", "3600"))},
	"getset":      {rc(av("GETSET", "getset:k", "new"), av("SET", "getset:k", "old", "EX", "3600"))},
	"incr":        {rc(av("INCR", "incr:k"))},
	"incrby":      {rc(av("INCRBY", "incrby:k", "-42"))},
	"incrbyfloat": {rc(av("INCRBYFLOAT", "incrbyfloat:k", "0.1"), av("SET", "incrbyfloat:k", "10.5")), rc(av("INCRBYFLOAT", "incrbyfloat:e", "1e-3"))},
	"mset":        {rc(av("MSET", "mset:a", "1", "mset:b", "2"))},
	"msetnx":      {rc(av("MSETNX", "msetnx:a", "1", "msetnx:b", "2"))},
	"psetex":      {rc(av("PSETEX", "psetex:k", "7200000", "v"))},
	"set": {
		rc(av("SET", "set:plain", "v")),
		rc(av("SET", "set:ex", "v", "EX", "3600")),
		rc(av("SET", "set:px", "v", "PX", "7200000")),
		rc(av("SET", "set:keepttl", "w", "KEEPTTL"), av("SET", "set:keepttl", "v", "EX", "3600")),
		rc(av("SET", "set:get", "new", "GET"), av("SET", "set:get", "old")),
		rc(av("SET", "set:nx", "v", "NX")),
		rc(av("SET", "set:xx", "w", "XX"), av("SET", "set:xx", "v", "EX", "3600")),
		rc(av("SET", "set:pxat", "v", "PXAT", "4102444800000")),
		rc(av("SET", "set:binary", "\x00\xff\r\n\"'")),
	},
	"setex":    {rc(av("SETEX", "setex:k", "3600", "v"))},
	"setnx":    {rc(av("SETNX", "setnx:k", "v"))},
	"setrange": {rc(av("SETRANGE", "setrange:k", "3", "XY"), av("SET", "setrange:k", "abcdef")), rc(av("SETRANGE", "setrange:pad", "5", "z"))},
	// keys
	"copy": {
		rc(av("COPY", "copy:src", "copy:dst"), av("RPUSH", "copy:src", "a", "b"), av("PEXPIRE", "copy:src", "7200000")),
		rc(av("COPY", "copy:src2", "copy:src2", "DB", "3"), av("SADD", "copy:src2", "m")),
		rc(av("COPY", "copy:src3", "copy:dst3", "REPLACE"), av("SET", "copy:src3", "new"), av("SET", "copy:dst3", "old")),
	},
	"del":       {rc(av("DEL", "del:a", "del:b", "del:none"), av("SET", "del:a", "1"), av("HSET", "del:b", "f", "v"), av("SET", "del:stay", "1"))},
	"unlink":    {rc(av("UNLINK", "unlink:a"), av("ZADD", "unlink:a", "1", "m"), av("SET", "unlink:stay", "1"))},
	"expire":    {rc(av("EXPIRE", "expire:k", "3600"), av("SET", "expire:k", "v")), rc(av("EXPIRE", "expire:past", "-1"), av("SET", "expire:past", "v"), av("SET", "expire:stay", "v"))},
	"expireat":  {rc(av("EXPIREAT", "expireat:k", "4102444800"), av("SET", "expireat:k", "v")), rc(av("EXPIREAT", "expireat:past", "1"), av("SET", "expireat:past", "v"), av("SET", "expireat:stay", "v"))},
	"pexpire":   {rc(av("PEXPIRE", "pexpire:k", "7200000"), av("SET", "pexpire:k", "v"))},
	"pexpireat": {rc(av("PEXPIREAT", "pexpireat:k", "4102444800123"), av("LPUSH", "pexpireat:k", "v"))},
	"persist":   {rc(av("PERSIST", "persist:k"), av("SET", "persist:k", "v", "EX", "3600"))},
	"move":      {rc(av("MOVE", "move:k", "2"), av("SET", "move:k", "v", "EX", "3600"))},
	"rename":    {rc(av("RENAME", "rename:a", "rename:b"), av("HSET", "rename:a", "f", "v"), av("PEXPIRE", "rename:a", "7200000"))},
	"renamenx":  {rc(av("RENAMENX", "renamenx:a", "renamenx:b"), av("SET", "renamenx:a", "v"))},
	"flushall":  {rcDB(4, av("FLUSHALL"), av("SET", "flushall:k", "v"))},
	"flushdb":   {rcDB(5, av("FLUSHDB"), av("SET", "flushdb:k", "v"))},
	"swapdb": {{setup: [][]string{av("SELECT", "6"), av("SET", "swapdb:six", "6"), av("SELECT", "7"), av("SET", "swapdb:seven", "7")},
		cmd: av("SWAPDB", "6", "7")}},
	"sort": {rc(av("SORT", "sort:src", "STORE", "sort:dst"), av("RPUSH", "sort:src", "3", "1", "2")),
		rc(av("SORT", "sort:src2", "ALPHA", "DESC", "STORE", "sort:dst2"), av("SADD", "sort:src2", "b", "a", "c"))},
	// lists
	"blmove":     {rc(av("BLMOVE", "blmove:a", "blmove:b", "LEFT", "RIGHT", "0"), av("RPUSH", "blmove:a", "1", "2"))},
	"blmpop":     {rc(av("BLMPOP", "0", "2", "blmpop:x", "blmpop:a", "RIGHT", "COUNT", "2"), av("RPUSH", "blmpop:a", "1", "2", "3"))},
	"blpop":      {rc(av("BLPOP", "blpop:a", "0"), av("RPUSH", "blpop:a", "1", "2"))},
	"brpop":      {rc(av("BRPOP", "brpop:a", "0"), av("RPUSH", "brpop:a", "1", "2"))},
	"brpoplpush": {rc(av("BRPOPLPUSH", "brpoplpush:a", "brpoplpush:b", "0"), av("RPUSH", "brpoplpush:a", "1", "2"))},
	"linsert":    {rc(av("LINSERT", "linsert:k", "BEFORE", "b", "x"), av("RPUSH", "linsert:k", "a", "b"))},
	"lmove":      {rc(av("LMOVE", "lmove:a", "lmove:a", "LEFT", "RIGHT"), av("RPUSH", "lmove:a", "1", "2", "3"))},
	"lmpop":      {rc(av("LMPOP", "1", "lmpop:a", "LEFT", "COUNT", "2"), av("RPUSH", "lmpop:a", "1", "2", "3"))},
	"lpop":       {rc(av("LPOP", "lpop:a"), av("RPUSH", "lpop:a", "1", "2")), rc(av("LPOP", "lpop:b", "5"), av("RPUSH", "lpop:b", "1", "2"))},
	"lpush":      {rc(av("LPUSH", "lpush:a", "1", "2", "3"))},
	"lpushx":     {rc(av("LPUSHX", "lpushx:a", "x"), av("RPUSH", "lpushx:a", "1"))},
	"lrem":       {rc(av("LREM", "lrem:a", "-1", "x"), av("RPUSH", "lrem:a", "x", "y", "x"))},
	"lset":       {rc(av("LSET", "lset:a", "-1", "z"), av("RPUSH", "lset:a", "x", "y"))},
	"ltrim":      {rc(av("LTRIM", "ltrim:a", "1", "-2"), av("RPUSH", "ltrim:a", "1", "2", "3", "4"))},
	"rpop":       {rc(av("RPOP", "rpop:a"), av("RPUSH", "rpop:a", "1", "2"))},
	"rpoplpush":  {rc(av("RPOPLPUSH", "rpoplpush:a", "rpoplpush:b"), av("RPUSH", "rpoplpush:a", "1", "2"))},
	"rpush":      {rc(av("RPUSH", "rpush:a", "1", "", "3"))},
	"rpushx":     {rc(av("RPUSHX", "rpushx:a", "x"), av("RPUSH", "rpushx:a", "1"))},
	// sets
	"sadd":        {rc(av("SADD", "sadd:s", "a", "b", "1", "2"))},
	"srem":        {rc(av("SREM", "srem:s", "a"), av("SADD", "srem:s", "a", "b"))},
	"smove":       {rc(av("SMOVE", "smove:a", "smove:b", "m"), av("SADD", "smove:a", "m", "n"))},
	"spop":        {rc(av("SPOP", "spop:s"), av("SADD", "spop:s", "a", "b", "c", "d", "e")), rc(av("SPOP", "spop:t", "3"), av("SADD", "spop:t", "1", "2", "3", "4", "5", "6", "7"))},
	"sdiffstore":  {rc(av("SDIFFSTORE", "sdiffstore:d", "sdiffstore:a", "sdiffstore:b"), av("SADD", "sdiffstore:a", "1", "2", "3"), av("SADD", "sdiffstore:b", "2"))},
	"sinterstore": {rc(av("SINTERSTORE", "sinterstore:d", "sinterstore:a", "sinterstore:b"), av("SADD", "sinterstore:a", "1", "2"), av("SADD", "sinterstore:b", "2", "3"))},
	"sunionstore": {rc(av("SUNIONSTORE", "sunionstore:d", "sunionstore:a", "sunionstore:b"), av("SADD", "sunionstore:a", "1"), av("SADD", "sunionstore:b", "x"))},
	// sorted sets
	"zadd": {rc(av("ZADD", "zadd:z", "1", "a", "2.5", "b", "-inf", "c")), rc(av("ZADD", "zadd:z2", "INCR", "3", "m"), av("ZADD", "zadd:z2", "1", "m")),
		rc(av("ZADD", "zadd:z3", "0.1", "x", "1e-7", "y", "123456789.123", "z"))},
	"zincrby":          {rc(av("ZINCRBY", "zincrby:z", "0.5", "m"), av("ZADD", "zincrby:z", "1", "m"))},
	"zrem":             {rc(av("ZREM", "zrem:z", "a"), av("ZADD", "zrem:z", "1", "a", "2", "b"))},
	"zremrangebylex":   {rc(av("ZREMRANGEBYLEX", "zremrangebylex:z", "[a", "(c"), av("ZADD", "zremrangebylex:z", "0", "a", "0", "b", "0", "c"))},
	"zremrangebyrank":  {rc(av("ZREMRANGEBYRANK", "zremrangebyrank:z", "0", "0"), av("ZADD", "zremrangebyrank:z", "1", "a", "2", "b"))},
	"zremrangebyscore": {rc(av("ZREMRANGEBYSCORE", "zremrangebyscore:z", "(1", "+inf"), av("ZADD", "zremrangebyscore:z", "1", "a", "2", "b"))},
	"zpopmax":          {rc(av("ZPOPMAX", "zpopmax:z"), av("ZADD", "zpopmax:z", "1", "a", "2", "b"))},
	"zpopmin":          {rc(av("ZPOPMIN", "zpopmin:z", "2"), av("ZADD", "zpopmin:z", "1", "a", "2", "b", "3", "c"))},
	"bzpopmax":         {rc(av("BZPOPMAX", "bzpopmax:z", "0"), av("ZADD", "bzpopmax:z", "1", "a", "2", "b"))},
	"bzpopmin":         {rc(av("BZPOPMIN", "bzpopmin:z", "0"), av("ZADD", "bzpopmin:z", "1", "a", "2", "b"))},
	"zmpop":            {rc(av("ZMPOP", "1", "zmpop:z", "MAX", "COUNT", "2"), av("ZADD", "zmpop:z", "1", "a", "2", "b", "3", "c"))},
	"bzmpop":           {rc(av("BZMPOP", "0", "1", "bzmpop:z", "MIN"), av("ZADD", "bzmpop:z", "1", "a", "2", "b"))},
	"zdiffstore":       {rc(av("ZDIFFSTORE", "zdiffstore:d", "2", "zdiffstore:a", "zdiffstore:b"), av("ZADD", "zdiffstore:a", "1", "x", "2", "y"), av("ZADD", "zdiffstore:b", "1", "x"))},
	"zinterstore":      {rc(av("ZINTERSTORE", "zinterstore:d", "2", "zinterstore:a", "zinterstore:b", "WEIGHTS", "2", "3", "AGGREGATE", "MAX"), av("ZADD", "zinterstore:a", "1", "x", "2", "y"), av("ZADD", "zinterstore:b", "5", "x"))},
	"zunionstore":      {rc(av("ZUNIONSTORE", "zunionstore:d", "2", "zunionstore:a", "zunionstore:b"), av("ZADD", "zunionstore:a", "1", "x"), av("ZADD", "zunionstore:b", "1.5", "x", "2", "y"))},
	"zrangestore":      {rc(av("ZRANGESTORE", "zrangestore:d", "zrangestore:s", "0", "1"), av("ZADD", "zrangestore:s", "1", "a", "2", "b", "3", "c"))},
	// geo (GEOADD and GEOSEARCHSTORE are with the entries kept ready below)
	"georadius": {rc(av("GEORADIUS", "georadius:g", "15", "37", "200", "km", "STORE", "georadius:d"), av("GEOADD", "georadius:g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania")),
		rc(av("GEORADIUS", "georadius:g2", "15", "37", "200", "mi", "COUNT", "1", "STOREDIST", "georadius:d2"), av("GEOADD", "georadius:g2", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"))},
	"georadiusbymember": {rc(av("GEORADIUSBYMEMBER", "georadiusbymember:g", "Palermo", "200", "km", "STOREDIST", "georadiusbymember:d"), av("GEOADD", "georadiusbymember:g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"))},
	// hashes
	"hset":         {rc(av("HSET", "hset:h", "f1", "v1", "f2", "v2"))},
	"hmset":        {rc(av("HMSET", "hmset:h", "f", "v"))},
	"hsetnx":       {rc(av("HSETNX", "hsetnx:h", "f", "v"))},
	"hdel":         {rc(av("HDEL", "hdel:h", "f1"), av("HSET", "hdel:h", "f1", "1", "f2", "2"))},
	"hincrby":      {rc(av("HINCRBY", "hincrby:h", "f", "5"))},
	"hincrbyfloat": {rc(av("HINCRBYFLOAT", "hincrbyfloat:h", "f", "0.1"), av("HSET", "hincrbyfloat:h", "f", "1.5"))},
	"hexpire":      {rc(av("HEXPIRE", "hexpire:h", "3600", "FIELDS", "1", "a"), av("HSET", "hexpire:h", "a", "1", "b", "2"))},
	"hexpireat":    {rc(av("HEXPIREAT", "hexpireat:h", "4102444800", "FIELDS", "1", "a"), av("HSET", "hexpireat:h", "a", "1", "b", "2"))},
	"hpexpire":     {rc(av("HPEXPIRE", "hpexpire:h", "7200000", "FIELDS", "2", "a", "b"), av("HSET", "hpexpire:h", "a", "1", "b", "2"))},
	"hpexpireat":   {rc(av("HPEXPIREAT", "hpexpireat:h", "4102444800123", "FIELDS", "1", "b"), av("HSET", "hpexpireat:h", "a", "1", "b", "2"))},
	"hpersist":     {rc(av("HPERSIST", "hpersist:h", "FIELDS", "1", "a"), av("HSET", "hpersist:h", "a", "1", "b", "2"), av("HEXPIRE", "hpersist:h", "3600", "FIELDS", "2", "a", "b"))},
	"hgetdel":      {rc(av("HGETDEL", "hgetdel:h", "FIELDS", "1", "a"), av("HSET", "hgetdel:h", "a", "1", "b", "2"))},
	"hgetex":       {rc(av("HGETEX", "hgetex:h", "EX", "3600", "FIELDS", "1", "a"), av("HSET", "hgetex:h", "a", "1", "b", "2"))},
	"hsetex":       {rc(av("HSETEX", "hsetex:h", "PX", "7200000", "FIELDS", "2", "a", "1", "b", "2"))},
	// functions (the digest holds FUNCTION LIST WITHCODE)
	"function|load":    {rc(av("FUNCTION", "LOAD", luaLib("replaylib")))},
	"function|delete":  {rc(av("FUNCTION", "DELETE", "deletelib"), av("FUNCTION", "LOAD", luaLib("deletelib")))},
	"function|flush":   {rc(av("FUNCTION", "FLUSH"), av("FUNCTION", "LOAD", luaLib("flushlib")))},
	"function|restore": {{setup: [][]string{av("FUNCTION", "LOAD", luaLib("restorelib"))}, build: functionRestore}},
	// DUMP payloads restored under other keys, with relative, no and absolute TTLs.
	"restore": {
		{setup: [][]string{av("RPUSH", "restore:src", "a", "1", "b")}, build: restoreOf("restore:src", "restore:l", "7200000")},
		{setup: [][]string{av("HSET", "restore:h0", "f", "v"), av("SET", "restore:h", "x")},
			build: restoreOf("restore:h0", "restore:h", "0", "REPLACE")},
		{setup: [][]string{av("ZADD", "restore:z0", "1.5", "m")}, build: restoreOf("restore:z0", "restore:z", "4102444800000", "ABSTTL")},
	},
	// MIGRATE to the server itself (its own port, another db): the source
	// key's DEL and the target's RESTORE both replay.
	"migrate": {{setup: [][]string{av("SET", "migrate:k", "v"), av("SET", "migrate:c", "w", "PX", "7200000")}, build: migrateSelf("migrate:k")},
		{setup: [][]string{av("SET", "migrate:c2", "w")}, build: migrateSelf("", "COPY", "REPLACE", "KEYS", "migrate:c", "migrate:c2")}},
	// HyperLogLog: promotions to dense (by size, by PFDEBUG) and merges.
	"pfadd": {rc(av("PFADD", "pfadd:h", "a", "b", "c")), rc(av("PFADD", "pfadd:e")),
		rc(av("PFADD", "pfadd:grow", "x", "y"), av("PFADD", "pfadd:grow", "a")),
		rc(pfaddN("pfadd:dense", 3000)), rc(av("PFADD", "pfadd:d2", "x"), av("PFADD", "pfadd:d2", "a"), av("PFDEBUG", "TODENSE", "pfadd:d2"))},
	"pfmerge": {rc(av("PFMERGE", "pfmerge:d", "pfmerge:a"), av("PFADD", "pfmerge:a", "x", "y")),
		rc(av("PFMERGE", "pfmerge:big", "pfmerge:s1", "pfmerge:s2"), pfaddN("pfmerge:s1", 1200), pfaddN("pfmerge:s2", 1300)),
		rc(av("PFMERGE", "pfmerge:e"))},
	"pfcount": {{setup: [][]string{av("PFADD", "pfcount:h", "x")}, cmd: av("PFCOUNT", "pfcount:h"), same: true}},
	"pfdebug": {rc(av("PFDEBUG", "TODENSE", "pfdebug:h"), av("PFADD", "pfdebug:h", "a", "b")),
		rc(av("PFDEBUG", "GETREG", "pfdebug:g"), av("PFADD", "pfdebug:g", "a"))},
	// Ready for commands Larder does not have yet (skipped until it does).
	"setbit":         {rc(av("SETBIT", "setbit:k", "100", "1"))},
	"bitop":          {rc(av("BITOP", "OR", "bitop:d", "bitop:a", "bitop:b"), av("SET", "bitop:a", "ab"), av("SET", "bitop:b", "c"))},
	"bitfield":       {rc(av("BITFIELD", "bitfield:k", "SET", "u8", "0", "200", "INCRBY", "i5", "100", "1"))},
	"geoadd":         {rc(av("GEOADD", "geoadd:g", "13.361389", "38.115556", "Palermo"))},
	"geosearchstore": {rc(av("GEOSEARCHSTORE", "geosearchstore:d", "geosearchstore:g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"), av("GEOADD", "geosearchstore:g", "13.361389", "38.115556", "Palermo"))},
	"xadd": {rc(av("XADD", "xadd:s", "1-1", "f", "v")), rc(av("XADD", "xadd:auto", "*", "f", "v")),
		rc(av("XADD", "xadd:approx", "MAXLEN", "~", "1", "LIMIT", "1", "3-*", "f", "v"), av("XADD", "xadd:approx", "1-1", "f", "v"), av("XADD", "xadd:approx", "2-1", "f", "v"))},
	"xdel":    {rc(av("XDEL", "xdel:s", "1-1"), av("XADD", "xdel:s", "1-1", "f", "v"), av("XADD", "xdel:s", "2-1", "f", "v"))},
	"xtrim":   {rc(av("XTRIM", "xtrim:s", "MAXLEN", "1"), av("XADD", "xtrim:s", "1-1", "f", "v"), av("XADD", "xtrim:s", "2-1", "f", "v"))},
	"xsetid":  {rc(av("XSETID", "xsetid:s", "9-9", "ENTRIESADDED", "5", "MAXDELETEDID", "3-0"), av("XADD", "xsetid:s", "1-1", "f", "v"))},
	"xackdel": {rc(av("XACKDEL", "xackdel:s", "g", "ACKED", "IDS", "2", "1-1", "2-1"), av("XADD", "xackdel:s", "1-1", "f", "v"), av("XADD", "xackdel:s", "2-1", "f", "v"), av("XGROUP", "CREATE", "xackdel:s", "g", "0"), av("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xackdel:s", ">"))},
	"xdelex":  {rc(av("XDELEX", "xdelex:s", "DELREF", "IDS", "1", "1-1"), av("XADD", "xdelex:s", "1-1", "f", "v"), av("XADD", "xdelex:s", "2-1", "f", "v"), av("XGROUP", "CREATE", "xdelex:s", "g", "0"), av("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xdelex:s", ">"))},
	"xack":    {rc(av("XACK", "xack:s", "g", "1-1"), av("XADD", "xack:s", "1-1", "f", "v"), av("XGROUP", "CREATE", "xack:s", "g", "0"), av("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xack:s", ">"))},
	"xclaim":  {rc(av("XCLAIM", "xclaim:s", "g", "c2", "0", "1-1", "RETRYCOUNT", "3"), av("XADD", "xclaim:s", "1-1", "f", "v"), av("XGROUP", "CREATE", "xclaim:s", "g", "0"), av("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xclaim:s", ">"))},
	"xautoclaim": {rc(av("XAUTOCLAIM", "xautoclaim:s", "g", "c2", "0", "0"), av("XADD", "xautoclaim:s", "1-1", "f", "v"), av("XADD", "xautoclaim:s", "2-1", "f", "v"),
		av("XGROUP", "CREATE", "xautoclaim:s", "g", "0"), av("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xautoclaim:s", ">"), av("XDEL", "xautoclaim:s", "2-1"))},
	"xreadgroup":            {rc(av("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xreadgroup:s", ">"), av("XADD", "xreadgroup:s", "1-1", "f", "v"), av("XGROUP", "CREATE", "xreadgroup:s", "g", "0")), rc(av("XREADGROUP", "GROUP", "g", "c", "NOACK", "STREAMS", "xreadgroup:n", ">"), av("XADD", "xreadgroup:n", "1-1", "f", "v"), av("XGROUP", "CREATE", "xreadgroup:n", "g", "0"))},
	"xgroup|create":         {rc(av("XGROUP", "CREATE", "xgroup:c", "g", "$", "MKSTREAM"))},
	"xgroup|setid":          {rc(av("XGROUP", "SETID", "xgroup:s", "g", "1-1", "ENTRIESREAD", "1"), av("XADD", "xgroup:s", "1-1", "f", "v"), av("XGROUP", "CREATE", "xgroup:s", "g", "0"))},
	"xgroup|destroy":        {rc(av("XGROUP", "DESTROY", "xgroup:d", "g"), av("XADD", "xgroup:d", "1-1", "f", "v"), av("XGROUP", "CREATE", "xgroup:d", "g", "0"))},
	"xgroup|createconsumer": {rc(av("XGROUP", "CREATECONSUMER", "xgroup:cc", "g", "c"), av("XADD", "xgroup:cc", "1-1", "f", "v"), av("XGROUP", "CREATE", "xgroup:cc", "g", "0"))},
	"xgroup|delconsumer":    {rc(av("XGROUP", "DELCONSUMER", "xgroup:dc", "g", "c"), av("XADD", "xgroup:dc", "1-1", "f", "v"), av("XGROUP", "CREATE", "xgroup:dc", "g", "0"), av("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xgroup:dc", ">"))},
}

// replayExtras are write paths that are not one command: each must replay
// to the same data set too.
var replayExtras = map[string][]replayCase{
	"multi-exec": {{setup: [][]string{av("MULTI"), av("SET", "multi:a", "1"), av("INCR", "multi:a"), av("RPUSH", "multi:l", "x"),
		av("EXPIRE", "multi:l", "3600"), av("SPOP", "multi:none")}, cmd: av("EXEC")}},
	"overwrite-type": {rc(av("SET", "overwrite:k", "now a string"), av("RPUSH", "overwrite:k", "a"), av("EXPIRE", "overwrite:k", "3600"))},
	"delete-by-pop":  {rc(av("LPOP", "emptied:l"), av("RPUSH", "emptied:l", "only"), av("SET", "emptied:stay", "1"))},
	"bitop-deletes":  {rc(av("BITOP", "AND", "emptied:bits", "emptied:none"), av("SET", "emptied:bits", "x"), av("SET", "emptied:stay2", "1"))},
	"bitfield-grows": {rc(av("BITFIELD", "bitfield:fail", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "10"))},
	"big-value":      {rc(av("SET", "big:k", string(make([]byte, 300_000))))},
	"other-db":       {rcDB(9, av("HSET", "otherdb:h", "f", "v"))},
	// Changes to a value that already exists: nothing is inserted, so only
	// the value's own mutation counting can produce the record (the "write
	// without a record" check in runReplayCase).
	"existing-value": {
		rc(av("HSET", "existing:h", "f", "2"), av("HSET", "existing:h", "f", "1")),
		rc(av("HINCRBY", "existing:h2", "f", "5"), av("HSET", "existing:h2", "f", "1")),
		rc(av("RPUSH", "existing:l", "b"), av("RPUSH", "existing:l", "a")),
		rc(av("LSET", "existing:l2", "0", "z"), av("RPUSH", "existing:l2", "a")),
		rc(av("LTRIM", "existing:l3", "0", "0"), av("RPUSH", "existing:l3", "a", "b")),
		rc(av("SADD", "existing:s", "b"), av("SADD", "existing:s", "a")),
		rc(av("SREM", "existing:s2", "a"), av("SADD", "existing:s2", "a", "b")),
		rc(av("ZADD", "existing:z", "2", "a"), av("ZADD", "existing:z", "1", "a")),
		rc(av("ZINCRBY", "existing:z2", "2", "a"), av("ZADD", "existing:z2", "1", "a")),
		rc(av("APPEND", "existing:k", "b"), av("SET", "existing:k", "a")),
		rc(av("SETRANGE", "existing:k2", "0", "b"), av("SET", "existing:k2", "a")),
		rc(av("INCR", "existing:n"), av("SET", "existing:n", "1")),
		rc(av("SETBIT", "existing:bits", "7", "0"), av("INCR", "existing:bits")),
		rc(av("BITFIELD", "existing:bf", "OVERFLOW", "SAT", "INCRBY", "u4", "0", "20"), av("SET", "existing:bf", "ab")),
		rc(av("BITOP", "NOT", "existing:bo", "existing:bo"), av("SET", "existing:bo", "ab", "EX", "3600")),
		rc(av("PERSIST", "existing:t"), av("SET", "existing:t", "a", "EX", "3600")),
	},
}

// restoreOf builds a RESTORE of src's DUMP under dst, with ttl and options.
func restoreOf(src, dst, ttl string, opts ...string) func(do func(argv []string) (any, error)) ([]string, error) {
	return func(do func(argv []string) (any, error)) ([]string, error) {
		payload, err := do(av("DUMP", src))
		if err != nil {
			return nil, err
		}
		return append(av("RESTORE", dst, ttl, fmt.Sprint(payload)), opts...), nil
	}
}

// migrateSelf builds a MIGRATE of key to db 9 of the server under test,
// whose port it asks with CONFIG GET.
func migrateSelf(key string, opts ...string) func(do func(argv []string) (any, error)) ([]string, error) {
	return func(do func(argv []string) (any, error)) ([]string, error) {
		reply, err := do(av("CONFIG", "GET", "port"))
		if err != nil {
			return nil, err
		}
		pair, ok := reply.([]any)
		if !ok || len(pair) != 2 {
			return nil, fmt.Errorf("CONFIG GET port = %v", reply)
		}
		return append(av("MIGRATE", "127.0.0.1", fmt.Sprint(pair[1]), key, "9", "5000"), opts...), nil
	}
}

// functionRestore dumps the libraries, deletes restorelib and builds a
// FUNCTION RESTORE of the dump that brings it back.
func functionRestore(do func(argv []string) (any, error)) ([]string, error) {
	payload, err := do(av("FUNCTION", "DUMP"))
	if err != nil {
		return nil, err
	}
	if _, err := do(av("FUNCTION", "FLUSH")); err != nil {
		return nil, err
	}
	return av("FUNCTION", "RESTORE", fmt.Sprint(payload)), nil
}
