package tests

import (
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// dockerBuild is the Dockerfile's build command: from CGO_ENABLED=0 to the
// package it builds.
var dockerBuild = regexp.MustCompile(`CGO_ENABLED=0 go build [^\n]*?-o /out/larder \./cmd/larder`)

// TestDockerfile_StaticBinary runs the Dockerfile's own go build command
// (read from the Dockerfile, with its VERSION argument and output path
// filled in) outside Docker, which this machine and CI lack, and checks
// what the scratch image needs: a statically linked binary (no ELF
// interpreter, no shared libraries) that runs and reports the version it
// was stamped with.
func TestDockerfile_StaticBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary without the race detector (-short)")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dockerfile, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	build := dockerBuild.FindString(string(dockerfile))
	if build == "" {
		t.Fatalf("no %q line in the Dockerfile: update this test with it", dockerBuild)
	}
	bin := filepath.Join(t.TempDir(), "larder")
	build = strings.ReplaceAll(build, "${VERSION}", "dockerfile-test")
	build = strings.Replace(build, "-o /out/larder", "-o '"+bin+"'", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", build)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", build, err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }() // read only
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary has an ELF interpreter: it is dynamically linked and cannot run FROM scratch")
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("shared libraries %v (%v): the binary is not static", libs, err)
	}
	out, err := exec.CommandContext(ctx, bin, "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "larder dockerfile-test ") {
		t.Errorf("larder --version = %q, %v; want the version the build stamped", out, err)
	}
}
