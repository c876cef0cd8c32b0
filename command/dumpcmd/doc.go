// Package dumpcmd is the DUMP and RESTORE family: values serialized as
// Redis 7.0 serializes them (the RDB value encoding of
// command/internal/rdb, the version and the CRC64 footer), so payloads
// move between Larder and Redis in both directions. It encodes the
// built-in kinds itself; a family's own kind (streams) through its type
// row's DumpRDB and LoadRDB hooks.
package dumpcmd
