package servercmd

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"io"
	"sync"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/command/internal/cmdmeta"
)

//go:generate go run ../internal/cmdmetagen -out cmdmeta.json.gz

// cmdmetaGz is Redis 7.0's command metadata (tips, key specs, docs),
// generated from a real redis-server by internal/cmdmetagen. COMMAND uses
// it only for rows Larder's table has; the table stays the authority for
// names, arity, flags, key positions and ACL categories.
//
//go:embed cmdmeta.json.gz
var cmdmetaGz []byte

var (
	metaOnce sync.Once
	meta     cmdmeta.File
)

// redisMeta returns the decoded metadata. The file is part of the build, so
// failing to decode it is a programming error.
func redisMeta() *cmdmeta.File {
	metaOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(cmdmetaGz))
		if err != nil {
			panic("cmdmeta: " + err.Error())
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			panic("cmdmeta: " + err.Error())
		}
		if err := json.Unmarshal(raw, &meta); err != nil {
			panic("cmdmeta: " + err.Error())
		}
	})
	return &meta
}

// writeMeta replays a metadata tree as a reply. keep, when not nil, filters
// the entries of a map named "subcommands" (DOCS of a container lists only
// the subcommands Larder has).
func writeMeta(r command.Reply, v cmdmeta.Value, keep func(name string) bool) {
	switch v.T {
	case "+":
		r.Simple(v.S)
	case "$":
		r.BulkString(v.S)
	case ":":
		r.Int(v.I)
	case "_":
		r.Null()
	case "~":
		r.Set(len(v.E))
		for _, e := range v.E {
			writeMeta(r, e, keep)
		}
	case "%":
		writeMetaMap(r, v, keep)
	default: // "*" and anything unexpected
		r.Array(len(v.E))
		for _, e := range v.E {
			writeMeta(r, e, keep)
		}
	}
}

func writeMetaMap(r command.Reply, v cmdmeta.Value, keep func(string) bool) {
	r.Map(len(v.E) / 2)
	for i := 0; i+1 < len(v.E); i += 2 {
		writeMeta(r, v.E[i], keep)
		val := v.E[i+1]
		if v.E[i].S == "subcommands" && keep != nil && val.T == "%" {
			val = filterMap(val, keep)
		}
		writeMeta(r, val, keep)
	}
}

func filterMap(v cmdmeta.Value, keep func(string) bool) cmdmeta.Value {
	out := cmdmeta.Value{T: v.T}
	for i := 0; i+1 < len(v.E); i += 2 {
		if keep(v.E[i].S) {
			out.E = append(out.E, v.E[i], v.E[i+1])
		}
	}
	return out
}
