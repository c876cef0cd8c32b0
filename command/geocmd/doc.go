// Package geocmd is the geo family: GEOADD, GEOPOS, GEODIST, GEOHASH and
// the searches (GEORADIUS, GEORADIUSBYMEMBER and their _RO forms,
// GEOSEARCH, GEOSEARCHSTORE). A geo set is a sorted set whose scores are
// Redis's 52-bit geohashes, so the family defines no value type; the
// arithmetic lives in command/internal/geohash (where the import rules of
// tests/imports_test.go let a family reach it). It imports the command
// core and the keyspace only.
package geocmd
