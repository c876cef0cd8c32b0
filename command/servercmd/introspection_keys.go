package servercmd

import (
	"strings"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/internal/acl"
	"github.com/larder-db/larder/command/internal/cmdmeta"
)

// keyRef is one key found in a command line, with its key-spec flags.
type keyRef struct {
	pos   int
	flags []string
}

// cmdCommandGetkeys: COMMAND GETKEYS command [arg ...]
func cmdCommandGetkeys(c *command.Call) error {
	keys, err := commandKeys(c)
	if err != nil {
		return err
	}
	c.R.Array(len(keys))
	for _, k := range keys {
		c.R.Bulk(c.Args[2+k.pos])
	}
	return nil
}

// cmdCommandGetkeysandflags: COMMAND GETKEYSANDFLAGS command [arg ...]
func cmdCommandGetkeysandflags(c *command.Call) error {
	keys, err := commandKeys(c)
	if err != nil {
		return err
	}
	c.R.Array(len(keys))
	for _, k := range keys {
		c.R.Array(2)
		c.R.Bulk(c.Args[2+k.pos])
		c.R.Set(len(k.flags))
		for _, f := range k.flags {
			c.R.Simple(f)
		}
	}
	return nil
}

// commandKeys is Redis's getKeysSubcommandImpl, with its checks in its order.
func commandKeys(c *command.Call) ([]keyRef, error) {
	argv := c.Args[2:]
	s := c.D.Table().LookupCommandLine(argv)
	switch {
	case s == nil:
		return nil, command.Error("ERR Invalid command specified")
	case s.First == 0 && s.Keys == nil:
		return nil, command.Error("ERR The command has no key arguments")
	case (s.Arity > 0 && s.Arity != len(argv)) || len(argv) < -s.Arity:
		return nil, command.Error("ERR Invalid number of arguments specified for command")
	}
	keys := specKeys(s, argv)
	if len(keys) == 0 && s.Flags&command.FlagNoMandatoryKeys == 0 {
		return nil, command.Error("ERR Invalid arguments specified for command")
	}
	return keys, nil
}

// specKeys finds argv's keys with their key-spec flags as Redis's
// getKeysFromCommandWithSpecs: from Redis's key specifications, the row's
// own positions (RO or RW by its write flag) for a row Redis lacks.
func specKeys(s *command.Spec, argv [][]byte) []keyRef {
	var keys []keyRef
	if m, ok := redisMeta().Info[s.Name]; ok && len(m.KeySpecs.E) > 0 {
		for _, ks := range m.KeySpecs.E {
			keys = appendSpecKeys(keys, ks, argv, s.Arity)
		}
		if s.Keys != nil {
			keys = movableKeys(s, m.KeySpecs.E, keys, argv)
		}
	} else {
		access := "RO"
		if s.Flags&command.FlagWrite != 0 {
			access = "RW"
		}
		for _, p := range s.KeyPositions(argv) {
			keys = append(keys, keyRef{pos: p, flags: []string{access}})
		}
	}
	if s.KeyFlags != nil {
		for i := range keys {
			keys[i].flags = s.KeyFlags(argv)
		}
	}
	return keys
}

// InRedis reports whether Redis 7.0 has a command (command.InRedis).
func InRedis(name string) bool {
	_, ok := redisMeta().Info[name]
	return ok
}

// KeyAccess is the ACL's key finder (command.KeyAccess): argv's keys with
// the access their key-spec flags need, as Redis's ACLSelectorCheckKey
// reads them (access: read; insert, delete, update: write).
func KeyAccess(s *command.Spec, argv [][]byte) []acl.KeyRef {
	keys := specKeys(s, argv)
	out := make([]acl.KeyRef, len(keys))
	m, ok := redisMeta().Info[s.Name]
	if !ok || len(m.KeySpecs.E) == 0 { // a row Redis lacks
		perm := acl.PermRead
		if s.Flags&command.FlagWrite != 0 {
			perm = acl.PermAll
		}
		for i, k := range keys {
			out[i] = acl.KeyRef{Pos: k.pos, Perm: perm}
		}
		return out
	}
	for i, k := range keys {
		out[i].Pos = k.pos
		for _, f := range k.flags {
			switch strings.ToLower(f) {
			case "access":
				out[i].Perm |= acl.PermRead
			case "insert", "delete", "update":
				out[i].Perm |= acl.PermWrite
			}
		}
	}
	return out
}

