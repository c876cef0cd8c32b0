package command

// The Upstash dialect (UPSTASH-REST.md §15). Where Upstash's answer differs
// from Redis's, RESP sessions follow Redis and REST sessions follow
// Upstash; the few handlers concerned ask Session.Upstash. Additive
// Upstash features (SCAN … WITHTYPE) work on both front ends.
//
// Built: COPY k k answers 0 over REST (Redis: "ERR source and destination
// objects are the same"); SCAN … WITHTYPE; blocking commands over REST
// answer their timeout reply at once (REST sessions have no BlockHook);
// FCALL_RO/EVAL_RO/EVALSHA_RO of a script without no-writes run over REST
// and fail at their first write with Upstash's READONLY text (Redis
// refuses them before they run: scriptRun.prepare and gate); UNLINK with
// no keys answers 0 (Redis: arity error; upstashResolve); ZRANGE … LIMIT
// without BYSCORE/BYLEX applies the LIMIT to the ranks selected (Redis:
// syntax error; zrangeReq.rankLimit).

// Upstash reports whether s follows the Upstash dialect: REST sessions do.
func (s *Session) Upstash() bool { return s.FrontEnd == "rest" }

// SplitWithType takes Upstash's WITHTYPE flag out of SCAN's options (at an
// option position only, so MATCH WITHTYPE stays a pattern).
func SplitWithType(args [][]byte) ([][]byte, bool) {
	for i := 0; i < len(args); i += 2 {
		if Eq(args[i], "withtype") {
			out := append(append([][]byte(nil), args[:i]...), args[i+1:]...)
			rest, _ := SplitWithType(out[i:])
			return append(out[:i], rest...), true
		}
	}
	return args, false
}

// errRecordSize is Upstash's refusal of a write that would make a value
// bigger than the max record size (section 17).
const errRecordSize Error = "ERR max single record size exceeded"

// CheckRecordSize refuses a write whose resulting value is size bytes when
// that exceeds the session's MaxRecordSize (REST sessions only). The REST
// front end refuses oversize arguments itself; this covers writes that grow
// a stored value (APPEND, SETRANGE).
func CheckRecordSize(c *Call, size int64) error {
	if max := c.S.MaxRecordSize; max > 0 && size > max {
		return errRecordSize
	}
	return nil
}

// upstashResolve is the dispatcher's resolve for the rows Upstash accepts
// with an arity Redis refuses: FlagUpstashNoArgs rows without arguments
// (UNLINK).
func (d *Dispatcher) upstashResolve(argv [][]byte, spec *Spec, errText string) (*Spec, string) {
	if len(argv) == 1 && spec != nil && spec.Flags&FlagUpstashNoArgs != 0 {
		return spec, ""
	}
	return spec, errText
}
