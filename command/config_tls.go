package command

// TLSParams names the parameters whose CONFIG SET rebuilds the TLS
// configuration (cmd/larder registers the reload with Config.OnApply).
var TLSParams = []string{"tls-cert-file", "tls-key-file", "tls-ca-cert-file", "tls-ca-cert-dir",
	"tls-auth-clients", "tls-protocols", "tls-ciphers", "tls-ciphersuites", "tls-session-caching"}

// redisTLS returns Redis 7.0's tls-* parameters and Larder's rest-tls.
// Those of the server side
// are Larder's own (flags too): RESP on tls-port and HTTPS on the REST
// listener with rest-tls. Those of outgoing connections (replication,
// cluster), DH parameters, encrypted keys and the session cache's size are
// stored only.
func redisTLS() []*Param {
	return []*Param{
		{Name: "tls-port", Kind: KindInt, Default: "0", Min: 0, Max: 65535, Startup: true,
			Usage: "TCP port for RESP over TLS (0 = off); port 0 turns plain RESP off"},
		{Name: "tls-cert-file", Usage: "server certificate (PEM) for tls-port and rest-tls"},
		{Name: "tls-key-file", Usage: "private key (PEM) of tls-cert-file"},
		{Name: "tls-ca-cert-file", Usage: "CA certificates (PEM) that verify client certificates"},
		{Name: "tls-ca-cert-dir", Usage: "directory of CA certificates (PEM) that verify client certificates"},
		{Name: "tls-auth-clients", Kind: KindEnum, Default: "yes", Enum: []string{"no", "yes", "optional"},
			Usage: "RESP over TLS: client certificates required (yes), verified when given (optional) or not asked for (no)"},
		{Name: "tls-protocols", Usage: "TLS versions, e.g. \"TLSv1.2 TLSv1.3\" (empty: those two)"},
		{Name: "tls-ciphers", Usage: "TLS ≤1.2 cipher suites, OpenSSL or IANA names separated by ':' (empty: Go's defaults)"},
		{Name: "tls-ciphersuites", Usage: "TLS 1.3 suites: checked only, crypto/tls chooses them itself"},
		{Name: "tls-session-caching", Kind: KindBool, Default: "yes",
			Usage: "resume TLS sessions with session tickets"},
		integer("tls-session-cache-size", "20480", 0, intMax),
		integer("tls-session-cache-timeout", "300", 0, intMax),
		yesno("tls-cluster", "no"), yesno("tls-replication", "no"),
		yesno("tls-prefer-server-ciphers", "no"),
		text("tls-key-file-pass", ""),
		text("tls-client-cert-file", ""), text("tls-client-key-file", ""),
		text("tls-client-key-file-pass", ""),
		text("tls-dh-params-file", ""),
		{Name: "rest-tls", Kind: KindBool, Default: "no", Startup: true,
			Usage: "serve the REST API over HTTPS with tls-cert-file and tls-key-file (no client certificates)"},
	}
}
