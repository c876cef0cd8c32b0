package command

import (
	"crypto/sha256"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/larder-db/larder/command/internal/acl"
)

// Redis 7.0's ACL in the dispatcher: the users (package acl) and their
// check before each command (aclGate), inside EXEC (aclExecDenied) and
// for a script's redis.call (ACLScriptCheck), and the ACL log. Sessions of
// the read-only REST user (default_ro) are checked by readOnlyGate instead.

// KeyAccess returns the keys of a command line with the access each
// needs, from Redis's key specifications (families.New sets
// servercmd's); nil: the row's key positions, read for every key and write
// too for a write command.
type KeyAccess func(spec *Spec, argv [][]byte) []acl.KeyRef

// InRedis reports whether Redis 7.0 has a command (full name): ACL
// GETUSER and LIST describe rules with the categories Redis would choose
// (acl.Command.Extra).
type InRedis func(name string) bool

// ACLClient is what an ACL LOG entry keeps of the client it names.
type ACLClient struct {
	Info     ClientInfo
	Tracking TrackingInfo
}

// buildACLCatalog gives every row and subcommand its ACL id, in name order.
func (d *Dispatcher) buildACLCatalog() {
	cat := acl.NewCatalog()
	for _, sp := range d.table.All() {
		sp.aclCmd = cat.Add(sp.Name, uint32(sp.ACL), sp.Flags&FlagNoAuth != 0, nil)
		sp.aclCmd.Extra = d.inRedis != nil && !d.inRedis(sp.Name)
		for _, sub := range sortedSubs(sp) {
			sub.aclCmd = cat.Add(sub.Name, uint32(sub.ACL), sub.Flags&FlagNoAuth != 0, sp.aclCmd)
			sub.aclCmd.Extra = d.inRedis != nil && !d.inRedis(sub.Name)
		}
	}
	d.acl = acl.NewStore(cat)
	d.aclPass = d.Cfg.RequirePass()
	d.acl.SetDefaultPassword(d.aclPass)
}

// ACL returns the users.
func (d *Dispatcher) ACL() *acl.Store { return d.acl }

// ACLLog returns the ACL log.
func (d *Dispatcher) ACLLog() *acl.Log { return &d.aclLog }

// syncRequirePass makes requirepass the default user's password when it
// changed since last applied (CONFIG SET requirepass, as Redis's
// ACLUpdateDefaultUserPassword).
func (d *Dispatcher) syncRequirePass() {
	rp := d.Cfg.RequirePass()
	d.aclPassMu.Lock()
	defer d.aclPassMu.Unlock()
	if rp != d.aclPass {
		d.aclPass = rp
		d.acl.SetDefaultPassword(rp)
	}
}

// sessionUser is the ACL user a session runs as (the default user for
// sessions no AUTH changed).
func (d *Dispatcher) sessionUser(s *Session) *acl.User {
	if s.aclUser != nil {
		return s.aclUser
	}
	return d.acl.Default()
}

// aclRequest is the check of argv by spec.
func (d *Dispatcher) aclRequest(spec *Spec, argv [][]byte) *acl.Request {
	return &acl.Request{
		Cmd: spec.aclCmd, Argv: argv,
		HasKeys:  spec.First != 0 || spec.Keys != nil,
		Keys:     func() []acl.KeyRef { return d.keyRefs(spec, argv) },
		Channels: channelRefs(spec, argv),
	}
}

func (d *Dispatcher) keyRefs(spec *Spec, argv [][]byte) []acl.KeyRef {
	if d.keyAccess != nil {
		return d.keyAccess(spec, argv)
	}
	perm := acl.PermRead
	if spec.Flags&FlagWrite != 0 {
		perm = acl.PermAll
	}
	var out []acl.KeyRef
	for _, p := range spec.KeyPositions(argv) {
		out = append(out, acl.KeyRef{Pos: p, Perm: perm})
	}
	return out
}

