package servercmd

import "github.com/larder-db/larder/command"

// ACL: only Upstash's RESTTOKEN (UPSTASH-REST.md §3). Larder's users are
// fixed ("default" and "default_ro", access.go); the ACL subcommands of
// Redis that manage users are not implemented and answer Redis's
// unknown-subcommand error.
func aclCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "acl", Arity: -2, Flags: command.FlagNoLock, ACL: command.ACLSlow, Subs: []*command.Spec{
			// Flags and categories as Redis's ACL subcommands that read
			// secrets (ACL GETUSER, ACL LIST): admin, so a read-only
			// session may not run it.
			{Name: "acl|resttoken", Arity: 4, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock | command.FlagNoJournal,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdACLRestToken},
		}},
	}
}

// cmdACLRestToken: ACL RESTTOKEN user password — the REST bearer token
// carrying user's permissions, when password is user's: the standard token
// for "default" (whose passwords are requirepass and that token), the
// read-only token for "default_ro". A password is required even when
// requirepass is empty (nopass does not hand out tokens), and a user whose
// token is not configured has none to give.
func cmdACLRestToken(c *command.Call) error {
	user, pass := c.Args[2], c.Args[3]
	var token string
	ok := false
	switch string(user) {
	case "default":
		token = c.D.Cfg.Get("rest-token")
		rp := c.D.Cfg.RequirePass()
		ok = token != "" && command.CheckPassword([]byte(token), pass) || rp != "" && command.CheckPassword([]byte(rp), pass)
	case command.ReadOnlyUser:
		token = c.D.Cfg.Get("rest-readonly-token")
		ok = token != "" && command.CheckPassword([]byte(token), pass)
	}
	if !ok || token == "" {
		return command.Error(`ERR Wrong password or user "` + command.Sanitize(string(user)) + `" does not exist`)
	}
	c.R.BulkString(token)
	return nil
}
