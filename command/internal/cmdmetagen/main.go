// Command cmdmetagen regenerates command/servercmd/cmdmeta.json.gz: the parts of
// Redis's command metadata that Larder's table does not carry (COMMAND
// INFO's tips and key specifications, COMMAND DOCS), taken from a real
// redis-server so COMMAND answers as Redis does.
//
//	go generate ./command/servercmd    (runs: go run ../internal/cmdmetagen -out cmdmeta.json.gz)
//
// It starts redis-server (from $PATH, or -redis) on a free loopback port,
// asks it in RESP3, and stops it.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/larder-db/larder/command/internal/cmdmeta"
	"github.com/larder-db/larder/protocol/resp"
)

func main() {
	out := flag.String("out", "cmdmeta.json.gz", "output file")
	bin := flag.String("redis", "redis-server", "redis-server binary")
	flag.Parse()
	if err := run(*bin, *out); err != nil {
		fmt.Fprintln(os.Stderr, "cmdmetagen:", err)
		os.Exit(1)
	}
}

func run(bin, out string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	dir, err := os.MkdirTemp("", "cmdmetagen-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	srv := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", dir)
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	conn, err := dialRetry(fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	br := bufio.NewReader(conn)
	ask := func(argv ...string) (resp.Value, error) {
		args := make([][]byte, len(argv))
		for i, a := range argv {
			args[i] = []byte(a)
		}
		if _, err := conn.Write(resp.AppendCommand(nil, args)); err != nil {
			return resp.Value{}, err
		}
		_, v, err := resp.ReadReply(br)
		if err == nil && v.Type == resp.TypeError {
			err = fmt.Errorf("%v: %s", argv, v.Str)
		}
		return v, err
	}
	hello, err := ask("HELLO", "3")
	if err != nil {
		return err
	}
	info, err := ask("COMMAND", "INFO")
	if err != nil {
		return err
	}
	docs, err := ask("COMMAND", "DOCS")
	if err != nil {
		return err
	}
	m := cmdmeta.File{Info: map[string]cmdmeta.Info{}, Docs: map[string]cmdmeta.Value{}}
	for i := 0; i+1 < len(hello.Elems); i += 2 {
		if hello.Elems[i].Str == "version" {
			m.RedisVersion = hello.Elems[i+1].Str
		}
	}
	for _, c := range info.Elems {
		addInfo(m.Info, c)
	}
	for i := 0; i+1 < len(docs.Elems); i += 2 {
		m.Docs[strings.ToLower(docs.Elems[i].Str)] = convert(docs.Elems[i+1])
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	if err := enc.Encode(m); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "cmdmetagen: redis %s, %d commands (with subcommands), %d docs → %s (%d bytes)\n",
		m.RedisVersion, len(m.Info), len(m.Docs), out, buf.Len())
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// addInfo records one COMMAND INFO entry (10 fields) and its subcommands.
func addInfo(into map[string]cmdmeta.Info, c resp.Value) {
	if c.Type != resp.TypeArray || len(c.Elems) < 10 {
		return
	}
	e := c.Elems
	into[strings.ToLower(e[0].Str)] = cmdmeta.Info{
		Arity: e[1].Int, Flags: strs(e[2]), First: e[3].Int, Last: e[4].Int, Step: e[5].Int,
		ACL: strs(e[6]), Tips: convert(e[7]), KeySpecs: convert(e[8]),
	}
	for _, sub := range e[9].Elems {
		addInfo(into, sub)
	}
}

func strs(v resp.Value) []string {
	out := []string{}
	for _, e := range v.Elems {
		out = append(out, e.Str)
	}
	return out
}

func convert(v resp.Value) cmdmeta.Value {
	out := cmdmeta.Value{T: string(v.Type), S: v.Str, I: v.Int}
	for _, e := range v.Elems {
		out.E = append(out.E, convert(e))
	}
	return out
}

func dialRetry(addr string) (net.Conn, error) {
	var last error
	for i := 0; i < 100; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			return c, nil
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	return nil, last
}
