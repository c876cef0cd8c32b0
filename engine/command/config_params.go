package command

// params is the list of parameters Larder has, with redis.conf names and
// Redis's defaults where Redis has the same parameter.
func params() []*Param {
	return append([]*Param{
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
		{Name: "shards", Kind: KindInt, Default: "64", Min: 1, Max: 1 << 16, Immutable: true,
			Usage: "shards per database (rounded up to a power of two)"},
	}, restParams()...)
}

// restParams are the Upstash REST API's settings (UPSTASH-REST.md; the
// limits default to Upstash's documented values, §17).
func restParams() []*Param {
	return []*Param{
		{Name: "rest-port", Kind: KindInt, Default: "8080", Min: 0, Max: 65535, Immutable: true,
			Usage: "HTTP port for the Upstash REST API (0 = off)"},
		{Name: "rest-bind", Default: "", Immutable: true,
			Usage: "address for the REST API (empty: the same as bind)"},
		{Name: "rest-base-path", Default: "", Immutable: true,
			Usage: "path prefix the REST API is served under (behind a reverse proxy)"},
		{Name: "rest-token", Default: "", Sensitive: true,
			Usage: "REST standard token, also a password of the default user (generated on a loopback bind when empty)"},
		{Name: "rest-readonly-token", Default: "", Sensitive: true,
			Usage: "REST read-only token, also the password of the default_ro user"},
		{Name: "rest-cors-origins", Default: "*", Immutable: true,
			Usage: "origins allowed by CORS: *, a space-separated list, or empty for no CORS headers"},
		{Name: "rest-max-request-size", Kind: KindMemory, Default: "10485760", Min: 1024, Immutable: true,
			Usage: "largest REST request body (ERR max request size exceeded)"},
		{Name: "rest-max-key-size", Kind: KindMemory, Default: "32768", Min: 1, Immutable: true,
			Usage: "largest key a REST command may name (ERR max key size exceeded)"},
		{Name: "rest-max-record-size", Kind: KindMemory, Default: "104857600", Min: 1, Immutable: true,
			Usage: "largest value a REST write may carry (ERR max single record size exceeded)"},
		{Name: "rest-max-pipeline-commands", Kind: KindInt, Default: "100000", Min: 1, Max: 1 << 30, Immutable: true,
			Usage: "most commands in one /pipeline or /multi-exec request"},
		{Name: "rest-max-streams", Kind: KindInt, Default: "1000", Min: 0, Max: 1 << 30, Immutable: true,
			Usage: "most concurrent SSE streams (/subscribe, /psubscribe; 0 = no limit)"},
		{Name: "rest-header-timeout", Kind: KindInt, Default: "10", Min: 1, Max: 3600, Immutable: true,
			Usage: "seconds a REST client has to send its request headers (slowloris)"},
		{Name: "rest-read-timeout", Kind: KindInt, Default: "30", Min: 1, Max: 3600, Immutable: true,
			Usage: "seconds a REST client has to send a whole request"},
		{Name: "rest-write-timeout", Kind: KindInt, Default: "60", Min: 1, Max: 3600, Immutable: true,
			Usage: "seconds to answer a REST request (SSE streams are exempt)"},
		{Name: "rest-idle-timeout", Kind: KindInt, Default: "120", Min: 1, Max: 86400, Immutable: true,
			Usage: "seconds an idle keep-alive REST connection stays open"},
		{Name: "rest-max-header-bytes", Kind: KindMemory, Default: "65536", Min: 4096, Max: 1 << 24, Immutable: true,
			Usage: "largest REST request header block (431 beyond it)"},
	}
}
