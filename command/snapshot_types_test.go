package command_test

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
)

// farFuture is an absolute expiry (2100-01-01) that no test run reaches.
const farFuture = "4102444800000"

// snapshotByKey takes a snapshot of d and returns its records grouped by
// "db key", each key's records in the order written; a SADD's members are
// sorted (their order is the hash table's).
func snapshotByKey(t *testing.T, d *command.Dispatcher, j *commandtest.Journal) map[string][]string {
	t.Helper()
	if err := d.Snapshot(); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range j.Snap {
		_ = command.EachEntry(r, func(db int, argv [][]byte) error { // snapshot records are well formed
			if string(argv[0]) == "SADD" {
				sort.Slice(argv[2:], func(a, b int) bool { return string(argv[2+a]) < string(argv[2+b]) })
			}
			words := make([]string, len(argv))
			for i, a := range argv {
				words[i] = string(a)
			}
			k := fmt.Sprintf("%d %s", db, argv[1])
			out[k] = append(out[k], strings.Join(words, " "))
			return nil
		})
	}
	return out
}

// items returns the words of n elements: each element i is the words
// item(i), in order.
func items(n int, item func(i int) []string) []string {
	var out []string
	for i := range n {
		out = append(out, item(i)...)
	}
	return out
}

// batches is the records "cmd key words…" of n elements of per words each,
// at most 512 elements a record.
func batches(cmd, key string, words []string, per int) []string {
	var out []string
	for i := 0; i < len(words); i += 512 * per {
		rec := append([]string{cmd, key}, words[i:min(i+512*per, len(words))]...)
		out = append(out, strings.Join(rec, " "))
	}
	return out
}

// TestSnapshot_RecordsPerType pins the records a snapshot writes for each
// value type (the replay format): strings as SET … PXAT, collections as
// batched RPUSH/SADD/ZADD/HSET, field TTLs as HPEXPIREAT, key TTLs as
// PEXPIREAT after the value.
func TestSnapshot_RecordsPerType(t *testing.T) {
	d, j, s := journaled()
	list := items(1100, func(i int) []string { return []string{"i" + strconv.Itoa(i)} })
	zset := items(600, func(i int) []string { return []string{strconv.Itoa(i), "m" + strconv.Itoa(i)} })
	hash := items(600, func(i int) []string { return []string{"f" + strconv.Itoa(i), "v"} })
	script := [][]string{
		{"CONFIG", "SET", "hash-max-listpack-entries", "1000"}, // a listpack keeps hb's order
		{"SET", "s1", "hello"}, {"SET", "s2", "12", "PXAT", farFuture},
		append([]string{"RPUSH", "l"}, list...), {"PEXPIREAT", "l", farFuture},
		append([]string{"ZADD", "zb"}, zset...), append([]string{"HSET", "hb"}, hash...),
		{"SADD", "st", "b", "a", "c"},
		{"ZADD", "z", "1.5", "a", "-inf", "b", "3", "c", "0.1", "d"},
		{"HSET", "h", "f1", "v1", "f2", "v2"}, {"HPEXPIREAT", "h", farFuture, "FIELDS", "1", "f2"},
		{"EXPIREAT", "h", "4102444800"},
		{"SELECT", "1"}, {"SET", "other", "x"}, {"SELECT", "0"},
	}
	for _, argv := range script {
		if r := commandtest.Do(d, s, argv...); strings.HasPrefix(r, "-") {
			t.Fatalf("%v: %s", argv, r)
		}
	}
	want := map[string][]string{
		"0 s1":    {"SET s1 hello"},
		"0 s2":    {"SET s2 12 PXAT " + farFuture},
		"0 l":     append(batches("RPUSH", "l", list, 1), "PEXPIREAT l "+farFuture),
		"0 zb":    batches("ZADD", "zb", zset, 2),
		"0 hb":    batches("HSET", "hb", hash, 2),
		"0 st":    {"SADD st a b c"},
		"0 z":     {"ZADD z -inf b 0.10000000000000001 d 1.5 a 3 c"},
		"0 h":     {"HSET h f1 v1 f2 v2", "HPEXPIREAT h " + farFuture + " FIELDS 1 f2", "PEXPIREAT h " + farFuture},
		"1 other": {"SET other x"},
	}
	got := snapshotByKey(t, d, j)
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected key %q: %.200q", k, got[k])
		}
	}
	for k, w := range want {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("%s:\n got %.300q\nwant %.300q", k, got[k], w)
		}
	}
}
