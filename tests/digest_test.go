package tests

// The dataset digest (RELIABILITY.md §4, Dragonfly's `capture`): every key of
// every database with its TYPE, its value in a canonical form and its
// absolute expiry (PEXPIRETIME, and HPEXPIRETIME per hash field). Two digests
// are compared key by key; a difference names the key.

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// dentry is one key in a digest.
type dentry struct {
	Type string // string, list, set, zset, hash
	Val  string // canonical value
	Exp  int64  // PEXPIRETIME: -1 none; absolute ms
	// ExpHi > Exp makes Exp..ExpHi a range (a model that only knows the
	// window in which a relative TTL was applied); 0 means exactly Exp.
	ExpHi int64
}

// digest maps "<db>/<key>" to its entry.
type digest map[string]dentry

// expTolerance is the expiry difference accepted between two digests: the
// log stores absolute milliseconds, so a restart must not move a deadline.
const expTolerance = 2

// takeDigest reads every key of every database through rdb's server.
func takeDigest(ctx context.Context, rdb *redis.Client) (digest, error) {
	conn := rdb.Conn()
	defer func() { _ = conn.Close() }() // a read-only connection
	dbs := 16
	if v, err := conn.ConfigGet(ctx, "databases").Result(); err == nil {
		if n, err := strconv.Atoi(v["databases"]); err == nil && n > 0 {
			dbs = n
		}
	}
	d := digest{}
	for db := 0; db < dbs; db++ {
		if err := conn.Select(ctx, db).Err(); err != nil {
			return nil, fmt.Errorf("select %d: %w", db, err)
		}
		if err := digestDB(ctx, conn, db, d); err != nil {
			return nil, err
		}
	}
	if err := conn.Select(ctx, 0).Err(); err != nil {
		return nil, err
	}
	if err := digestFunctions(ctx, conn, d); err != nil {
		return nil, err
	}
	return d, nil
}

// digestFunctions adds the function libraries (FUNCTION LIST WITHCODE,
// libraries sorted) as the entry "-/functions" when there are any; a
// server without FUNCTION adds nothing.
func digestFunctions(ctx context.Context, conn *redis.Conn, d digest) error {
	libs, err := conn.Do(ctx, "FUNCTION", "LIST", "WITHCODE").Slice()
	if err != nil {
		if low := strings.ToLower(err.Error()); strings.Contains(low, "unknown command") || strings.Contains(low, "unknown subcommand") {
			return nil
		}
		return fmt.Errorf("FUNCTION LIST: %w", err)
	}
	if len(libs) == 0 {
		return nil
	}
	parts := make([]string, len(libs))
	for i, l := range libs {
		parts[i] = fmt.Sprint(l)
	}
	sort.Strings(parts)
	d["-/functions"] = dentry{Type: "functions", Val: strings.Join(parts, "\n"), Exp: -1}
	return nil
}

func digestDB(ctx context.Context, conn *redis.Conn, db int, d digest) error {
	seen := map[string]bool{}
	var keys []string
	var cursor uint64
	for {
		batch, next, err := conn.Scan(ctx, cursor, "*", 1000).Result()
		if err != nil {
			return fmt.Errorf("db %d: scan: %w", db, err)
		}
		for _, k := range batch {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		if cursor = next; cursor == 0 {
			break
		}
	}
	sort.Strings(keys)
	for from := 0; from < len(keys); from += 500 {
		if err := digestKeys(ctx, conn, db, keys[from:min(len(keys), from+500)], d); err != nil {
			return err
		}
	}
	return nil
}

// digestKeys reads a batch of keys in two pipelines: TYPE and PEXPIRETIME,
// then the value in the command of its type.
func digestKeys(ctx context.Context, conn *redis.Conn, db int, keys []string, d digest) error {
	types := make([]*redis.StatusCmd, len(keys))
	exps := make([]*redis.Cmd, len(keys))
	if _, err := conn.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			types[i] = p.Type(ctx, k)
			exps[i] = p.Do(ctx, "PEXPIRETIME", k)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("db %d: type/pexpiretime: %w", db, err)
	}
	vals := make([]*redis.Cmd, len(keys))
	if _, err := conn.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			switch types[i].Val() {
			case "string":
				vals[i] = p.Do(ctx, "GET", k)
			case "list":
				vals[i] = p.Do(ctx, "LRANGE", k, 0, -1)
			case "set":
				vals[i] = p.Do(ctx, "SMEMBERS", k)
			case "zset":
				vals[i] = p.Do(ctx, "ZRANGE", k, 0, -1, "WITHSCORES")
			case "hash":
				vals[i] = p.Do(ctx, "HGETALL", k)
			case "stream":
				vals[i] = p.Do(ctx, "XINFO", "STREAM", k, "FULL", "COUNT", "0")
			default:
				vals[i] = p.Do(ctx, "TYPE", k) // "none": expired or gone meanwhile
			}
		}
		return nil
	}); err != nil && err != redis.Nil {
		return fmt.Errorf("db %d: values: %w", db, err)
	}
	for i, k := range keys {
		typ := types[i].Val()
		if typ == "none" {
			continue // expired between SCAN and TYPE
		}
		exp, err := exps[i].Int64()
		if err != nil {
			return fmt.Errorf("db %d: PEXPIRETIME %q: %w", db, k, err)
		}
		val, err := canonical(typ, vals[i])
		if err != nil {
			return fmt.Errorf("db %d: value of %q (%s): %w", db, k, typ, err)
		}
		if typ == "hash" {
			fe, err := hashFieldExpiry(ctx, conn, k, vals[i])
			if err != nil {
				return fmt.Errorf("db %d: HPEXPIRETIME %q: %w", db, k, err)
			}
			val += fe
		}
		d[strconv.Itoa(db)+"/"+k] = dentry{Type: typ, Val: val, Exp: exp}
	}
	return nil
}