func metaField(v cmdmeta.Value, name string) cmdmeta.Value {
	for i := 0; i+1 < len(v.E); i += 2 {
		if v.E[i].S == name {
			return v.E[i+1]
		}
	}
	return cmdmeta.Value{}
}

func metaInt(v cmdmeta.Value, name string) int { return int(metaField(v, name).I) }

// appendSpecKeys applies one key specification to argv, as Redis's
// getKeysUsingKeySpecs does (index/keyword begin search, range/keynum find).
func appendSpecKeys(keys []keyRef, ks cmdmeta.Value, argv [][]byte, arity int) []keyRef {
	var flags []string
	for _, f := range metaField(ks, "flags").E {
		flags = append(flags, f.S)
	}
	first, ok := beginSearch(metaField(ks, "begin_search"), argv)
	if !ok {
		return keys
	}
	fk := metaField(ks, "find_keys")
	spec := metaField(fk, "spec")
	var last, step int
	switch metaField(fk, "type").S {
	case "range":
		lastkey, limit := metaInt(spec, "lastkey"), metaInt(spec, "limit")
		step = metaInt(spec, "keystep")
		switch {
		case lastkey >= 0:
			last = first + lastkey
		case limit == 0:
			last = len(argv) + lastkey
		default:
			last = first + ((len(argv)-first)/limit + lastkey)
		}
	case "keynum":
		idx := metaInt(spec, "keynumidx")
		if idx >= len(argv)-first {
			return keys
		}
		n, ok := command.ParseInt(argv[first+idx])
		if !ok || n < 0 {
			return keys
		}
		step = metaInt(spec, "keystep")
		first += metaInt(spec, "firstkey")
		last = first + int(n) - 1
	default:
		return keys
	}
	step = max(step, 1)
	for j := first; j <= last; j += step {
		if j >= len(argv) || j < first {
			if arity < 0 {
				continue
			}
			break
		}
		keys = append(keys, keyRef{pos: j, flags: flags})
	}
	return keys
}

func beginSearch(bs cmdmeta.Value, argv [][]byte) (int, bool) {
	spec := metaField(bs, "spec")
	switch metaField(bs, "type").S {
	case "index":
		return metaInt(spec, "index"), true
	case "keyword":
		kw, from := metaField(spec, "keyword").S, metaInt(spec, "startfrom")
		start, end := from, len(argv)-1
		if from <= 0 {
			start, end = len(argv)+from, 0
		}
		for i := start; i != end; {
			if i >= len(argv) || i < 1 {
				break
			}
			if command.Eq(argv[i], lowerASCII(kw)) {
				return i + 1, true
			}
			if start <= end {
				i++
			} else {
				i--
			}
		}
	}
	return 0, false
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if 'A' <= ch && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}

// movableKeys completes what the key specifications found with the row's
// own Keys function, as Redis falls back to a command's getkeys procedure
// when a spec is incomplete (SORT's STORE): a position no spec found takes
// the flags of the last spec.
func movableKeys(s *command.Spec, specs []cmdmeta.Value, found []keyRef, argv [][]byte) []keyRef {
	var out []keyRef
	for _, p := range s.KeyPositions(argv) {
		ref := keyRef{pos: p}
		for _, k := range found {
			if k.pos == p {
				ref.flags = k.flags
			}
		}
		if ref.flags == nil {
			for _, f := range metaField(specs[len(specs)-1], "flags").E {
				ref.flags = append(ref.flags, f.S)
			}
		}
		out = append(out, ref)
	}
	return out
}
