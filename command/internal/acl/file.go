package acl

import (
	"fmt"
	"strings"
)

// Save is ACLSaveToFile's text: one "user <name> <rules>" line per user,
// in name order.
func (s *Store) Save() string {
	var b strings.Builder
	for _, n := range s.Names() {
		if u := s.Get(n); u != nil {
			b.WriteString("user " + n + " " + s.Describe(u) + "\n")
		}
	}
	return b.String()
}

// Load is ACLLoadFromFile: the users of an ACL file's text replace every
// user, all or none; the default user keeps its identity (its sessions
// stay) and takes the file's definition, or the initial one when the file
// has none. It returns the users replaced (whose sessions must close), or
// Redis's error text naming file.
func (s *Store) Load(text, file string) ([]*User, error) {
	users := make(map[string]*User)
	var errs strings.Builder
	for i, line := range strings.Split(text, "\n") {
		line = strings.Trim(line, " \t\r\n")
		if line == "" {
			continue
		}
		argv := strings.Split(line, " ")
		if argv[0] != "user" || len(argv) < 2 {
			fmt.Fprintf(&errs, "%s:%d should start with user keyword followed by the username. ", file, i+1)
			continue
		}
		if hasSpaces(argv[1]) {
			fmt.Fprintf(&errs, "'%s:%d: username '%s' contains invalid characters. ", file, i+1, argv[1])
			continue
		}
		if users[argv[1]] != nil {
			fmt.Fprintf(&errs, "WARNING: Duplicate user '%s' found on line %d. ", argv[1], i+1)
			continue
		}
		users[argv[1]] = s.loadUser(argv[1], argv[2:], file, i+1, &errs)
	}
	if errs.Len() > 0 {
		return nil, errorf("%sWARNING: ACL errors detected, no change to the previously active ACL rules was performed", errs.String())
	}
	return s.replaceUsers(users), nil
}

// loadUser builds one user of an ACL file, noting its errors in errs.
func (s *Store) loadUser(name string, rules []string, file string, line int, errs *strings.Builder) *User {
	u := &User{Name: name}
	st := s.newState()
	merged, bad := mergeSelectors(rules)
	if bad >= 0 {
		fmt.Fprintf(errs, "%s:%d: Unmatched parenthesis in selector definition.", file, line)
	}
	syntax := false
	for _, op := range merged {
		op = strings.Trim(op, "\t\r\n")
		err := st.apply(s.cat, op, s.pubsubAll)
		switch {
		case err == errUnknownName:
			fmt.Fprintf(errs, "%s:%d: Error in applying operation '%s': %s. ", file, line, op, err)
		case err != nil && !syntax:
			fmt.Fprintf(errs, "%s:%d: %s. ", file, line, err)
			syntax = true
		}
	}
	u.state.Store(st.seal())
	return u
}

func (s *Store) replaceUsers(users map[string]*User) []*User {
	s.mu.Lock()
	defer s.mu.Unlock()
	def := users["default"]
	if def == nil {
		def = NewStore(s.cat).def
	}
	s.def.state.Store(def.state.Load())
	users["default"] = s.def
	var gone []*User
	for n, u := range s.users {
		if n != "default" {
			gone = append(gone, u)
		}
	}
	s.users = users
	return gone
}
