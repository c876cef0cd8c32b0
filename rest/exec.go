package rest

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/protocol/resp"
)

// Running commands: every route builds argv and a short-lived Session, runs
// them through the dispatcher with a capturing Reply (STYLE.md §3.5) and
// encodes the captured values.

const errTooLarge = "ERR max request size exceeded"

// format is how a request wants its replies (§5.2, §5.3).
type format struct {
	b64  bool // Upstash-Encoding: base64
	resp bool // Upstash-Response-Format: resp2
}

// readFormat reads the encoding headers; it returns an error text for a
// value it does not know.
func readFormat(r *http.Request) (format, string) {
	var f format
	f.b64 = strings.EqualFold(strings.TrimSpace(r.Header.Get("Upstash-Encoding")), "base64")
	switch rf := strings.ToLower(strings.TrimSpace(r.Header.Get("Upstash-Response-Format"))); rf {
	case "", "json":
	case "resp2":
		f.resp = true
	default:
		return f, "ERR invalid Upstash-Response-Format header: " + rf
	}
	if f.resp && f.b64 {
		return f, "ERR Upstash-Response-Format resp2 cannot be combined with Upstash-Encoding base64"
	}
	return f, ""
}

// readBody reads the request body up to the size limit; a declared length
// over it is refused before anything is read (R13 (d)).
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	max := s.o.MaxRequestSize
	if r.ContentLength > max {
		s.fail(w, http.StatusBadRequest, errTooLarge)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, http.StatusBadRequest, errTooLarge)
		} else {
			s.fail(w, http.StatusBadRequest, "ERR failed to read request body")
		}
		return nil, false
	}
	return body, true
}

// exchange is one request's session and capture, pooled.
type exchange struct {
	sess *command.Session
	cap  command.Capture
	out  []byte
}

var exchanges = sync.Pool{New: func() any { return new(exchange) }}

// open starts a request: a session of the token's user, registered so it
// shows in CLIENT LIST and drops its subscriptions on close.
func (s *Server) open(r *http.Request, readOnly bool) *exchange {
	x := exchanges.Get().(*exchange)
	local := ""
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(interface{ String() string }); ok {
		local = a.String()
	}
	x.sess = command.NewSession("rest", r.RemoteAddr, local, time.Now())
	s.d.Register(x.sess)
	x.sess.Authenticated = true // by the token
	x.sess.SetReadOnly(readOnly)
	if l, ok := r.Context().Value(userKey{}).(command.TokenLogin); ok {
		s.d.LogInToken(x.sess, l) // a token of an ACL user (ACL RESTTOKEN)
	}
	x.sess.MaxRecordSize = s.o.MaxRecordSize
	x.out = x.out[:0]
	return x
}

func (s *Server) close(x *exchange) {
	s.d.Unregister(x.sess)
	x.sess = nil
	x.cap.Reset()
	if cap(x.out) > 1<<20 {
		x.out = nil // one huge reply must not stay pinned in the pool
	}
	exchanges.Put(x)
}

// run executes one command and returns its captured reply.
func (s *Server) run(x *exchange, argv [][]byte) command.Value {
	x.cap.Reset()
	x.sess.BeginCommand()
	s.d.Do(x.sess, argv, &x.cap)
	if vs := x.cap.Values(); len(vs) > 0 {
		return vs[0]
	}
	return command.Value{Kind: command.VNull}
}

// check applies REST's own gates before the dispatcher's: rows that are
// TCP-only (§16) and Upstash's key and record size limits (§17). It returns
// the error text, or "" when argv may run.
func (s *Server) check(argv [][]byte) string {
	spec := s.d.Resolve(argv)
	if spec == nil {
		return "" // the dispatcher answers unknown commands and arity errors
	}
	if spec.Flags&command.FlagTCPOnly != 0 {
		return "ERR Command is not available over the REST API: '" +
			strings.ToUpper(strings.ReplaceAll(spec.Name, "|", " ")) + "'"
	}
	for _, p := range spec.KeyPositions(argv) {
		if n := int64(len(argv[p])); n > s.o.MaxKeySize {
			return "ERR max key size exceeded. Limit: " + strconv.FormatInt(s.o.MaxKeySize, 10) +
				" bytes, Actual: " + strconv.FormatInt(n, 10) + " bytes"
		}
	}
	if spec.Flags&command.FlagWrite != 0 {
		for _, a := range argv[1:] {
			if int64(len(a)) > s.o.MaxRecordSize {
				return "ERR max single record size exceeded"
			}
		}
	}
	return ""
}

// single answers POST / (§2.1).
func (s *Server) single(w http.ResponseWriter, r *http.Request, ro bool) {
	f, bad := readFormat(r)
	if bad != "" {
		s.fail(w, http.StatusBadRequest, bad)
		return
	}
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	cmd, err := parseCommandBody(body)
	if err != nil {
		s.fail(w, http.StatusBadRequest, err.Error())
		return
	}
	s.one(w, r, ro, f, cmd, len(body))
}

