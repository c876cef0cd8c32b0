package acl

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Store holds the users. Reads of a user's definition need no lock (see
// state); the map of users is guarded by mu.
type Store struct {
	cat *Catalog
	mu  sync.RWMutex
	// users by name; def is "default", which cannot be removed.
	users map[string]*User
	def   *User
	// pubsubAll is acl-pubsub-default allchannels: new selectors and
	// "reset" start with every channel allowed.
	pubsubAll bool
}

// NewStore returns a store with the default user: on, nopass, every
// command, key and channel (ACLCreateDefaultUser).
func NewStore(cat *Catalog) *Store {
	s := &Store{cat: cat, users: make(map[string]*User)}
	st := s.newState()
	r := st.root()
	r.setAll(true)
	r.allKeys, r.allChannels = true, true
	st.on, st.nopass = true, true
	s.def = &User{Name: "default"}
	s.def.state.Store(st.seal())
	s.users["default"] = s.def
	return s
}

// Catalog returns the commands the store's rules name.
func (s *Store) Catalog() *Catalog { return s.cat }

func (s *Store) newState() *state {
	return &state{selectors: []*Selector{newSelector(s.cat, s.pubsubAll)}}
}

// SetPubsubDefault is acl-pubsub-default: whether new users and selectors
// start with allchannels.
func (s *Store) SetPubsubDefault(all bool) {
	s.mu.Lock()
	s.pubsubAll = all
	s.mu.Unlock()
}

// Default returns the default user.
func (s *Store) Default() *User { return s.def }

// Get returns a user by name, nil if none.
func (s *Store) Get(name string) *User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.users[name]
}

// Names returns the users' names in byte order (ACL USERS).
func (s *Store) Names() []string {
	s.mu.RLock()
	out := make([]string, 0, len(s.users))
	for n := range s.users {
		out = append(out, n)
	}
	s.mu.RUnlock()
	sort.Strings(out)
	return out
}

// SetUser is ACL SETUSER: the rules applied, all or none, to the user,
// created when missing. The error is Redis's reply text without "ERR ".
func (s *Store) SetUser(name string, rules []string) error {
	if hasSpaces(name) {
		return errorf("Usernames can't contain spaces or null characters")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[name]
	st, err := s.staged(u, rules)
	if err != nil {
		return err
	}
	if u == nil {
		u = &User{Name: name}
		s.users[name] = u
	}
	u.state.Store(st.seal())
	return nil
}

// staged applies rules to a copy of u's state (a new user's when u is nil).
func (s *Store) staged(u *User, rules []string) (*state, error) {
	merged, bad := mergeSelectors(rules)
	if bad >= 0 {
		return nil, errorf("Unmatched parenthesis in acl selector starting at '%s'.", rules[bad])
	}
	st := s.newState()
	if u != nil {
		st = u.state.Load().clone()
	}
	for _, op := range merged {
		if err := st.apply(s.cat, op, s.pubsubAll); err != nil {
			return nil, errorf("Error in ACL SETUSER modifier '%s': %s", op, err)
		}
	}
	return st, nil
}

// mergeSelectors is ACLMergeSelectorArguments: "(a" "b)" become "(a b)".
// bad is the index of an unclosed selector's first rule, or -1.
func mergeSelectors(rules []string) (merged []string, bad int) {
	open := -1
	var cur string
	for j, op := range rules {
		if strings.HasPrefix(op, "(") && !strings.HasSuffix(op, ")") {
			cur, open = op, j
			continue
		}
		if open >= 0 {
			cur += " " + op
			if strings.HasSuffix(op, ")") {
				merged, open = append(merged, cur), -1
			}
			continue
		}
		merged = append(merged, op)
	}
	return merged, open
}

// Delete is ACL DELUSER: it removes the named users and returns those it
// removed; "default" cannot be removed (nothing is then removed).
func (s *Store) Delete(names []string) ([]*User, error) {
	for _, n := range names {
		if n == "default" {
			return nil, errorf("The 'default' user cannot be removed")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*User
	for _, n := range names {
		if u := s.users[n]; u != nil {
			delete(s.users, n)
			out = append(out, u)
		}
	}
	return out, nil
}

// Authenticate returns the user name and pass log in as: enabled, and
// pass one of its passwords (any when nopass). exists is false for an
// unknown user.
func (s *Store) Authenticate(name, pass []byte) (u *User, exists bool) {
	u = s.Get(string(name))
	if u == nil {
		return nil, false
	}
	if !u.Enabled() || !u.CheckPassword(pass) {
		return nil, true
	}
	return u, true
}

// SetDefaultPassword is requirepass (ACLUpdateDefaultUserPassword): the
// default user's passwords become pass, or nopass when it is empty.
func (s *Store) SetDefaultPassword(pass string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.def.state.Load().clone()
	st.nopass, st.passwords = false, nil
	if pass == "" {
		st.nopass = true
	} else {
		st.passwords = []string{HashPassword([]byte(pass))}
	}
	s.def.state.Store(st.seal())
}

// AuthRequired reports whether new connections must authenticate: the
// default user has a password or is off (authRequired).
func (s *Store) AuthRequired() bool {
	st := s.def.state.Load()
	return !st.nopass || !st.on
}

// RESTToken is the REST bearer token of user name for its password pass
// (Upstash's ACL RESTTOKEN): "lt_<hex name>_<HMAC of the name and the
// password's hash under key>", so it stops working when the password is
// removed, the user deleted or key changes. ok is false when pass is not
// one of the user's passwords (nopass hands out no token).
func (s *Store) RESTToken(key []byte, name string, pass []byte) (tok string, ok bool) {
	u := s.Get(name)
	if u == nil {
		return "", false
	}
	h := HashPassword(pass)
	if !slices.Contains(u.state.Load().passwords, h) {
		return "", false
	}
	return "lt_" + hex.EncodeToString([]byte(name)) + "_" + tokenMAC(key, name, h), true
}

// TokenUser returns the enabled user a RESTToken belongs to, or nil.
func (s *Store) TokenUser(key []byte, tok string) *User {
	rest, ok := strings.CutPrefix(tok, "lt_")
	hexName, mac, ok2 := strings.Cut(rest, "_")
	name, err := hex.DecodeString(hexName)
	if !ok || !ok2 || err != nil {
		return nil
	}
	u := s.Get(string(name))
	if u == nil || !u.Enabled() {
		return nil
	}
	found := false
	for _, h := range u.state.Load().passwords {
		if subtle.ConstantTimeCompare([]byte(tokenMAC(key, string(name), h)), []byte(mac)) == 1 {
			found = true
		}
	}
	if !found {
		return nil
	}
	return u
}

func tokenMAC(key []byte, name, passHash string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(name + "\x00" + passHash))
	return hex.EncodeToString(m.Sum(nil))
}
