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

// opensslWords are OpenSSL's cipher-list keywords and aliases (HIGH,
// aRSA, ECDHE+AESGCM's parts …) and the words its cipher names are made of
// (DHE-RSA-AES256-GCM-SHA384): a tls-ciphers token made of them selects
// something in OpenSSL, even when crypto/tls cannot apply it.
var opensslWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`ALL COMPLEMENTOFALL COMPLEMENTOFDEFAULT DEFAULT HIGH MEDIUM LOW
		kRSA aRSA RSA kDHr kDHd kDH kDHE kEDH DH DHE EDH ADH kEECDH kECDHE ECDH ECDHE EECDH AECDH
		aDSS DSS aDH aECDSA ECDSA aNULL eNULL NULL kPSK kECDHEPSK kDHEPSK kRSAPSK aPSK PSK
		SRP kSRP aSRP AES AES128 AES256 AESGCM AESCCM AESCCM8 ARIA ARIA128 ARIA256 ARIAGCM
		CAMELLIA CAMELLIA128 CAMELLIA256 CHACHA20 POLY1305 3DES DES CBC3 RC4 RC2 IDEA SEED
		MD5 SHA1 SHA SHA256 SHA384 GCM CCM CCM8 CBC SUITEB128 SUITEB128ONLY SUITEB192
		TLSv1.2 TLSv1.0 TLSv1 SSLv3 EXP EXPORT`) {
		m[w] = true
	}
	return m
}()

// selectsInOpenSSL reports whether OpenSSL would select ciphers for a
// token: not a modifier (!x, -x, +x, @STRENGTH), and made of its words
// (joined by '+' in a combination, '-' in a cipher's name).
func selectsInOpenSSL(tok string) bool {
	if tok == "" || strings.ContainsAny(tok[:1], "!-+@") {
		return false
	}
	for _, part := range strings.FieldsFunc(tok, func(r rune) bool { return r == '+' || r == '-' }) {
		if !opensslWords[part] && !opensslWords[strings.ToUpper(part)] {
			return false
		}
	}
	return true
}

// parseCiphers reads tls-ciphers, an OpenSSL cipher list (names separated
// by ':', ',' or spaces). Names of suites crypto/tls has are applied in
// order; OpenSSL's selection language (HIGH, !aNULL, @STRENGTH …) and
// suites Go lacks cannot be, and are reported as warnings, and a list that
// names no suite Go has leaves Go's defaults (nil). As OpenSSL, a list
// that selects nothing at all (only modifiers, or unknown names) is an
// error.
func parseCiphers(v string) ([]uint16, []string, error) {
	tokens := strings.FieldsFunc(v, func(r rune) bool { return r == ':' || r == ',' || r == ' ' })
	if len(tokens) == 0 {
		return nil, nil, nil
	}
	ids := suiteIDs()
	var out []uint16
	var skipped []string
	selects := false
	for _, tok := range tokens {
		name := tok
		if iana, ok := openSSLNames[strings.ToUpper(tok)]; ok {
			name = iana
		}
		if id, ok := ids[strings.ToUpper(name)]; ok {
			out, selects = append(out, id), true
			continue
		}
		skipped = append(skipped, tok)
		selects = selects || selectsInOpenSSL(tok)
	}
	if !selects {
		return nil, nil, fmt.Errorf("tls-ciphers %q selects no cipher suite", v)
	}
	var warn []string
	if len(skipped) > 0 {
		warn = append(warn, fmt.Sprintf("tls-ciphers: crypto/tls cannot apply %s (cipher suites it lacks, or OpenSSL selection keywords)",
			strings.Join(skipped, ":")))
	}
	if len(out) == 0 {
		warn = append(warn, "tls-ciphers names no cipher suite crypto/tls has: its defaults are used")
	}
	return out, warn, nil
}

// checkSuites13 reads tls-ciphersuites. crypto/tls does not let a server
// choose its TLS 1.3 suites (all three are always on, ordered by the
// hardware), so the list is only checked: as OpenSSL, it must name at
// least one TLS 1.3 suite (unknown names are skipped).
func checkSuites13(v string) ([]string, error) {
	known := map[string]bool{"TLS_AES_128_CCM_SHA256": true, "TLS_AES_128_CCM_8_SHA256": true} // OpenSSL's, not Go's
	for _, s := range tls.CipherSuites() {
		for _, ver := range s.SupportedVersions {
			if ver == tls.VersionTLS13 {
				known[s.Name] = true
			}
		}
	}
	tokens := strings.Split(v, ":")
	var unknown []string
	for _, tok := range tokens {
		if !known[tok] {
			unknown = append(unknown, tok)
		}
	}
	if v == "" {
		return nil, nil
	}
	if len(unknown) == len(tokens) {
		return nil, fmt.Errorf("tls-ciphersuites %q names no TLS 1.3 cipher suite", v)
	}
	warn := []string{"tls-ciphersuites: crypto/tls always offers its TLS 1.3 suites (TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256) and chooses among them itself"}
	if len(unknown) > 0 {
		warn = append(warn, "tls-ciphersuites: unknown TLS 1.3 suites "+strings.Join(unknown, ":"))
	}
	return warn, nil
}
