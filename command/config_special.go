package command

import (
	"fmt"
	"strconv"
	"strings"
)

// Parameters whose values Redis 7.0 parses specially (several words, flag
// sets, clamping). Larder stores them as Redis shows them.

// strtoll reads a whole string as C's strtoll (leading space, a sign and
// leading zeros allowed; nothing read is 0), the parser Redis uses for
// save points and oom-score-adj-values.
func strtoll(s string) (int64, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	if t == "" {
		return 0, s == ""
	}
	n, err := strconv.ParseInt(t, 10, 64)
	return n, err == nil
}

// saveParam: RDB save points, "seconds changes ..." as redis.conf. Larder
// writes no RDB files: the value is validated and stored only.
func saveParam() *Param {
	return &Param{Name: "save", Default: "",
		Usage: "RDB save points (seconds changes ...): stored for Redis clients; Larder writes no RDB files",
		Check: func(v string) string {
			if _, ok := parseSave(v); !ok {
				return "Invalid save parameters"
			}
			return ""
		},
		Merge: func(_, v string) string {
			points, _ := parseSave(v)
			parts := make([]string, len(points))
			for i, n := range points {
				if i%2 == 1 {
					n = int64(int32(n)) // Redis keeps changes in an int
				}
				parts[i] = strconv.FormatInt(n, 10)
			}
			return strings.Join(parts, " ")
		}}
}

// parseSave splits save points on single spaces, as Redis: an even count,
// seconds at least 1, changes at least 0; "" is none.
func parseSave(v string) ([]int64, bool) {
	if v == "" {
		return nil, true
	}
	words := strings.Split(v, " ")
	if len(words)%2 != 0 {
		return nil, false
	}
	out := make([]int64, len(words))
	for i, w := range words {
		n, ok := strtoll(w)
		if !ok || (i%2 == 0 && n < 1) || (i%2 == 1 && n < 0) {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

// oomScoreAdjParam: "relative" is another name of "yes", which CONFIG GET
// shows.
func oomScoreAdjParam() *Param {
	p := choice("oom-score-adj", "no", "no", "yes", "relative", "absolute")
	p.Merge = func(_, v string) string {
		if v = strings.ToLower(v); v == "relative" {
			return "yes"
		}
		return v
	}
	return p
}

// Shutdown flags of shutdown-on-sigint/sigterm, in Redis's order.
var shutdownFlags = []string{"default", "save", "nosave", "now", "force"}

// shutdownOnSignalParam: a set of the flags save, nosave, now and force
// (or default: none), given as words; CONFIG GET lists them in Redis's
// order.
func shutdownOnSignalParam(name string) *Param {
	return &Param{Name: name, Default: "default", Compat: true,
		Check: func(v string) string {
			set, ok := parseShutdownFlags(v)
			if !ok {
				return "argument(s) must be one of the following: " + strings.Join(shutdownFlags, ", ")
			}
			if set["save"] && set["nosave"] {
				return "shutdown options SAVE and NOSAVE can't be used simultaneously"
			}
			return ""
		},
		Merge: func(_, v string) string {
			set, _ := parseShutdownFlags(v)
			var names []string
			for _, f := range shutdownFlags[1:] {
				if set[f] {
					names = append(names, f)
				}
			}
			if len(names) == 0 {
				return "default"
			}
			return strings.Join(names, " ")
		}}
}

func parseShutdownFlags(v string) (map[string]bool, bool) {
	set := map[string]bool{}
	for _, w := range strings.Split(v, " ") {
		w = strings.ToLower(w)
		if !containsFold(shutdownFlags, w) {
			return nil, false
		}
		set[w] = true
	}
	return set, true
}

// hzParam: Redis accepts any hz from 0 but keeps it within 1..500.
func hzParam() *Param {
	p := integer("hz", "10", 0, intMax)
	p.Merge = func(_, v string) string {
		n, _ := ParseInt([]byte(v))
		return strconv.FormatInt(min(max(n, 1), 500), 10)
	}
	return p
}

// checkHostname is Redis's isValidAnnouncedHostname.
func checkHostname(v string) string {
	if len(v) >= 256 {
		return "Hostnames must be less than 256 characters"
	}
	for _, ch := range v {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '.') {
			return "Hostnames may only contain alphanumeric characters, hyphens or dots"
		}
	}
	return ""
}

// checkProcTitle is Redis's validateProcTitleTemplate: known {variables},
// "{{" for a brace, and a title that is not empty when expanded with an
// empty {title} (a server that is neither cluster nor sentinel).
func checkProcTitle(v string) string {
	const bad = "template format is invalid or contains unknown variables"
	nonEmpty := map[string]bool{"listen-addr": true, "config-file": true, "port": true, "tls-port": true}
	known := map[string]bool{"title": true, "server-mode": true, "unixsocket": true}
	out := 0
	for v != "" {
		i := strings.IndexByte(v, '{')
		if i < 0 {
			out += len(v)
			break
		}
		out += i
		v = v[i+1:]
		switch {
		case v == "":
			return bad
		case v[0] == '{':
			out++
			v = v[1:]
			continue
		}
		end := strings.IndexByte(v, '}')
		if end < 0 || !(nonEmpty[v[:end]] || known[v[:end]]) {
			return bad
		}
		if nonEmpty[v[:end]] {
			out++
		}
		v = v[end+1:]
	}
	if out == 0 {
		return bad
	}
	return ""
}

func redisSpecials() []*Param {
	return []*Param{
		{Name: "oom-score-adj-values", Default: "0 200 800", Compat: true,
			Check: func(v string) string {
				_, reason := parseOOMValues(v)
				return reason
			},
			Merge: func(_, v string) string {
				vals, _ := parseOOMValues(v)
				return fmt.Sprintf("%d %d %d", vals[0], vals[1], vals[2])
			}},
		{Name: "latency-tracking-info-percentiles", Default: "50 99 99.9", Compat: true,
			Check: func(v string) string {
				_, reason := parsePercentiles(v)
				return reason
			},
			Merge: func(_, v string) string {
				ps, _ := parsePercentiles(v)
				parts := make([]string, len(ps))
				for i, p := range ps {
					parts[i] = trimFloat(strconv.FormatFloat(p, 'f', 6, 64))
				}
				return strings.Join(parts, " ")
			}},
		// Larder is no replica: only the command line could set it in Redis.
		text("replicaof", "").alias("slaveof").immutable(),
	}
}

func parseOOMValues(v string) ([3]int64, string) {
	var out [3]int64
	words := strings.Split(v, " ")
	if len(words) != 3 {
		return out, "wrong number of arguments"
	}
	for i, w := range words {
		n, ok := strtoll(w)
		if !ok || n < -2000 || n > 2000 {
			return out, "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
		}
		out[i] = n
	}
	return out, ""
}

func parsePercentiles(v string) ([]float64, string) {
	if v == "" {
		return nil, ""
	}
	var out []float64
	for _, w := range strings.Split(v, " ") {
		p, ok := ParseScore([]byte(w))
		if !ok {
			return nil, "Invalid latency-tracking-info-percentiles parameters"
		}
		if p > 100 || p < 0 {
			return nil, "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
		}
		out = append(out, p)
	}
	return out, ""
}

// trimFloat is Redis's trimDoubleString: "99.900000" is "99.9", "50.000000"
// is "50".
func trimFloat(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
