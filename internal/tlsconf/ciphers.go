package tlsconf

import (
	"crypto/tls"
	"fmt"
	"strings"
)

// openSSLNames maps OpenSSL's names of the TLS ≤1.2 suites crypto/tls
// implements to their IANA names (tls-ciphers takes OpenSSL's spelling;
// IANA names are accepted as well).
var openSSLNames = map[string]string{
	"ECDHE-ECDSA-AES128-GCM-SHA256": "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	"ECDHE-RSA-AES128-GCM-SHA256":   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	"ECDHE-ECDSA-AES256-GCM-SHA384": "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
	"ECDHE-RSA-AES256-GCM-SHA384":   "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	"ECDHE-ECDSA-CHACHA20-POLY1305": "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
	"ECDHE-RSA-CHACHA20-POLY1305":   "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
	"ECDHE-ECDSA-AES128-SHA":        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
	"ECDHE-RSA-AES128-SHA":          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
	"ECDHE-ECDSA-AES256-SHA":        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
	"ECDHE-RSA-AES256-SHA":          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
	"ECDHE-ECDSA-AES128-SHA256":     "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
	"ECDHE-RSA-AES128-SHA256":       "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
	"AES128-GCM-SHA256":             "TLS_RSA_WITH_AES_128_GCM_SHA256",
	"AES256-GCM-SHA384":             "TLS_RSA_WITH_AES_256_GCM_SHA384",
	"AES128-SHA":                    "TLS_RSA_WITH_AES_128_CBC_SHA",
	"AES256-SHA":                    "TLS_RSA_WITH_AES_256_CBC_SHA",
	"AES128-SHA256":                 "TLS_RSA_WITH_AES_128_CBC_SHA256",
	"DES-CBC3-SHA":                  "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
	"ECDHE-RSA-DES-CBC3-SHA":        "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
	"RC4-SHA":                       "TLS_RSA_WITH_RC4_128_SHA",
	"ECDHE-RSA-RC4-SHA":             "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
	"ECDHE-ECDSA-RC4-SHA":           "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
}

// suiteIDs returns crypto/tls's TLS ≤1.2 suites by IANA name, the insecure
// ones included (tls-ciphers may ask for them, as OpenSSL allows).
func suiteIDs() map[string]uint16 {
	ids := map[string]uint16{}
	for _, list := range [][]*tls.CipherSuite{tls.CipherSuites(), tls.InsecureCipherSuites()} {
		for _, s := range list {
			for _, v := range s.SupportedVersions {
				if v != tls.VersionTLS13 {
					ids[s.Name] = s.ID
				}
			}
		}
	}
	return ids
}

// parseCiphers reads tls-ciphers, an OpenSSL cipher list (names separated
// by ':', ',' or spaces). Names of suites crypto/tls has are applied in
// order; OpenSSL's selection language (HIGH, !aNULL, @STRENGTH …) and
// suites Go lacks cannot be, and are reported as warnings. A list that
// names no suite Go has leaves Go's defaults (nil).
func parseCiphers(v string) ([]uint16, []string) {
	tokens := strings.FieldsFunc(v, func(r rune) bool { return r == ':' || r == ',' || r == ' ' })
	if len(tokens) == 0 {
		return nil, nil
	}
	ids := suiteIDs()
	var out []uint16
	var skipped []string
	for _, tok := range tokens {
		name := tok
		if iana, ok := openSSLNames[strings.ToUpper(tok)]; ok {
			name = iana
		}
		if id, ok := ids[strings.ToUpper(name)]; ok {
			out = append(out, id)
		} else {
			skipped = append(skipped, tok)
		}
	}
	var warn []string
	if len(skipped) > 0 {
		warn = append(warn, fmt.Sprintf("tls-ciphers: crypto/tls cannot apply %s (cipher suites it lacks, or OpenSSL selection keywords)",
			strings.Join(skipped, ":")))
	}
	if len(out) == 0 {
		warn = append(warn, "tls-ciphers names no cipher suite crypto/tls has: its defaults are used")
	}
	return out, warn
}

// checkSuites13 reads tls-ciphersuites. crypto/tls does not let a server
// choose its TLS 1.3 suites (all three are always on, ordered by the
// hardware), so the list is only checked against them.
func checkSuites13(v string) []string {
	known := map[string]bool{}
	for _, s := range tls.CipherSuites() {
		for _, ver := range s.SupportedVersions {
			if ver == tls.VersionTLS13 {
				known[s.Name] = true
			}
		}
	}
	var unknown []string
	for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ':' || r == ' ' }) {
		if !known[strings.ToUpper(tok)] {
			unknown = append(unknown, tok)
		}
	}
	var warn []string
	if v != "" {
		warn = append(warn, "tls-ciphersuites: crypto/tls always offers its TLS 1.3 suites (TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256) and chooses among them itself")
	}
	if len(unknown) > 0 {
		warn = append(warn, "tls-ciphersuites: unknown TLS 1.3 suites "+strings.Join(unknown, ":"))
	}
	return warn
}
