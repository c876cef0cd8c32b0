package tests

import (
	_ "github.com/cespare/xxhash/v2"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/rs/zerolog"
	_ "github.com/tidwall/redcon"
)
