// Package acl is Redis 7.0's access control lists: users with passwords,
// selectors of commands, key patterns and channel patterns, the rule
// language of ACL SETUSER and its description (ACL LIST, ACL GETUSER), and
// the permission check the dispatcher runs before a command. It knows the
// command table only as a Catalog of names, ids and categories, built by
// the core from its table.
package acl

import "strings"

// Categories are Redis 7.0's ACL categories in its order; bit i of a
// command's categories is Categories[i] (the core's ACL bits use the same
// order).
var Categories = []string{
	"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
	"bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting",
}

// CategoryBit returns the bit of a category name (any case), 0 if unknown.
func CategoryBit(name string) uint32 {
	for i, c := range Categories {
		if strings.EqualFold(c, name) {
			return 1 << i
		}
	}
	return 0
}

// Command is what the ACL knows of one row of the command table.
type Command struct {
	ID         int
	Name       string // full name: "get", "config|get"
	Categories uint32
	NoAuth     bool // no_auth commands are allowed to every selector
	// Extra commands are Larder's own or later Redis versions': rules
	// apply to them, but the description's choice of categories leaves
	// them out, so it is the one Redis 7.0 makes.
	Extra  bool
	Parent *Command
	Subs   []*Command
}

// Catalog is the command table as the ACL sees it: every command and
// subcommand with an id indexing the selectors' bitmaps.
type Catalog struct {
	top    []*Command
	byName map[string]*Command
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog { return &Catalog{byName: make(map[string]*Command)} }

// Add adds a command (parent nil) or a subcommand of parent, and returns it.
// The order of additions is the order rules are described in.
func (c *Catalog) Add(name string, categories uint32, noAuth bool, parent *Command) *Command {
	cmd := &Command{ID: len(c.byName), Name: name, Categories: categories, NoAuth: noAuth, Parent: parent}
	c.byName[name] = cmd
	if parent == nil {
		c.top = append(c.top, cmd)
	} else {
		parent.Subs = append(parent.Subs, cmd)
	}
	return cmd
}

// Len is the number of ids.
func (c *Catalog) Len() int { return len(c.byName) }

// Lookup finds "get" or "config|get" in any case; nil if unknown.
func (c *Catalog) Lookup(name string) *Command { return c.byName[strings.ToLower(name)] }

// each calls fn for every command, each container followed by its
// subcommands.
func (c *Catalog) each(fn func(*Command)) {
	for _, cmd := range c.top {
		fn(cmd)
		for _, sub := range cmd.Subs {
			fn(sub)
		}
	}
}

// InCategory returns the full names of the commands in a category, in
// catalog order.
func (c *Catalog) InCategory(bit uint32) []string {
	var out []string
	c.each(func(cmd *Command) {
		if cmd.Categories&bit != 0 {
			out = append(out, cmd.Name)
		}
	})
	return out
}