// pathStyle answers GET|POST|PUT|HEAD /cmd/arg/... (§2.2).
func (s *Server) pathStyle(w http.ResponseWriter, r *http.Request, ro bool, rel string) {
	f, bad := readFormat(r)
	if bad != "" {
		s.fail(w, http.StatusBadRequest, bad)
		return
	}
	var body []byte
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		var ok bool
		if body, ok = s.readBody(w, r); !ok {
			return
		}
	}
	argv, err := pathArgs(rel, r.URL.RawQuery, body)
	if err != nil {
		s.fail(w, http.StatusBadRequest, err.Error())
		return
	}
	s.one(w, r, ro, f, request{argv: argv}, len(body))
}

// one runs a single command: 200 with its result, 400 with its error (§6).
func (s *Server) one(w http.ResponseWriter, r *http.Request, ro bool, f format, cmd request, in int) {
	if cmd.err == "" {
		cmd.err = s.check(cmd.argv)
	}
	if cmd.err != "" {
		s.fail(w, http.StatusBadRequest, cmd.err)
		return
	}
	x := s.open(r, ro)
	defer s.close(x)
	v := s.run(x, cmd.argv)
	s.d.Durable(x.sess) // journal before reply (DESIGN.md §4), as over TCP
	status := http.StatusOK
	if v.Kind == command.VError {
		status = http.StatusBadRequest
	}
	if f.resp {
		rw := resp.Writer{Buf: x.out, Proto: &x.sess.Proto}
		v.Replay(&rw)
		x.out = rw.Buf
		s.send(w, status, "application/octet-stream", x.out)
	} else {
		x.out = appendEntry(x.out, v, f.b64)
		s.send(w, status, "application/json", x.out)
	}
	s.d.NetBytes(in, len(x.out))
}

// batch answers /pipeline and /multi-exec (§2.3, §2.4, §7).
func (s *Server) batch(w http.ResponseWriter, r *http.Request, ro, atomic bool) {
	f, bad := readFormat(r)
	if bad == "" && atomic && f.resp {
		bad = "ERR Upstash-Response-Format resp2 is not supported for /multi-exec"
	}
	if bad != "" {
		s.fail(w, http.StatusBadRequest, bad)
		return
	}
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	cmds, err := parsePipelineBody(body, s.o.MaxCommands)
	if err != nil {
		s.fail(w, http.StatusBadRequest, err.Error())
		return
	}
	for i := range cmds {
		if cmds[i].err == "" {
			cmds[i].err = s.check(cmds[i].argv)
		}
		if atomic && cmds[i].err != "" {
			s.fail(w, http.StatusBadRequest, cmds[i].err) // discarded as a whole
			return
		}
	}
	x := s.open(r, ro)
	defer s.close(x)
	var status int
	if atomic {
		status = s.multiExec(x, cmds, f)
	} else {
		status = s.pipeline(x, cmds, f)
	}
	s.d.Durable(x.sess) // journal before reply (DESIGN.md §4), as over TCP
	ct := "application/json"
	if f.resp {
		ct = "application/octet-stream"
	}
	s.send(w, status, ct, x.out)
	s.d.NetBytes(len(body), len(x.out))
}

// pipeline runs the commands in order, each reply in its slot; one failing
// command does not stop the others. In resp2 format the replies are
// concatenated, as a TCP pipeline would receive them.
func (s *Server) pipeline(x *exchange, cmds []request, f format) int {
	if f.resp {
		rw := resp.Writer{Buf: x.out, Proto: &x.sess.Proto}
		for _, c := range cmds {
			v := s.slot(x, c)
			v.Replay(&rw)
		}
		x.out = rw.Buf
		return http.StatusOK
	}
	x.out = append(x.out, '[')
	for i, c := range cmds {
		if i > 0 {
			x.out = append(x.out, ',')
		}
		x.out = appendEntry(x.out, s.slot(x, c), f.b64)
	}
	x.out = append(x.out, ']')
	return http.StatusOK
}

// slot runs a pipeline's command, or answers the error it already has.
func (s *Server) slot(x *exchange, c request) command.Value {
	if c.err != "" {
		return command.Value{Kind: command.VError, Str: c.err}
	}
	return s.run(x, c.argv)
}

// multiExec runs the commands as MULTI … EXEC on the request's own session,
// so concurrent transactions never share a MULTI (SRH #25). A transaction
// EXEC refuses (a queue-time error) is answered 400 with EXEC's error; a
// runtime error stays in its slot of a 200 answer.
func (s *Server) multiExec(x *exchange, cmds []request, f format) int {
	s.run(x, [][]byte{[]byte("multi")})
	for _, c := range cmds {
		s.run(x, c.argv) // QUEUED, or an error that makes EXEC abort
	}
	v := s.run(x, [][]byte{[]byte("exec")})
	if v.Kind == command.VError || v.Kind == command.VNullArray {
		text := v.Str
		if v.Kind == command.VNullArray {
			text = "EXECABORT Transaction discarded"
		}
		x.out = appendError(x.out, text)
		return http.StatusBadRequest
	}
	x.out = append(x.out, '[')
	for i, e := range v.Elems {
		if i > 0 {
			x.out = append(x.out, ',')
		}
		x.out = appendEntry(x.out, e, f.b64)
	}
	x.out = append(x.out, ']')
	return http.StatusOK
}
