package tests

// Building the larder binary, once per test process.

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
)

var larderBuild struct {
	once sync.Once
	dir  string // temp dir holding the binary, removed by TestMain
	path string
	err  error
}

// larderBinary returns the path of the larder binary, building ./cmd/larder
// the first time it is asked for.
func larderBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("LARDER_BIN"); p != "" {
		return p
	}
	larderBuild.once.Do(buildLarder)
	if larderBuild.err != nil {
		t.Fatalf("build larder: %v", larderBuild.err)
	}
	return larderBuild.path
}

func buildLarder() {
	// The go command finds the module root the way it finds everything else.
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if err == nil && root != "." {
		larderBuild.dir, err = os.MkdirTemp("", "larder-bin-")
	} else if err == nil {
		err = errors.New("go env GOMOD: not inside a module")
	}
	if err != nil {
		larderBuild.err = err
		return
	}
	path := filepath.Join(larderBuild.dir, "larder")
	args := []string{"build", "-o", path}
	if raceEnabled() {
		args = append(args, "-race") // races in the server then fail the suite
	}
	cmd := exec.Command("go", append(args, "./cmd/larder")...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		larderBuild.err = fmt.Errorf("go %s (in %s): %v\n%s", strings.Join(cmd.Args[1:], " "), root, err, out)
		return
	}
	larderBuild.path = path
}

// raceEnabled reports whether this test binary was built with -race.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	return ok && slices.Contains(info.Settings, debug.BuildSetting{Key: "-race", Value: "true"})
}
