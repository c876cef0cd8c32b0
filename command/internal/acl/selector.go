package acl

import (
	"slices"
	"strings"
)

// Perm is the access a key pattern grants, or a key reference needs.
type Perm uint8

// Key permissions: %R~ grants reading, %W~ writing, ~ both.
const (
	PermRead Perm = 1 << iota
	PermWrite
	PermAll = PermRead | PermWrite
)

// KeyPattern is one key pattern of a selector.
type KeyPattern struct {
	Pattern string
	Perm    Perm
}

// String is the pattern as ACL LIST writes it: ~p, %R~p or %W~p.
func (k KeyPattern) String() string {
	switch k.Perm {
	case PermRead:
		return "%R~" + k.Pattern
	case PermWrite:
		return "%W~" + k.Pattern
	}
	return "~" + k.Pattern
}

// Selector is a set of permissions: the commands it allows, the keys and
// the channels they may name. A user is allowed what any of its selectors
// allows (the root selector first).
type Selector struct {
	allKeys, allChannels, allCommands bool
	// future is Redis's reserved "future commands" bit: set by +@all and
	// allcommands, cleared by -@all and nocommands; the description starts
	// from +@all when it is set.
	future    bool
	bits      []uint64
	firstArgs map[int][]string // allowed first arguments of denied commands
	keys      []KeyPattern
	channels  []string
}

func newSelector(cat *Catalog, allChannels bool) *Selector {
	return &Selector{allChannels: allChannels, bits: make([]uint64, (cat.Len()+63)/64)}
}

func (s *Selector) clone() *Selector {
	c := *s
	c.bits = slices.Clone(s.bits)
	c.keys = slices.Clone(s.keys)
	c.channels = slices.Clone(s.channels)
	if s.firstArgs != nil {
		c.firstArgs = make(map[int][]string, len(s.firstArgs))
		for id, a := range s.firstArgs {
			c.firstArgs[id] = slices.Clone(a)
		}
	}
	return &c
}

func (s *Selector) bit(id int) bool { return s.bits[id/64]&(1<<(id%64)) != 0 }

func (s *Selector) setBit(id int, on bool) {
	if on {
		s.bits[id/64] |= 1 << (id % 64)
		return
	}
	s.bits[id/64] &^= 1 << (id % 64)
	s.allCommands = false
}

// changePerm allows or denies a command and, for a container, its
// subcommands (ACLChangeSelectorPerm).
func (s *Selector) changePerm(cmd *Command, allow bool) {
	s.setBit(cmd.ID, allow)
	delete(s.firstArgs, cmd.ID)
	for _, sub := range cmd.Subs {
		s.setBit(sub.ID, allow)
	}
}

func (s *Selector) setCategory(cat *Catalog, bit uint32, allow bool) {
	cat.each(func(cmd *Command) {
		if cmd.Categories&bit != 0 {
			s.changePerm(cmd, allow)
		}
	})
}

func (s *Selector) setAll(allow bool) {
	var w uint64
	if allow {
		w = ^uint64(0)
	}
	for i := range s.bits {
		s.bits[i] = w
	}
	s.allCommands, s.future, s.firstArgs = allow, allow, nil
}

// apply is ACLSetSelector: one rule applied to the selector.
func (s *Selector) apply(cat *Catalog, op string) error {
	switch lower := strings.ToLower(op); {
	case lower == "allkeys" || op == "~*":
		s.allKeys, s.keys = true, nil
	case lower == "resetkeys":
		s.allKeys, s.keys = false, nil
	case lower == "allchannels" || op == "&*":
		s.allChannels, s.channels = true, nil
	case lower == "resetchannels":
		s.allChannels, s.channels = false, nil
	case lower == "allcommands" || lower == "+@all":
		s.setAll(true)
	case lower == "nocommands" || lower == "-@all":
		s.setAll(false)
	case op[0] == '~' || op[0] == '%':
		return s.addKeyPattern(op)
	case op[0] == '&':
		return s.addChannel(op[1:])
	case len(op) > 1 && op[1] == '@' && (op[0] == '+' || op[0] == '-'):
		bit := CategoryBit(op[2:])
		if bit == 0 {
			return errUnknownName
		}
		s.setCategory(cat, bit, op[0] == '+')
	case op[0] == '+':
		return s.allowCommand(cat, op[1:])
	case op[0] == '-':
		cmd := cat.Lookup(op[1:])
		if cmd == nil {
			return errUnknownName
		}
		s.changePerm(cmd, false)
	default:
		return errSyntax
	}
	return nil
}

func (s *Selector) addKeyPattern(op string) error {
	if s.allKeys {
		return errAfterAllKeys
	}
	perm, off := PermAll, 1
	if op[0] == '%' {
		perm = 0
		for ; off < len(op); off++ {
			switch c := op[off]; {
			case (c == 'R' || c == 'r') && perm&PermRead == 0:
				perm |= PermRead
				continue
			case (c == 'W' || c == 'w') && perm&PermWrite == 0:
				perm |= PermWrite
				continue
			case c == '~':
				off++
			default:
				return errSyntax
			}
			break
		}
	}
	pat := op[min(off, len(op)):]
	if hasSpaces(pat) {
		return errSyntax
	}
	for i := range s.keys {
		if s.keys[i].Pattern == pat {
			s.keys[i].Perm |= perm
			return nil
		}
	}
	s.keys = append(s.keys, KeyPattern{pat, perm})
	return nil
}

func (s *Selector) addChannel(pat string) error {
	if s.allChannels {
		return errAfterAllChannels
	}
	if hasSpaces(pat) {
		return errSyntax
	}
	if !slices.Contains(s.channels, pat) {
		s.channels = append(s.channels, pat)
	}
	return nil
}

// allowCommand is "+name", "+container|sub" or "+command|first-arg".
func (s *Selector) allowCommand(cat *Catalog, name string) error {
	i := strings.LastIndexByte(name, '|')
	if i < 0 {
		cmd := cat.Lookup(name)
		if cmd == nil {
			return errUnknownName
		}
		s.changePerm(cmd, true)
		return nil
	}
	cmd := cat.Lookup(name[:i])
	switch {
	case cmd == nil:
		return errUnknownName
	case cmd.Parent != nil:
		return errSubFirstArg
	case i == len(name)-1:
		return errSyntax
	case len(cmd.Subs) > 0:
		sub := cat.Lookup(name)
		if sub == nil {
			return errUnknownName
		}
		s.changePerm(sub, true)
		return nil
	}
	arg := name[i+1:]
	for _, a := range s.firstArgs[cmd.ID] {
		if strings.EqualFold(a, arg) {
			return nil
		}
	}
	if s.firstArgs == nil {
		s.firstArgs = make(map[int][]string)
	}
	s.firstArgs[cmd.ID] = append(s.firstArgs[cmd.ID], arg)
	return nil
}

// hasSpaces is ACLStringHasSpaces: C's isspace or a NUL.
func hasSpaces(s string) bool {
	return strings.ContainsAny(s, " \t\n\v\f\r\x00")
}
