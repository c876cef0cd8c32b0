package servercmd

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/internal/acl"
)

// ACL: Redis 7.0's ACL subcommands over the dispatcher's users
// (command/internal/acl), plus Upstash's RESTTOKEN (UPSTASH-REST.md §3).
func aclCommands() []*command.Spec {
	const (
		base  = command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock | command.FlagNoJournal
		admin = base | command.FlagAdmin
		aclA  = command.ACLAdmin | command.ACLSlow | command.ACLDangerous
	)
	row := func(name string, arity int, flags command.Flag, cats command.ACL, h command.Handler) *command.Spec {
		return &command.Spec{Name: "acl|" + name, Arity: arity, Flags: flags, ACL: cats, Handler: h}
	}
	return []*command.Spec{
		{Name: "acl", Arity: -2, Flags: command.FlagNoLock, ACL: command.ACLSlow, Subs: []*command.Spec{
			row("cat", -2, base, command.ACLSlow, cmdACLCat),
			row("deluser", -3, admin, aclA, cmdACLDelUser),
			row("dryrun", -4, admin, aclA, cmdACLDryRun),
			row("genpass", -2, base, command.ACLSlow, cmdACLGenPass),
			row("getuser", 3, admin, aclA, cmdACLGetUser),
			row("help", 2, command.FlagLoading|command.FlagStale|command.FlagNoLock|command.FlagNoJournal, command.ACLSlow, cmdACLHelp),
			row("list", 2, admin, aclA, cmdACLList),
			row("load", 2, admin, aclA, cmdACLLoad),
			row("log", -2, admin, aclA, cmdACLLog),
			row("save", 2, admin, aclA, cmdACLSave),
			setUserRow(row("setuser", -3, admin, aclA, cmdACLSetUser)),
			row("users", 2, admin, aclA, cmdACLUsers),
			row("whoami", 2, base, command.ACLSlow, cmdACLWhoAmI),
			// Flags and categories as Redis's ACL subcommands that read
			// secrets (ACL GETUSER, ACL LIST): admin, so a read-only
			// session may not run it.
			row("resttoken", 4, admin, aclA, cmdACLRestToken),
		}},
	}
}

// setUserRow hides ACL SETUSER's rules (passwords among them) from
// MONITOR, as Redis redacts them.
func setUserRow(s *command.Spec) *command.Spec {
	s.Secrets = func(args [][]byte) []int {
		var out []int
		for i := 2; i < len(args); i++ {
			out = append(out, i)
		}
		return out
	}
	return s
}

// cmdACLRestToken: ACL RESTTOKEN user password — the REST bearer token
// carrying user's permissions, when password is user's: the standard token
// for "default" (whose passwords are requirepass and that token), the
// read-only token for "default_ro", a signed token for an ACL user
// (command.Dispatcher.ACLRESTToken). A password is required even when
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
	default:
		token, ok = c.D.ACLRESTToken(string(user), pass)
	}
	if !ok || token == "" {
		return command.Error(`ERR Wrong password or user "` + command.Sanitize(string(user)) + `" does not exist`)
	}
	c.R.BulkString(token)
	return nil
}

// cmdACLSetUser: ACL SETUSER username [rule ...]
func cmdACLSetUser(c *command.Call) error {
	rules := make([]string, 0, len(c.Args)-3)
	for _, a := range c.Args[3:] {
		rules = append(rules, string(a))
	}
	if err := c.D.ACL().SetUser(string(c.Args[2]), rules); err != nil {
		return command.Error("ERR " + command.Sanitize(err.Error()))
	}
	c.D.KillRevokedSubscribers(c.D.ACL().Get(string(c.Args[2])), c.S)
	c.R.Simple("OK")
	return nil
}

// cmdACLDelUser: ACL DELUSER username [username ...] — the deleted users'
// connections are closed.
func cmdACLDelUser(c *command.Call) error {
	names := make([]string, 0, len(c.Args)-2)
	for _, a := range c.Args[2:] {
		names = append(names, string(a))
	}
	gone, err := c.D.ACL().Delete(names)
	if err != nil {
		return command.Error("ERR " + err.Error())
	}
	c.D.KillUserSessions(gone, c.S)
	c.R.Int(int64(len(gone)))
	return nil
}

// cmdACLGetUser: ACL GETUSER username
func cmdACLGetUser(c *command.Call) error {
	st := c.D.ACL()
	u := st.Get(string(c.Args[2]))
	if u == nil {
		c.R.Null()
		return nil
	}
	info := st.Info(u)
	c.R.Map(6)
	c.R.BulkString("flags")
	c.R.Set(len(info.Flags))
	for _, f := range info.Flags {
		c.R.BulkString(f)
	}
	c.R.BulkString("passwords")
	c.R.Array(len(info.Passwords))
	for _, p := range info.Passwords {
		c.R.BulkString(p)
	}
	writeSelector(c.R, info.Root)
	c.R.BulkString("selectors")
	c.R.Array(len(info.Selectors))
	for _, s := range info.Selectors {
		c.R.Map(3)
		writeSelector(c.R, s)
	}
	return nil
}

