package command

// params is the list of parameters Larder has, with redis.conf names and
// Redis's defaults where Redis has the same parameter.
func params() []*Param {
	return []*Param{
		{Name: "port", Kind: KindInt, Default: "6379", Min: 0, Max: 65535, Immutable: true,
			Usage: "TCP port for RESP clients"},
		{Name: "bind", Default: "127.0.0.1", Immutable: true,
			Usage: "address to listen on"},
		{Name: "dir", Default: "./larder-data", Immutable: true,
			Usage: "data directory"},
		{Name: "save", Default: "",
			Usage: "RDB save points: Larder writes no RDB files, so only \"\" (none) is accepted",
			Check: func(v string) string {
				if v != "" {
					return "Larder has no RDB snapshots: only save \"\" is supported"
				}
				return ""
			}},
		{Name: "appendonly", Kind: KindBool, Default: "no", Immutable: true,
			Usage: "durable append log (not built yet: only 'no' is accepted)",
			Check: func(v string) string {
				if v != "no" && v != "NO" && v != "No" {
					return "persistence is not built yet: only appendonly no is supported"
				}
				return ""
			}},
		{Name: "requirepass", Default: "", Sensitive: true,
			Usage: "password of the default user"},
		{Name: "maxclients", Kind: KindInt, Default: "10000", Min: 1, Max: 4294967295,
			Usage: "maximum number of connected clients"},
		{Name: "databases", Kind: KindInt, Default: "16", Min: 1, Max: 1 << 20, Immutable: true,
			Usage: "number of databases"},
		{Name: "loglevel", Kind: KindEnum, Default: "notice",
			Enum:  []string{"debug", "verbose", "notice", "warning", "nothing"},
			Usage: "log level"},
		{Name: "timeout", Kind: KindInt, Default: "0", Min: 0, Max: 1<<31 - 1,
			Usage: "close idle clients after this many seconds (0 = never)"},
		{Name: "maxmemory", Kind: KindMemory, Default: "0", Min: 0,
			Usage: "memory limit in bytes (0 = none)"},
		{Name: "maxmemory-policy", Kind: KindEnum, Default: "noeviction",
			Enum: []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
				"allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"},
			Usage: "what to do when maxmemory is reached"},
		{Name: "proto-max-bulk-len", Kind: KindMemory, Default: "536870912", Min: 1024 * 1024,
			Usage: "largest bulk string a client may send"},
		{Name: "client-query-buffer-limit", Kind: KindMemory, Default: "1073741824", Min: 1024 * 1024,
			Usage: "largest query a client may send"},
		outputLimitParam(),
		notifyParam(),
		{Name: "hash-max-listpack-entries", Kind: KindInt, Default: "512", Min: 0, Max: 1<<63 - 1,
			Usage: "hashes up to this many fields report encoding listpack"},
		{Name: "hash-max-listpack-value", Kind: KindInt, Default: "64", Min: 0, Max: 1<<63 - 1,
			Usage: "hashes whose fields and values are at most this long report listpack"},
		{Name: "list-max-listpack-size", Kind: KindInt, Default: "-2", Min: -1 << 31, Max: 1<<31 - 1,
			Usage: "list node size (negative: -1..-5 = 4..64 KB), for OBJECT ENCODING"},
		{Name: "list-compress-depth", Kind: KindInt, Default: "0", Min: 0, Max: 1<<31 - 1,
			Usage: "accepted for compatibility; Larder does not compress lists"},
		{Name: "set-max-intset-entries", Kind: KindInt, Default: "512", Min: 0, Max: 1<<63 - 1,
			Usage: "integer-only sets up to this size report encoding intset"},
		{Name: "zset-max-listpack-entries", Kind: KindInt, Default: "128", Min: 0, Max: 1<<63 - 1,
			Usage: "sorted sets up to this many members report encoding listpack"},
		{Name: "zset-max-listpack-value", Kind: KindInt, Default: "64", Min: 0, Max: 1<<63 - 1,
			Usage: "sorted sets whose members are at most this long report listpack"},
		{Name: "busy-reply-threshold", Kind: KindInt, Default: "5000", Min: 0, Max: 1<<63 - 1,
			Usage: "ms a script may run before other clients get BUSY (and SCRIPT KILL applies)"},
		{Name: "shards", Kind: KindInt, Default: "64", Min: 1, Max: 1 << 16, Immutable: true,
			Usage: "shards per database (rounded up to a power of two)"},
	}
}
