package command

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Config is the live configuration: one registry of parameters with
// redis.conf names, shared by the command line (cmd/larder turns every
// parameter into a flag) and CONFIG GET/SET. It is safe for concurrent use.
type Config struct {
	mu     sync.RWMutex
	params []*Param
	byName map[string]*Param
	vals   map[string]string
	// ints is every parameter's value as Int parses it, rebuilt under mu
	// whenever vals changes: commands read limits on every call (HSET its
	// listpack limits), so a read is one atomic load and a map lookup.
	ints atomic.Pointer[map[string]int64]

	// OnChange, when set, is called after a successful CONFIG SET of name
	// (cmd/larder re-applies log level, timeouts, …).
	OnChange func(name, value string)
	appliers []applier
	// setMu makes CONFIG SETs one at a time, so that a refused one restores
	// no value another has set meanwhile (appliers run outside mu).
	setMu sync.Mutex
	d     *Dispatcher
	// file is the config file (--config), "" without one; derived are the
	// parameters whose value Larder set itself at startup (InitDerived),
	// which CONFIG REWRITE leaves out of the file.
	file    string
	derived map[string]bool
}

// applier is a function that puts a group of parameters into effect and
// may refuse their new values (Redis's apply functions: TLS reloads its
// certificates). It returns Redis's reason, "" when applied.
type applier struct {
	names []string
	apply func() string
}

// ParamKind tells how a parameter's value is parsed.
type ParamKind int

// Parameter kinds.
const (
	KindString ParamKind = iota
	KindInt
	KindMemory // bytes, with Redis's units (1k, 1kb, 1mb, …)
	KindEnum
	KindBool // yes/no
)

// Param describes one configuration parameter.
type Param struct {
	Name      string
	Kind      ParamKind
	Default   string
	Enum      []string
	Min, Max  int64 // bounds of an integer or memory value; Max 0: none
	Immutable bool  // Redis refuses CONFIG SET of it ("can't set immutable config")
	// Startup parameters are applied once, at startup, by Larder though
	// Redis can change them at runtime (port, appendonly, …): CONFIG SET
	// accepts only the value they already have.
	Startup   bool
	Protected bool   // Redis refuses CONFIG SET of it ("can't set protected config")
	Sensitive bool   // never logged
	Hidden    bool   // CONFIG GET lists it only when asked by its exact name
	Percent   bool   // a memory value may also be given as "N%" (stored as such)
	Alias     string // Redis's older name, accepted by CONFIG GET/SET as well
	// Compat parameters are Redis 7.0's, stored and reported for its
	// clients and tools but without effect in Larder (no command-line flag).
	Compat bool
	Usage  string // for --help
	// Check validates a value beyond its kind; it returns Redis's reason.
	Check func(v string) string
	// Merge, when set, makes the stored form of a valid value v, given the
	// current one: a CONFIG SET of some classes of client-output-buffer-limit
	// keeps the others; multi-word values are stored as Redis shows them.
	Merge func(old, v string) string
	// Show, when set, is how CONFIG GET prints the stored value (Redis
	// prints notify-keyspace-events lossily).
	Show func(v string) string
}

// NewConfig returns a Config holding every parameter at its default.
// Aliases share their parameter's value.
func NewConfig() *Config {
	c := &Config{byName: map[string]*Param{}, vals: map[string]string{}}
	for _, p := range append(params(), redisParams()...) {
		if c.byName[p.Name] != nil {
			panic("config: parameter " + p.Name + " defined twice")
		}
		c.params = append(c.params, p)
		c.byName[p.Name] = p
		if p.Alias != "" {
			c.byName[p.Alias] = p
		}
		c.vals[p.Name] = p.Default
	}
	c.reparse()
	return c
}

func (c *Config) bind(d *Dispatcher) { c.d = d }

// AddParams registers parameters a family defines itself (scripting's
// busy-reply-threshold) at their defaults; a name already registered keeps
// its row and value. Call it before the configuration is shared: readers
// do not lock the registry.
func (c *Config) AddParams(ps []*Param) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range ps {
		if c.byName[p.Name] != nil {
			continue
		}
		c.params = append(c.params, p)
		c.byName[p.Name] = p
		if p.Alias != "" {
			c.byName[p.Alias] = p
		}
		c.vals[p.Name] = p.Default
	}
	c.reparse()
}