// channelRefs are the channels a command publishes or subscribes to
// (Redis's commands_with_channels; unsubscribing is never checked).
func channelRefs(spec *Spec, argv [][]byte) []acl.ChannelRef {
	var out []acl.ChannelRef
	switch spec.Name {
	case "publish", "spublish":
		out = append(out, acl.ChannelRef{Pos: 1})
	case "subscribe", "ssubscribe", "psubscribe":
		for i := 1; i < len(argv); i++ {
			out = append(out, acl.ChannelRef{Pos: i, Pattern: spec.Name == "psubscribe"})
		}
	}
	return out
}

// CheckACL checks argv (run by spec) against user: OK, or the denial and
// the argument it concerns (ACL DRYRUN).
func (d *Dispatcher) CheckACL(u *acl.User, spec *Spec, argv [][]byte) (acl.Denial, int) {
	return u.Check(d.aclRequest(spec, argv))
}

// aclGate refuses what the session's user u may not run, with Redis's
// NOPERM texts, and logs the refusal. Do calls it only for a restricted
// user: the default user's commands pay one atomic load.
func (d *Dispatcher) aclGate(s *Session, u *acl.User, spec *Spec, argv [][]byte) (Error, bool) {
	den, pos := d.CheckACL(u, spec, argv)
	if den == acl.OK {
		return "", true
	}
	ctx := acl.CtxToplevel
	if s.multi != nil {
		ctx = acl.CtxMulti
	}
	d.logACL(s, den, ctx, aclObject(den, spec, argv, pos), u.Name, spec.Name)
	switch den {
	case acl.DeniedKey:
		return "NOPERM this user has no permissions to access one of the keys used as arguments", false
	case acl.DeniedChannel:
		return "NOPERM this user has no permissions to access one of the channels used as arguments", false
	}
	return NoPerm(spec), false
}

func aclObject(den acl.Denial, spec *Spec, argv [][]byte, pos int) string {
	if den == acl.DeniedCommand {
		return spec.Name
	}
	return string(argv[pos])
}

// aclExecDenied is EXEC's check of a queued command, in case the rules
// changed after it was queued: the error reply, or "".
func (d *Dispatcher) aclExecDenied(s *Session, spec *Spec, argv [][]byte) string {
	reason := "no permission to execute the command or subcommand"
	switch d.aclNested(s, spec, argv, acl.CtxMulti) {
	case acl.OK:
		return ""
	case acl.DeniedKey:
		reason = "no permission to touch the specified keys"
	case acl.DeniedChannel:
		reason = "no permission to access one of the channels used as arguments"
	}
	return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: " + reason
}

// aclNested checks a command run inside another (queued in MULTI, called
// by a script) for s's user, logging a refusal in ctx.
func (d *Dispatcher) aclNested(s *Session, spec *Spec, argv [][]byte, ctx acl.Context) acl.Denial {
	u := d.sessionUser(s)
	if s.readOnly || u.Unrestricted() {
		return acl.OK
	}
	den, pos := d.CheckACL(u, spec, argv)
	if den != acl.OK {
		d.logACL(s, den, ctx, aclObject(den, spec, argv, pos), u.Name, "")
	}
	return den
}

// ACLScriptCheck is a script's check of a redis.call on its nested session
// s (which runs as the caller's user): "" or the script error's text.
func (d *Dispatcher) ACLScriptCheck(s *Session, spec *Spec, argv [][]byte) string {
	if den := d.aclNested(s, spec, argv, acl.CtxLua); den != acl.OK {
		return "The user executing the script " + DenialText(den)
	}
	return ""
}

// ACLPermits reports whether s's user may run argv by spec, without a log
// entry (a script's redis.acl_check_cmd).
func (d *Dispatcher) ACLPermits(s *Session, spec *Spec, argv [][]byte) bool {
	u := d.sessionUser(s)
	if u.Unrestricted() {
		return true
	}
	den, _ := d.CheckACL(u, spec, argv)
	return den == acl.OK
}

