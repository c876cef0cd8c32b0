package servercmd

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/larder-db/larder/command"
)

// cmdACLLog: ACL LOG [count | RESET]
func cmdACLLog(c *command.Call) error {
	if len(c.Args) > 3 {
		return subcommandSyntax(c)
	}
	count := int64(10)
	if len(c.Args) == 3 {
		if command.Eq(c.Args[2], "reset") {
			c.D.ACLLog().Reset()
			c.R.Simple("OK")
			return nil
		}
		n, ok := command.ParseInt(c.Args[2])
		if !ok {
			return command.ErrNotInteger
		}
		count = max(n, 0)
	}
	entries := c.D.ACLLog().Entries(int(min(count, 1<<30)))
	now := time.Now()
	c.R.Array(len(entries))
	for _, e := range entries {
		c.R.Map(7)
		c.R.BulkString("count")
		c.R.Int(e.Count)
		c.R.BulkString("reason")
		c.R.BulkString(e.Reason.ReasonName())
		c.R.BulkString("context")
		c.R.BulkString(e.Context.String())
		c.R.BulkString("object")
		c.R.BulkString(e.Object)
		c.R.BulkString("username")
		c.R.BulkString(e.Username)
		c.R.BulkString("age-seconds")
		c.R.Double(float64(now.Sub(e.Updated).Milliseconds()) / 1000)
		c.R.BulkString("client-info")
		var b strings.Builder
		if ci, ok := e.Client.(command.ACLClient); ok {
			clientLine(&b, ci.Info, ci.Tracking)
		}
		c.R.BulkString(strings.TrimSuffix(b.String(), "\n"))
	}
	return nil
}

const errNoACLFile = "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration."

// cmdACLSave: ACL SAVE — the users to aclfile, through a temporary file
// renamed over it.
func cmdACLSave(c *command.Call) error {
	file := c.D.Cfg.Get("aclfile")
	if file == "" {
		return command.Error(errNoACLFile)
	}
	tmp := file + ".tmp-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixMilli(), 10)
	err := os.WriteFile(tmp, []byte(c.D.ACL().Save()), 0o644)
	if err == nil {
		err = os.Rename(tmp, file)
	}
	if err != nil {
		_ = os.Remove(tmp)
		log := c.D.Logger()
		log.Warn().Err(err).Msg("ACL SAVE")
		return command.Error("ERR There was an error trying to save the ACLs. Please check the server logs for more information")
	}
	c.R.Simple("OK")
	return nil
}

// cmdACLLoad: ACL LOAD (command.Dispatcher.LoadACLFile)
func cmdACLLoad(c *command.Call) error {
	if c.D.Cfg.Get("aclfile") == "" {
		return command.Error(errNoACLFile)
	}
	if err := c.D.LoadACLFile(c.S); err != nil {
		return err
	}
	c.R.Simple("OK")
	return nil
}
