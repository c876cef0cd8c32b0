// Package cmdmeta holds the shape of Redis's command metadata as Larder
// embeds it (see ../cmdmetagen): a plain data format shared by the
// generator and the COMMAND implementation. It imports nothing of Larder.
package cmdmeta

// File is the whole embedded metadata.
type File struct {
	RedisVersion string           `json:"redis_version"`
	Info         map[string]Info  `json:"info"` // by full name: "get", "config|get"
	Docs         map[string]Value `json:"docs"` // by top-level name, COMMAND DOCS's value
}

// Info is one COMMAND INFO entry as Redis reports it.
type Info struct {
	Arity    int64    `json:"arity"`
	Flags    []string `json:"flags"`
	First    int64    `json:"first"`
	Last     int64    `json:"last"`
	Step     int64    `json:"step"`
	ACL      []string `json:"acl"`
	Tips     Value    `json:"tips"`
	KeySpecs Value    `json:"key_specs"`
}

// Value is a RESP3 reply tree: T is the RESP3 type byte ("+", "$", ":",
// "*", "~", "%", "_"), S the string, I the integer, E the elements (map
// keys and values alternating).
type Value struct {
	T string  `json:"t"`
	S string  `json:"s,omitempty"`
	I int64   `json:"i,omitempty"`
	E []Value `json:"e,omitempty"`
}