// hashFieldExpiry returns " fieldexp=[…]" with HPEXPIRETIME of every field
// (sorted by name) when at least one field has a deadline, else "" (also
// on a server without hash field expiry).
func hashFieldExpiry(ctx context.Context, conn *redis.Conn, key string, hgetall *redis.Cmd) (string, error) {
	flat, err := hgetall.StringSlice()
	if err != nil {
		return "", err
	}
	var fields []string
	for i := 0; i+1 < len(flat); i += 2 {
		fields = append(fields, flat[i])
	}
	sort.Strings(fields)
	args := []any{"HPEXPIRETIME", key, "FIELDS", len(fields)}
	for _, f := range fields {
		args = append(args, f)
	}
	ints, err := conn.Do(ctx, args...).Int64Slice()
	if err != nil {
		if strings.Contains(strings.ToLower(err.Error()), "unknown command") {
			return "", nil
		}
		return "", err
	}
	for _, v := range ints {
		if v >= 0 {
			return fmt.Sprintf(" fieldexp=%v", ints), nil
		}
	}
	return "", nil
}

// canonical renders a value reply in a form that does not depend on the
// order a server returns unordered collections in.
func canonical(typ string, c *redis.Cmd) (string, error) {
	switch typ {
	case "string":
		return c.Text()
	case "list", "zset":
		s, err := c.StringSlice()
		return quoteList(s), err
	case "set":
		s, err := c.StringSlice()
		sort.Strings(s)
		return quoteList(s), err
	case "hash":
		s, err := c.StringSlice()
		if err != nil {
			return "", err
		}
		pairs := make([]string, 0, len(s)/2)
		for i := 0; i+1 < len(s); i += 2 {
			pairs = append(pairs, strconv.Quote(s[i])+"="+strconv.Quote(s[i+1]))
		}
		sort.Strings(pairs)
		return strings.Join(pairs, ","), nil
	case "stream":
		return streamCanonical(c.Val()), nil
	}
	return "", fmt.Errorf("unknown type %q", typ)
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return "[" + strings.Join(q, ",") + "]"
}

// matches reports whether got agrees with want (an exact entry, or a model
// entry with an expiry window).
func (want dentry) matches(got dentry) bool {
	if want.Type != got.Type || want.Val != got.Val {
		return false
	}
	if want.Exp < 0 || got.Exp < 0 {
		return want.Exp == got.Exp
	}
	if want.ExpHi > want.Exp {
		return got.Exp >= want.Exp-expTolerance && got.Exp <= want.ExpHi+expTolerance
	}
	diff := want.Exp - got.Exp
	return diff >= -expTolerance && diff <= expTolerance
}

func (e dentry) String() string {
	v := e.Val
	if len(v) > 300 {
		v = v[:300] + fmt.Sprintf("…(%d bytes)", len(e.Val))
	}
	exp := "no expiry"
	switch {
	case e.Exp >= 0 && e.ExpHi > e.Exp:
		exp = fmt.Sprintf("expires in [%d, %d]", e.Exp, e.ExpHi)
	case e.Exp >= 0:
		exp = fmt.Sprintf("expires at %d", e.Exp)
	}
	return fmt.Sprintf("%s %s (%s)", e.Type, v, exp)
}

// diffDigests lists the keys where got differs from want (at most limit
// lines, then a count), "" when they agree.
func diffDigests(want, got digest, limit int) string {
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		w, inW := want[k]
		g, inG := got[k]
		switch {
		case !inG:
			lines = append(lines, fmt.Sprintf("%s: missing, want %v", k, w))
		case !inW:
			lines = append(lines, fmt.Sprintf("%s: unexpected %v", k, g))
		case !w.matches(g):
			lines = append(lines, fmt.Sprintf("%s: got %v, want %v", k, g, w))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	n := len(lines)
	if n > limit {
		lines = append(lines[:limit], fmt.Sprintf("… and %d more", n-limit))
	}
	return fmt.Sprintf("%d keys differ:\n  %s", n, strings.Join(lines, "\n  "))
}

// streamCanonical renders XINFO STREAM FULL without what a restart may
// change: the node layout (radix-tree-*) and consumers' seen-time, which
// Redis does not persist either.
func streamCanonical(v any) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, 0, len(x))
		for i := 0; i < len(x); i++ {
			if k, ok := x[i].(string); ok && i+1 < len(x) && (k == "seen-time" || strings.HasPrefix(k, "radix-tree-")) {
				i++
				continue
			}
			parts = append(parts, streamCanonical(x[i]))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[any]any:
		pairs := make([]string, 0, len(x))
		for k, val := range x {
			name := fmt.Sprint(k)
			if name == "seen-time" || strings.HasPrefix(name, "radix-tree-") {
				continue
			}
			pairs = append(pairs, name+"="+streamCanonical(val))
		}
		sort.Strings(pairs)
		return "{" + strings.Join(pairs, " ") + "}"
	}
	return fmt.Sprintf("%q", fmt.Sprint(v))
}
