package command

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Config is the live configuration: one registry of parameters with
// redis.conf names, shared by the command line (cmd/larder turns every
// parameter into a flag) and CONFIG GET/SET. It is safe for concurrent use.
type Config struct {
	mu     sync.RWMutex
	params []*Param
	byName map[string]*Param
	vals   map[string]string

	// OnChange, when set, is called after a successful CONFIG SET of name
	// (cmd/larder re-applies log level, timeouts, …).
	OnChange func(name, value string)
	d        *Dispatcher
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
	Min, Max  int64
	Immutable bool   // only the command line may set it
	Sensitive bool   // never logged
	Usage     string // for --help
	// Check validates a value beyond its kind; it returns Redis's reason.
	Check func(v string) string
	// Merge, when set, combines a new value with the current one (a
	// CONFIG SET of some classes of client-output-buffer-limit).
	Merge func(old, v string) string
	// Show, when set, is how CONFIG GET prints the stored value (Redis
	// prints notify-keyspace-events lossily).
	Show func(v string) string
}

// NewConfig returns a Config holding every parameter at its default.
func NewConfig() *Config {
	c := &Config{byName: map[string]*Param{}, vals: map[string]string{}}
	for _, p := range params() {
		c.params = append(c.params, p)
		c.byName[p.Name] = p
		c.vals[p.Name] = p.Default
	}
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
		c.vals[p.Name] = p.Default
	}
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
	n, _ := parseParam(c.byName[name], c.Get(name))
	return n
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
	c.vals[name] = c.merged(p, value)
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

// set applies CONFIG SET pairs atomically: all are validated first, with
// Redis 7.0's error texts, then all are applied.
func (c *Config) Set(pairs [][]byte) error {
	seen := map[string]bool{}
	for i := 0; i < len(pairs); i += 2 {
		name := strings.ToLower(string(pairs[i]))
		p := c.byName[name]
		if p == nil {
			return Error(fmt.Sprintf("ERR Unknown option or number of arguments for CONFIG SET - '%s'", pairs[i]))
		}
		if seen[name] {
			return Error(fmt.Sprintf("ERR CONFIG SET failed (possibly related to argument '%s') - duplicate parameter", pairs[i]))
		}
		seen[name] = true
		reason := validate(p, string(pairs[i+1]))
		if p.Immutable {
			reason = "can't set immutable config"
		}
		if reason != "" {
			return Error(fmt.Sprintf("ERR CONFIG SET failed (possibly related to argument '%s') - %s", pairs[i], reason))
		}
	}
	c.mu.Lock()
	for i := 0; i < len(pairs); i += 2 {
		name := strings.ToLower(string(pairs[i]))
		c.vals[name] = c.merged(c.byName[name], string(pairs[i+1]))
	}
	c.mu.Unlock()
	if c.OnChange != nil {
		for i := 0; i < len(pairs); i += 2 {
			name := strings.ToLower(string(pairs[i]))
			c.OnChange(name, c.Get(name))
		}
	}
	return nil
}

// match returns name/value pairs for CONFIG GET patterns, each parameter
// once. A pattern without glob characters is looked up directly and echoed
// as the client spelled it, as Redis does.
func (c *Config) Match(patterns [][]byte, glob func(p, s []byte) bool) [][2]string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out [][2]string
	seen := map[string]bool{}
	add := func(name, shown string) {
		if !seen[name] {
			seen[name] = true
			v := c.vals[name]
			if p := c.byName[name]; p.Show != nil {
				v = p.Show(v)
			}
			out = append(out, [2]string{shown, v})
		}
	}
	for _, pat := range patterns {
		if !strings.ContainsAny(string(pat), "[*?") {
			if name := strings.ToLower(string(pat)); c.byName[name] != nil {
				add(name, string(pat))
			}
			continue
		}
		for _, p := range c.Params() {
			if glob(pat, []byte(p.Name)) {
				add(p.Name, p.Name)
			}
		}
	}
	return out
}

func validate(p *Param, v string) string {
	switch p.Kind {
	case KindInt, KindMemory:
		n, ok := parseParam(p, v)
		if !ok {
			if p.Kind == KindMemory {
				return "argument must be a memory value"
			}
			return "argument couldn't be parsed into an integer"
		}
		if n < p.Min || (p.Max != 0 && n > p.Max) {
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

// normalize stores values the way CONFIG GET shows them: memory in bytes,
// enums and booleans in lower case.
func normalize(p *Param, v string) string {
	switch p.Kind {
	case KindMemory, KindInt:
		n, _ := parseParam(p, v)
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

func parseParam(p *Param, v string) (int64, bool) {
	if p == nil {
		return 0, false
	}
	if p.Kind == KindMemory {
		return parseMemory(v)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

// parseMemory is Redis's memtoull: a number with an optional unit, k/m/g
// being powers of 1000 and kb/mb/gb powers of 1024.
func parseMemory(v string) (int64, bool) {
	units := []struct {
		suffix string
		mul    int64
	}{{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30}, {"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {"b", 1}}
	lv := strings.ToLower(v)
	mul := int64(1)
	for _, u := range units {
		if strings.HasSuffix(lv, u.suffix) {
			lv, mul = strings.TrimSuffix(lv, u.suffix), u.mul
			break
		}
	}
	n, err := strconv.ParseUint(lv, 10, 63)
	if err != nil || (mul > 1 && int64(n) > (1<<62)/mul) {
		return 0, false
	}
	return int64(n) * mul, true
}