// DenialText is Redis's getAclErrorMessage.
func DenialText(den acl.Denial) string {
	switch den {
	case acl.DeniedCommand:
		return "can't run this command or subcommand"
	case acl.DeniedKey:
		return "can't access at least one of the keys mentioned in the command arguments"
	case acl.DeniedChannel:
		return "can't publish to the channel mentioned in the command"
	}
	return "lacking the permissions for the command"
}

// logACL adds an ACL LOG entry for session s (a script's caller for its
// nested session).
// cmd, when not "", is the refused command CLIENT INFO's cmd= names.
func (d *Dispatcher) logACL(s *Session, den acl.Denial, ctx acl.Context, object, user, cmd string) {
	if s.FromScript() && s.locksFrom != nil && s.locksFrom.S != nil {
		s = s.locksFrom.S
	}
	now := time.Now()
	info := s.Info(now)
	if cmd != "" {
		info.LastCmd = cmd // Redis names the refused command (c->lastcmd)
	}
	e := acl.Entry{Reason: den, Context: ctx, Object: object, Username: user, Updated: now,
		Client: ACLClient{Info: info, Tracking: d.Tracking(s)}}
	d.aclLog.Add(e, int(d.Cfg.Int("acllog-max-len")))
}

// Authenticate is AUTH and HELLO's AUTH for the running command: the
// default user also takes the REST token, default_ro the REST read-only
// token; any other user its passwords. A failure is logged.
func (d *Dispatcher) Authenticate(c *Call, user, pass []byte) bool {
	s := c.S
	d.syncRequirePass()
	switch string(user) {
	case "default":
		if tok := d.Cfg.Get("rest-token"); tok != "" && CheckPassword([]byte(tok), pass) {
			d.logIn(s, d.acl.Default())
			return true
		}
	case ReadOnlyUser:
		if d.acl.Get(ReadOnlyUser) == nil {
			tok := d.Cfg.Get("rest-readonly-token")
			if tok != "" && CheckPassword([]byte(tok), pass) {
				s.Authenticated = true
				s.SetReadOnly(true)
				return true
			}
		}
	}
	if u, _ := d.acl.Authenticate(user, pass); u != nil {
		d.logIn(s, u)
		return true
	}
	ctx := acl.CtxToplevel
	if s.multi != nil {
		ctx = acl.CtxMulti
	}
	d.logACL(s, acl.DeniedAuth, ctx, string(c.Args[0]), string(user), "")
	return false
}

func (d *Dispatcher) logIn(s *Session, u *acl.User) {
	s.Authenticated = true
	s.SetReadOnly(false)
	s.Mu.Lock()
	s.aclUser, s.user = u, u.Name
	s.Mu.Unlock()
}

// KillUserSessions closes the connections of sessions logged in as one of
// users (ACL DELUSER): current, the session running the command, closes
// after its reply.
func (d *Dispatcher) KillUserSessions(users []*acl.User, current *Session) {
	for _, s := range d.clients.snapshot() {
		s.Mu.Lock()
		su := s.aclUser
		s.Mu.Unlock()
		for _, u := range users {
			if su != u {
				continue
			}
			if s == current {
				s.Closing = true
			} else if s.Kill != nil {
				s.Kill()
			}
		}
	}
}

// DefaultNoPass reports whether the default user is nopass (AUTH with a
// password alone is then an error).
func (d *Dispatcher) DefaultNoPass() bool {
	d.syncRequirePass()
	return d.acl.Default().NoPass()
}

