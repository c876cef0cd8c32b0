package command_test

import (
	"testing"

	"github.com/larder-db/larder/command"
)

// TestConfig_IntFollowsEverySet: Int answers from a parsed snapshot, which
// must follow Init, CONFIG SET (memory units included) and added params.
func TestConfig_IntFollowsEverySet(t *testing.T) {
	c := command.NewConfig()
	if got := c.Int("hash-max-listpack-entries"); got != 512 {
		t.Fatalf("default: %d", got)
	}
	if err := c.Init("maxmemory", "2mb"); err != nil {
		t.Fatal(err)
	}
	if got := c.Int("maxmemory"); got != 2<<20 {
		t.Fatalf("after Init: %d", got)
	}
	if err := c.Set([][]byte{[]byte("hash-max-listpack-entries"), []byte("7"), []byte("maxmemory"), []byte("1k")}); err != nil {
		t.Fatal(err)
	}
	if a, b := c.Int("hash-max-listpack-entries"), c.Int("maxmemory"); a != 7 || b != 1000 {
		t.Fatalf("after Set: %d %d", a, b)
	}
	if err := c.Set([][]byte{[]byte("hash-max-listpack-entries"), []byte("x")}); err == nil {
		t.Fatal("a bad value was accepted")
	}
	if got := c.Int("hash-max-listpack-entries"); got != 7 {
		t.Fatalf("after a refused Set: %d", got)
	}
	c.AddParams([]*command.Param{{Name: "larder-test-param", Kind: command.KindInt, Default: "42"}})
	if got := c.Int("larder-test-param"); got != 42 {
		t.Fatalf("added param: %d", got)
	}
}