func writeSelector(r command.Reply, s acl.SelectorInfo) {
	r.BulkString("commands")
	r.BulkString(s.Commands)
	r.BulkString("keys")
	r.BulkString(s.Keys)
	r.BulkString("channels")
	r.BulkString(s.Channels)
}

// cmdACLList: ACL LIST — each user as an ACL file line.
func cmdACLList(c *command.Call) error {
	st := c.D.ACL()
	names := st.Names()
	c.R.Array(len(names))
	for _, n := range names {
		line := "user " + n
		if u := st.Get(n); u != nil {
			line += " " + st.Describe(u)
		}
		c.R.BulkString(line)
	}
	return nil
}

// cmdACLUsers: ACL USERS
func cmdACLUsers(c *command.Call) error {
	names := c.D.ACL().Names()
	c.R.Array(len(names))
	for _, n := range names {
		c.R.BulkString(n)
	}
	return nil
}

// cmdACLWhoAmI: ACL WHOAMI
func cmdACLWhoAmI(c *command.Call) error {
	c.R.BulkString(c.S.WhoAmI())
	return nil
}

// cmdACLCat: ACL CAT [category]
func cmdACLCat(c *command.Call) error {
	if len(c.Args) > 3 {
		return subcommandSyntax(c)
	}
	if len(c.Args) == 2 {
		c.R.Array(len(acl.Categories))
		for _, name := range acl.Categories {
			c.R.BulkString(name)
		}
		return nil
	}
	bit := acl.CategoryBit(string(c.Args[2]))
	if bit == 0 {
		return command.Error("ERR Unknown category '" + truncate(command.Sanitize(string(c.Args[2])), 128) + "'")
	}
	names := c.D.ACL().Catalog().InCategory(bit)
	c.R.Array(len(names))
	for _, n := range names {
		c.R.BulkString(n)
	}
	return nil
}

// subcommandSyntax is Redis's addReplySubcommandSyntaxError.
func subcommandSyntax(c *command.Call) error {
	return command.Error("ERR unknown subcommand or wrong number of arguments for '" +
		truncate(command.Sanitize(string(c.Args[1])), 128) + "'. Try ACL HELP.")
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// cmdACLGenPass: ACL GENPASS [bits]
func cmdACLGenPass(c *command.Call) error {
	if len(c.Args) > 3 {
		return subcommandSyntax(c)
	}
	bits := int64(256)
	if len(c.Args) == 3 {
		n, ok := command.ParseInt(c.Args[2])
		if !ok {
			return command.ErrNotInteger
		}
		bits = n
	}
	if bits <= 0 || bits > 4096 {
		return command.Error("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096")
	}
	chars := (bits + 3) / 4
	buf := make([]byte, (chars+1)/2)
	if _, err := rand.Read(buf); err != nil {
		return err
	}
	c.R.BulkString(hex.EncodeToString(buf)[:chars])
	return nil
}

// cmdACLDryRun: ACL DRYRUN username command [arg ...]
func cmdACLDryRun(c *command.Call) error {
	u := c.D.ACL().Get(string(c.Args[2]))
	if u == nil {
		return command.Error("ERR User '" + command.Sanitize(string(c.Args[2])) + "' not found")
	}
	argv := c.Args[3:]
	spec := c.D.Table().LookupCommandLine(argv)
	if spec == nil {
		return command.Error("ERR Command '" + command.Sanitize(string(argv[0])) + "' not found")
	}
	if (spec.Arity > 0 && spec.Arity != len(argv)) || len(argv) < -spec.Arity {
		return command.Error("ERR wrong number of arguments for '" + spec.Name + "' command")
	}
	den, pos := c.D.CheckACL(u, spec, argv)
	switch den {
	case acl.OK:
		c.R.Simple("OK")
	case acl.DeniedCommand:
		c.R.BulkString("This user has no permissions to run the '" + spec.Name + "' command")
	case acl.DeniedKey:
		c.R.BulkString("This user has no permissions to access the '" + string(argv[pos]) + "' key")
	default:
		c.R.BulkString("This user has no permissions to access the '" + string(argv[pos]) + "' channel")
	}
	return nil
}

// cmdACLHelp: ACL HELP
func cmdACLHelp(c *command.Call) error {
	command.ReplyHelp(c, "ACL", strings.Split(strings.TrimSpace(aclHelp), "\n"))
	return nil
}

const aclHelp = `
CAT [<category>]
    List all commands that belong to <category>, or all command categories
    when no category is specified.
DELUSER <username> [<username> ...]
    Delete a list of users.
DRYRUN <username> <command> [<arg> ...]
    Returns whether the user can execute the given command without executing the command.
GETUSER <username>
    Get the user's details.
GENPASS [<bits>]
    Generate a secure 256-bit user password. The optional ` + "`bits`" + ` argument can
    be used to specify a different size.
LIST
    Show users details in config file format.
LOAD
    Reload users from the ACL file.
LOG [<count> | RESET]
    Show the ACL log entries.
SAVE
    Save the current config to the ACL file.
SETUSER <username> <attribute> [<attribute> ...]
    Create or modify a user with the specified attributes.
USERS
    List all the registered usernames.
WHOAMI
    Return the current connection username.
`