// LoadACLFile is ACL LOAD: the users of aclfile replace every user, all
// or none, and the connections of the replaced users close (current, the
// session running the command, after its reply; nil at startup).
func (d *Dispatcher) LoadACLFile(current *Session) error {
	file := d.Cfg.Get("aclfile")
	text, err := os.ReadFile(file)
	if err != nil {
		msg := err.Error()
		var pe *os.PathError
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		if msg != "" {
			msg = strings.ToUpper(msg[:1]) + msg[1:] // as C's strerror
		}
		return Error("ERR Error loading ACLs, opening file '" + file + "': " + msg)
	}
	gone, err := d.acl.Load(string(text), file)
	if err != nil {
		return Error("ERR " + err.Error())
	}
	d.KillUserSessions(gone, current)
	return nil
}

// KillRevokedSubscribers is ACLKillPubsubClientsIfNeeded: after a change
// of u's rules, the connections of u's sessions subscribed to a channel or
// pattern u may no longer use close (current, the session running the
// command, after its reply).
func (d *Dispatcher) KillRevokedSubscribers(u *acl.User, current *Session) {
	for _, s := range d.clients.snapshot() {
		s.Mu.Lock()
		su, ro := s.aclUser, s.readOnly
		s.Mu.Unlock()
		if su == nil && !ro {
			su = d.acl.Default()
		}
		if su != u || !d.subscriptionRevoked(s, u) {
			continue
		}
		if s == current {
			s.Closing = true
		} else if s.Kill != nil {
			s.Kill()
		}
	}
}

// subscriptionRevoked reports whether s holds a subscription u may not
// make (patterns compared literally, as PSUBSCRIBE's check).
func (d *Dispatcher) subscriptionRevoked(s *Session, u *acl.User) bool {
	d.pubsub.mu.Lock()
	defer d.pubsub.mu.Unlock()
	for k := range s.subs {
		for name := range s.subs[k] {
			if !u.ChannelAllowed([]byte(name), SubKind(k) == SubPattern) {
				return true
			}
		}
	}
	return false
}

// TokenLogin is a REST token's ACL user (RESTTokenLogin), for the REST
// front end to log its request's session in with (LogInToken).
type TokenLogin struct{ u *acl.User }

// restTokenKey signs ACL users' REST tokens: derived from rest-token, so
// tokens outlive restarts and a new rest-token revokes them; without one,
// from the run id (tokens last until the server stops).
func (d *Dispatcher) restTokenKey() []byte {
	secret := d.Cfg.Get("rest-token")
	if secret == "" {
		secret = d.RunID
	}
	k := sha256.Sum256([]byte("larder acl resttoken\x00" + secret))
	return k[:]
}

// ACLRESTToken is ACL RESTTOKEN for an ACL user other than default and
// default_ro: the token carrying its permissions, when pass is one of its
// passwords.
func (d *Dispatcher) ACLRESTToken(user string, pass []byte) (string, bool) {
	return d.acl.RESTToken(d.restTokenKey(), user, pass)
}

// RESTTokenLogin finds the ACL user of a REST token ACL RESTTOKEN made.
func (d *Dispatcher) RESTTokenLogin(tok string) (TokenLogin, bool) {
	u := d.acl.TokenUser(d.restTokenKey(), tok)
	return TokenLogin{u}, u != nil
}

// LogInToken makes s a session of a REST token's user.
func (d *Dispatcher) LogInToken(s *Session, l TokenLogin) {
	d.logIn(s, l.u)
}

// FullKeyRead reports whether the running command's user may read every
// key (SORT's BY and GET patterns need it).
func (d *Dispatcher) FullKeyRead(c *Call) bool {
	u := d.sessionUser(c.S)
	if c.S.readOnly || u.Unrestricted() {
		return true
	}
	return u.UnrestrictedRead(d.aclRequest(c.Spec, c.Args))
}

// WhoAmI is the session's user name (ACL WHOAMI).
func (s *Session) WhoAmI() string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.user
}

// applyACLConfig applies acl-pubsub-default and requirepass.
func (d *Dispatcher) applyACLConfig() {
	d.acl.SetPubsubDefault(strings.EqualFold(d.Cfg.Get("acl-pubsub-default"), "allchannels"))
	d.syncRequirePass()
}