// Params returns every parameter, sorted by name.
func (c *Config) Params() []*Param {
	out := append([]*Param(nil), c.params...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Get returns a parameter's current value.
func (c *Config) Get(name string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.vals[name]
}

// Int returns an integer or memory parameter's value.
func (c *Config) Int(name string) int64 {
	if n, ok := (*c.ints.Load())[name]; ok {
		return n
	}
	n, _ := parseParam(c.byName[name], c.Get(name))
	return n
}

// reparse rebuilds the ints snapshot from vals; c.mu must be held for
// writing (or c not yet shared).
func (c *Config) reparse() {
	ints := make(map[string]int64, len(c.vals))
	for name, v := range c.vals {
		ints[name], _ = parseParam(c.byName[name], v)
	}
	c.ints.Store(&ints)
}

// RequirePass returns the password, "" when none.
func (c *Config) RequirePass() string { return c.Get("requirepass") }

// Init sets a parameter from the command line: immutable ones included.
func (c *Config) Init(name, value string) error {
	p := c.byName[name]
	if p == nil {
		return fmt.Errorf("unknown parameter %q", name)
	}
	if reason := validate(p, value); reason != "" {
		return fmt.Errorf("%s: %s", name, reason)
	}
	c.mu.Lock()
	c.vals[p.Name] = c.merged(p, value)
	delete(c.derived, p.Name)
	c.reparse()
	c.mu.Unlock()
	return nil
}

// InitDerived sets a parameter as Init does, to a value Larder chose itself
// (a generated REST token, requirepass taken from rest-token): CONFIG
// REWRITE does not write it to the config file unless it is set again.
func (c *Config) InitDerived(name, value string) error {
	if err := c.Init(name, value); err != nil {
		return err
	}
	c.mu.Lock()
	if c.derived == nil {
		c.derived = map[string]bool{}
	}
	c.derived[c.byName[name].Name] = true
	c.mu.Unlock()
	return nil
}

// merged is the stored form of v for p; c.mu must be held.
func (c *Config) merged(p *Param, v string) string {
	v = normalize(p, v)
	if p.Merge != nil {
		v = p.Merge(c.vals[p.Name], v)
	}
	return v
}

// OnApply registers apply to run after a CONFIG SET that changed any of
// names (once per CONFIG SET, however many of them it changed). When apply
// returns a reason, every value the CONFIG SET changed is restored and the
// command fails with that reason, naming the first of names it set. Call
// it before the configuration is shared.
func (c *Config) OnApply(apply func() string, names ...string) {
	c.appliers = append(c.appliers, applier{names: names, apply: apply})
}

// runAppliers runs the appliers of the parameters set (canonical names);
// on a refusal it returns the parameter to name and the reason.
func (c *Config) runAppliers(set []string) (string, string) {
	for _, a := range c.appliers {
		for _, name := range set {
			if slices.Contains(a.names, name) {
				if reason := a.apply(); reason != "" {
					return name, reason
				}
				break
			}
		}
	}
	return "", ""
}

// Set applies CONFIG SET pairs atomically, as Redis 7.0 does: first every
// name is looked up (an unknown, immutable, protected or repeated one fails
// the command, the first such error reported), then every value is
// validated in order (the error names the parameter as registered, alias
// or not), and only then are all applied.
func (c *Config) Set(pairs [][]byte) error {
	c.setMu.Lock()
	defer c.setMu.Unlock()
	names := make([]string, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		name := strings.ToLower(string(pairs[i]))
		p := c.byName[name]
		reason := ""
		switch {
		case p == nil:
			return Error(fmt.Sprintf("ERR Unknown option or number of arguments for CONFIG SET - '%s'", pairs[i]))
		case p.Immutable:
			reason = "can't set immutable config"
		case p.Protected:
			reason = "can't set protected config"
		case slices.Contains(names, name):
			reason = "duplicate parameter"
		}
		if reason != "" {
			return setError(string(pairs[i]), reason)
		}
		names = append(names, name)
	}
	c.mu.Lock()
	stored := make([]string, len(names))
	for i, name := range names {
		p, v := c.byName[name], string(pairs[2*i+1])
		reason := validate(p, v)
		if reason == "" {
			stored[i] = c.merged(p, v)
			if p.Startup && stored[i] != c.vals[p.Name] {
				reason = "can't set immutable config"
			}
		}
		if reason != "" {
			c.mu.Unlock()
			return setError(name, reason)
		}
	}
	return c.commit(names, stored)
}

// commit stores validated values (c.mu held, released here), runs the
// appliers and reports the change; a refusing applier restores every old
// value.
func (c *Config) commit(names, stored []string) error {
	old := make([]string, len(names))
	canon := make([]string, len(names))
	for i, name := range names {
		canon[i] = c.byName[name].Name
		old[i] = c.vals[canon[i]]
		c.vals[canon[i]] = stored[i]
	}
	c.reparse()
	c.mu.Unlock()
	if name, reason := c.runAppliers(canon); reason != "" {
		c.mu.Lock()
		for i, n := range canon {
			c.vals[n] = old[i]
		}
		c.reparse()
		c.mu.Unlock()
		return setError(name, reason)
	}
	c.mu.Lock()
	for _, n := range canon {
		delete(c.derived, n) // the user's value from now on
	}
	c.mu.Unlock()
	if c.OnChange != nil {
		for _, name := range canon {
			c.OnChange(name, c.Get(name))
		}
	}
	return nil
}

func setError(name, reason string) error {
	return Error(fmt.Sprintf("ERR CONFIG SET failed (possibly related to argument '%s') - %s", name, reason))
}

// Match returns name/value pairs for CONFIG GET patterns, as Redis 7.0: a
// pattern without glob characters is looked up directly (hidden parameters
// included) and echoed as the client spelled it; a glob matches names and
// aliases (each listed under its own name), never hidden parameters. A
// name is listed once.
func (c *Config) Match(patterns [][]byte, glob func(p, s []byte) bool) [][2]string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out [][2]string
	seen := map[string]bool{}
	add := func(p *Param, shown string) {
		if key := strings.ToLower(shown); !seen[key] {
			seen[key] = true
			v := c.vals[p.Name]
			if p.Show != nil {
				v = p.Show(v)
			}
			out = append(out, [2]string{shown, v})
		}
	}
	names := c.names()
	for _, pat := range patterns {
		if !strings.ContainsAny(string(pat), "[*?") {
			if p := c.byName[strings.ToLower(string(pat))]; p != nil {
				add(p, string(pat))
			}
			continue
		}
		for _, name := range names {
			if p := c.byName[name]; !p.Hidden && glob(pat, []byte(name)) {
				add(p, name)
			}
		}
	}
	return out
}

// names returns every parameter name and alias, sorted.
func (c *Config) names() []string {
	out := make([]string, 0, len(c.byName))
	for name := range c.byName {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func validate(p *Param, v string) string {
	switch p.Kind {
	case KindInt, KindMemory:
		n, ok := parseParam(p, v)
		if !ok {
			switch {
			case p.Percent:
				return "argument must be a memory or percent value"
			case p.Kind == KindMemory:
				return "argument must be a memory value"
			}
			return "argument couldn't be parsed into an integer"
		}
		if p.Percent && n < 0 {
			if n < p.Min {
				return fmt.Sprintf("percentage argument must be less or equal to %d", -p.Min)
			}
		} else if n < p.Min || (p.Max != 0 && n > p.Max) {
			return fmt.Sprintf("argument must be between %d and %d inclusive", p.Min, p.Max)
		}
	case KindEnum:
		if !containsFold(p.Enum, v) {
			return "argument(s) must be one of the following: " + strings.Join(p.Enum, ", ")
		}
	case KindBool:
		if !containsFold([]string{"yes", "no"}, v) {
			return "argument must be 'yes' or 'no'"
		}
	}
	if p.Check != nil {
		return p.Check(v)
	}
	return ""
}

// normalize stores values the way CONFIG GET shows them: numbers in
// decimal (memory in bytes, a percentage as "N%"), enums and booleans in
// lower case.
func normalize(p *Param, v string) string {
	switch p.Kind {
	case KindMemory, KindInt:
		n, _ := parseParam(p, v)
		if n < 0 && p.Percent {
			return strconv.FormatInt(-n, 10) + "%"
		}
		return strconv.FormatInt(n, 10)
	case KindEnum, KindBool:
		return strings.ToLower(v)
	}
	return v
}

func containsFold(list []string, v string) bool {
	for _, s := range list {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

// parseParam reads an integer or memory value as Redis's
// numericParseString: memory with units, or (Percent) "N%" returned as -N,
// or a canonical integer.
func parseParam(p *Param, v string) (int64, bool) {
	if p == nil {
		return 0, false
	}
	if p.Kind == KindMemory {
		if n, ok := parseMemory(v); ok {
			return n, true
		}
	}
	if p.Percent && len(v) > 1 && strings.HasSuffix(v, "%") {
		if n, ok := ParseInt([]byte(v[:len(v)-1])); ok && n >= 0 {
			return -n, true
		}
	}
	if p.Kind == KindMemory {
		return 0, false
	}
	return ParseInt([]byte(v))
}

// parseMemory is Redis's memtoull: digits (none read as 0) with an
// optional unit, b, k/m/g (powers of 1000) or kb/mb/gb (powers of 1024),
// in any case.
func parseMemory(v string) (int64, bool) {
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	muls := map[string]int64{"": 1, "b": 1, "k": 1e3, "kb": 1 << 10, "m": 1e6, "mb": 1 << 20, "g": 1e9, "gb": 1 << 30}
	mul, ok := muls[strings.ToLower(v[i:])]
	if !ok {
		return 0, false
	}
	var n uint64
	if i > 0 {
		var err error
		if n, err = strconv.ParseUint(v[:i], 10, 63); err != nil {
			return 0, false
		}
	}
	if int64(n) > math.MaxInt64/mul {
		return 0, false
	}
	return int64(n) * mul, true
}
