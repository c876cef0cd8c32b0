package acl

import (
	"math"
	"strings"
)

// describeCommands is ACLDescribeSelectorCommandRules: rules that rebuild
// the selector's command bitmap, starting from +@all (when it may run
// future commands) or -@all, then the categories that fit best, then
// single commands. Redis emits the single commands in its hash table's
// order, which varies between runs; here they follow the catalog.
func describeCommands(cat *Catalog, s *Selector) string {
	var rules strings.Builder
	additive := !s.future
	fake := newSelector(cat, false)
	if additive {
		rules.WriteString("-@all ")
	} else {
		rules.WriteString("+@all ")
		fake.setAll(true)
	}
	temp := newSelector(cat, false)
	copy(temp.bits, s.bits)
	applied := make([]bool, len(Categories))
	for {
		best := bestCategory(cat, temp, applied, additive)
		if best < 0 {
			break
		}
		fake.setCategory(cat, 1<<best, additive)
		temp.setCategory(cat, 1<<best, !additive)
		if additive {
			rules.WriteString("+@")
		} else {
			rules.WriteString("-@")
		}
		rules.WriteString(Categories[best] + " ")
		applied[best] = true
	}
	cat.each(func(cmd *Command) {
		user, f := s.bit(cmd.ID), fake.bit(cmd.ID)
		if user != f {
			if user {
				rules.WriteString("+")
			} else {
				rules.WriteString("-")
			}
			rules.WriteString(cmd.Name + " ")
			fake.changePerm(cmd, user)
		}
		if !user {
			for _, a := range s.firstArgs[cmd.ID] {
				rules.WriteString("+" + cmd.Name + "|" + a + " ")
			}
		}
	})
	return strings.TrimSuffix(rules.String(), " ")
}

// bestCategory is the category not yet applied that best fits the
// commands temp still differs in: more commands in common than different,
// the fewest differences, then the most in common; -1 if none fits.
func bestCategory(cat *Catalog, temp *Selector, applied []bool, additive bool) int {
	best, mindiff, maxsame := -1, math.MaxInt, 0
	for j := range Categories {
		if applied[j] {
			continue
		}
		on, off := countCategory(cat, temp, 1<<j)
		diff, same := on, off
		if additive {
			diff, same = off, on
		}
		if same > diff && (diff < mindiff || (diff == mindiff && same > maxsame)) {
			best, mindiff, maxsame = j, diff, same
		}
	}
	return best
}

func countCategory(cat *Catalog, s *Selector, bit uint32) (on, off int) {
	cat.each(func(cmd *Command) {
		if cmd.Categories&bit != 0 && !cmd.Extra {
			if s.bit(cmd.ID) {
				on++
			} else {
				off++
			}
		}
	})
	return on, off
}

// describeSelector is ACLDescribeSelector: keys, channels, commands.
func describeSelector(cat *Catalog, s *Selector) string {
	var b strings.Builder
	if s.allKeys {
		b.WriteString("~* ")
	} else {
		for _, k := range s.keys {
			b.WriteString(k.String() + " ")
		}
	}
	if s.allChannels {
		b.WriteString("&* ")
	} else {
		b.WriteString("resetchannels ")
		for _, c := range s.channels {
			b.WriteString("&" + c + " ")
		}
	}
	b.WriteString(describeCommands(cat, s))
	return b.String()
}

// flags are the user's flags in Redis's order.
func (st *state) flags() []string {
	var out []string
	if st.on {
		out = append(out, "on")
	} else {
		out = append(out, "off")
	}
	if st.nopass {
		out = append(out, "nopass")
	}
	switch st.sanitize {
	case sanitizeSkip:
		out = append(out, "skip-sanitize-payload")
	case sanitizeOn:
		out = append(out, "sanitize-payload")
	}
	return out
}

// Describe is ACLDescribeUser: the user's rules as ACL LIST and an ACL
// file write them (without "user <name> ").
func (s *Store) Describe(u *User) string {
	st := u.state.Load()
	var b strings.Builder
	for _, f := range st.flags() {
		b.WriteString(f + " ")
	}
	for _, p := range st.passwords {
		b.WriteString("#" + p + " ")
	}
	b.WriteString(describeSelector(s.cat, st.root()))
	for _, sel := range st.selectors[1:] {
		b.WriteString(" (" + describeSelector(s.cat, sel) + ")")
	}
	return b.String()
}

// SelectorInfo is one selector as ACL GETUSER shows it.
type SelectorInfo struct {
	Commands, Keys, Channels string
}

// UserInfo is a user as ACL GETUSER shows it.
type UserInfo struct {
	Flags, Passwords []string
	Root             SelectorInfo
	Selectors        []SelectorInfo
}

// Info returns u's definition for ACL GETUSER.
func (s *Store) Info(u *User) UserInfo {
	st := u.state.Load()
	info := UserInfo{Flags: st.flags(), Passwords: st.passwords, Root: s.selectorInfo(st.root())}
	for _, sel := range st.selectors[1:] {
		info.Selectors = append(info.Selectors, s.selectorInfo(sel))
	}
	return info
}

func (s *Store) selectorInfo(sel *Selector) SelectorInfo {
	out := SelectorInfo{Commands: describeCommands(s.cat, sel)}
	if sel.allKeys {
		out.Keys = "~*"
	} else {
		ks := make([]string, len(sel.keys))
		for i, k := range sel.keys {
			ks[i] = k.String()
		}
		out.Keys = strings.Join(ks, " ")
	}
	if sel.allChannels {
		out.Channels = "&*"
	} else {
		cs := make([]string, len(sel.channels))
		for i, c := range sel.channels {
			cs[i] = "&" + c
		}
		out.Channels = strings.Join(cs, " ")
	}
	return out
}
