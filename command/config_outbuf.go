package command

import (
	"strconv"
	"strings"
)

// client-output-buffer-limit: "<class> <hard> <soft> <soft-seconds>" for
// the classes normal, replica (alias slave) and pubsub, as redis.conf.
// Larder enforces the pubsub class on subscribers' push queues.

const outputLimitDefault = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"

var outputClasses = []string{"normal", "slave", "pubsub"}

func outputLimitParam() *Param {
	return &Param{Name: "client-output-buffer-limit", Default: outputLimitDefault,
		Usage: "output buffer limits per client class: class hard soft seconds ...",
		Check: func(v string) string {
			_, reason := readOutputLimits(v)
			return reason
		},
		Merge: func(old, v string) string {
			cur, _ := parseOutputLimits(old)
			upd, _ := parseOutputLimits(v)
			for k, l := range upd {
				cur[k] = l
			}
			parts := make([]string, 0, 4*len(outputClasses))
			for _, k := range outputClasses {
				l := cur[k]
				parts = append(parts, k, strconv.FormatInt(l[0], 10), strconv.FormatInt(l[1], 10), strconv.FormatInt(l[2], 10))
			}
			return strings.Join(parts, " ")
		}}
}

// parseOutputLimits reads class → [hard, soft, seconds].
func parseOutputLimits(v string) (map[string][3]int64, bool) {
	l, reason := readOutputLimits(v)
	return l, reason == ""
}

// readOutputLimits parses v, or returns Redis's reason for refusing it.
func readOutputLimits(v string) (map[string][3]int64, string) {
	f := strings.Fields(v)
	if len(f)%4 != 0 {
		return nil, "Wrong number of arguments in buffer limit configuration."
	}
	out := map[string][3]int64{}
	for i := 0; i < len(f); i += 4 {
		class := strings.ToLower(f[i])
		if class == "replica" {
			class = "slave"
		}
		if !containsFold(outputClasses, class) {
			return nil, "Invalid client class specified in buffer limit configuration."
		}
		hard, ok1 := parseMemory(f[i+1])
		soft, ok2 := parseMemory(f[i+2])
		secs, err := strconv.ParseInt(f[i+3], 10, 64)
		if !ok1 || !ok2 || err != nil || secs < 0 {
			return nil, "Error in hard, soft or soft_seconds setting in buffer limit configuration."
		}
		out[class] = [3]int64{hard, soft, secs}
	}
	return out, ""
}

// OutputLimit returns the hard limit, soft limit and soft seconds of a
// client class ("pubsub", …); zeros mean no limit.
func (c *Config) OutputLimit(class string) (hard, soft, secs int64) {
	l, _ := parseOutputLimits(c.Get("client-output-buffer-limit"))
	v := l[class]
	return v[0], v[1], v[2]
}
