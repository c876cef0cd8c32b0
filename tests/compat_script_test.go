package tests

import (
	"testing"
)

// Scripts in these tests avoid what Larder documents as different: the
// text of most Lua compile and run-time errors (gopher-lua's), the order of
// keys in cjson objects, and non-integral numbers concatenated to strings.

func TestCompat_ScriptEval(t *testing.T) {
	runCompat(t, [][]string{
		c("SCRIPT", "FLUSH"),
		c("EVAL", "return 1", "0"), c("EVAL", "return 'x'", "0"), c("EVAL", "return 3.99", "0"),
		c("EVAL", "return -3.99", "0"), c("EVAL", "return {1,2,3.7,'a',false,true,{ok='fine'}}", "0"),
		c("EVAL", "return {1,2,nil,4}", "0"), c("EVAL", "return nil", "0"), c("EVAL", "return true", "0"),
		c("EVAL", "return false", "0"), c("EVAL", "return {err='My Error'}", "0"), c("EVAL", "return {err='a\\nb'}", "0"),
		c("EVAL", "return {ok='fine'}", "0"), c("EVAL", "return redis.status_reply('PONG')", "0"),
		c("EVAL", "return redis.error_reply('foo')", "0"), c("EVAL", "return redis.error_reply('My Err')", "0"),
		c("EVAL", "return redis.error_reply('-X y')", "0"), c("EVAL", "return {err=1}", "0"),
		c("EVAL", "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}", "2", "k1", "k2", "a1", "a2"),
		c("EVAL", "return #KEYS .. #ARGV", "0", "x", "y"),
		c("EVAL", "return 'x'", "-1"), c("EVAL", "return 'x'", "2", "a"), c("EVAL", "return 'x'", "abc"),
		c("EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v"),
		c("EVAL", "return redis.call('get', KEYS[1])", "1", "k"),
		c("EVAL", "return redis.call('incr', 'n')", "0"), c("EVAL", "return redis.call('incrbyfloat', 'f', 1.5)", "0"),
		c("EVAL", "return redis.call('set', 'num', 11.0)", "0"), c("EVAL", "return redis.call('get', 'num')", "0"),
		c("EVAL", "return redis.call('set', 'num', 6.5)", "0"), c("EVAL", "return redis.call('get', 'num')", "0"),
		c("EVAL", "return redis.call('set', 'num', 0.1)", "0"), c("EVAL", "return redis.call('get', 'num')", "0"),
		c("EVAL", "return redis.call('set', 'num', 1e20)", "0"), c("EVAL", "return redis.call('get', 'num')", "0"),
		c("EVAL", "return redis.call('expire', 'k', 6.5)", "0"),
		c("EVAL", "return redis.call('get', 'nokey')", "0"), c("EVAL", "return type(redis.call('get', 'nokey'))", "0"),
		c("EVAL", "return redis.call('hset','h','a','1','b','2')", "0"), c("EVAL", "return redis.call('hgetall','h')", "0"),
		c("EVAL", "return redis.call('get','h')", "0"), c("EVAL", "return redis.pcall('get','h')", "0"),
		c("EVAL", "local ok, e = pcall(redis.call, 'get', 'h') return {tostring(ok), e}", "0"),
		c("EVAL", "return {pcall(function() redis.call('nosuch') end)}", "0"),
		c("EVAL", "return redis.call('nosuch')", "0"), c("EVAL", "return redis.pcall('nosuch')", "0"),
		c("EVAL", "return redis.call('get')", "0"), c("EVAL", "return redis.call('set','a')", "0"),
		c("EVAL", "return redis.call()", "0"), c("EVAL", "return redis.pcall()", "0"),
		c("EVAL", "return redis.call('ping', {})", "0"), c("EVAL", "return redis.call('multi')", "0"),
		c("EVAL", "return redis.call('eval', 'return 1', '0')", "0"),
		c("EVAL", "return redis.call('config', 'nosuchsub')", "0"),
		c("EVAL", "return redis.call('ping')", "0"), c("EVAL", "return redis.call('ping', 'hi')", "0"),
		c("EVAL", "return redis.call('zadd', 'z', 1.5, 'a')", "0"), c("EVAL", "return redis.call('zscore', 'z', 'a')", "0"),
		c("EVAL", "return redis.call('zrange', 'z', 0, -1, 'withscores')", "0"),
		c("EVAL", "return redis.call('sadd', 's', 'a')", "0"), c("EVAL", "return redis.call('smembers', 's')", "0"),
		c("EVAL", "return redis.call('blpop', 'nolist', 0)", "0"),
		c("EVAL", "redis.call('set', 'x', '1'); redis.call('del', 'x'); return redis.call('exists', 'x')", "0"),
		c("EVAL", "return redis.call('select', 1)", "0"),
		c("EVAL", "redis.call('select', 1); redis.call('set', 'in1', 'v'); return redis.call('dbsize')", "0"),
		c("GET", "in1"), c("SELECT", "1"), c("GET", "in1"), c("SELECT", "0"),
	})
}

func TestCompat_ScriptErrors(t *testing.T) {
	runCompat(t, [][]string{
		c("EVAL", "error('boom')", "0"), c("EVAL", "error({err='X y'})", "0"), c("EVAL", "error(nil)", "0"),
		c("EVAL", "error('a\\nb')", "0"), c("EVAL", "\n\nerror('third line')", "0"),
		c("EVAL", "local function f() error('in f') end\nf()", "0"),
		c("EVAL", "redis.call('nosuch')", "0"), c("EVAL", "\nredis.call('get', 'a', 'b')", "0"),
		c("EVAL", "return redis.sha1hex()", "0"), c("EVAL", "return redis.sha1hex('')", "0"),
		c("EVAL", "return redis.setresp(4)", "0"), c("EVAL", "return redis.setresp()", "0"),
		c("EVAL", "return redis.log(redis.LOG_WARNING, 'from a test')", "0"),
		c("EVAL", "return redis.log(9, 'x')", "0"), c("EVAL", "return redis.log(1)", "0"),
		c("EVAL", "return redis.log('x', 'y')", "0"),
		c("EVAL", "return redis.set_repl(redis.REPL_ALL)", "0"), c("EVAL", "return redis.set_repl(99)", "0"),
		c("EVAL", "return redis.set_repl()", "0"), c("EVAL", "return redis.replicate_commands()", "0"),
		c("EVAL", "return redis.REDIS_VERSION", "0"), c("EVAL", "return redis.REDIS_VERSION_NUM", "0"),
		c("EVAL", "return redis.error_reply(1)", "0"), c("EVAL", "return redis.status_reply()", "0"),
		c("EVAL", "return redis.call('set', 'x', 'y', 'z')", "0"),
		c("SET", "str", "v"), c("EVAL", "return redis.call('lpush', 'str', 'v')", "0"),
		c("EVAL", "return redis.pcall('lpush', 'str', 'v')", "0"),
		c("EVALSHA", "abc", "0"), c("EVALSHA", "0123456789012345678901234567890123456789", "0"),
		c("EVALSHA", "0123456789012345678901234567890123456789", "x"),
		c("EVAL"), c("EVAL", "return 1"), c("EVALSHA", "x"),
		// Compile errors Larder words as Lua does (errors at the end of the
		// text, unexpected symbols); others differ (README).
		c("EVAL", "x=", "0"), c("EVAL", "return (", "0"), c("EVAL", "x = = 1", "0"), c("EVAL", "@", "0"),
		c("EVAL", "\nreturn 1 +", "0"), c("EVAL", "#!lua\nreturn (", "0"), c("EVAL", "return 'abc", "0"),
		c("SCRIPT", "LOAD", "x="), c("FUNCTION", "LOAD", "#!lua name=bad\nx="),
	})
}

func TestCompat_ScriptSandbox(t *testing.T) {
	runCompat(t, [][]string{
		c("EVAL", "x = 1", "0"), c("EVAL", "return y", "0"), c("EVAL", "rawset(_G, 'x', 1)", "0"),
		c("EVAL", "setmetatable(_G, {})", "0"), c("EVAL", "local t = string; t.x = 1", "0"),
		c("EVAL", "string.upper = nil", "0"), c("EVAL", "redis.call = nil", "0"), c("EVAL", "_G.redis = 1", "0"),
		c("EVAL", "KEYS = 1", "0"), c("EVAL", "cjson.encode = nil", "0"),
		c("EVAL", "return os", "0"), c("EVAL", "return io", "0"), c("EVAL", "return require", "0"),
		c("EVAL", "return package", "0"), c("EVAL", "return debug", "0"), c("EVAL", "return dofile", "0"),
		c("EVAL", "return loadfile", "0"), c("EVAL", "return print", "0"), c("EVAL", "return getfenv", "0"),
		c("EVAL", "return setfenv", "0"), c("EVAL", "return newproxy", "0"), c("EVAL", "return module", "0"),
		c("EVAL", "return os.execute('true')", "0"), c("EVAL", "return io.open('/etc/passwd')", "0"),
		c("EVAL", "return type(_G) .. type(string) .. type(cjson) .. type(bit) .. type(struct) .. type(cmsgpack)", "0"),
		c("EVAL", "return type(pcall) .. type(xpcall) .. type(loadstring) .. type(load) .. type(coroutine)", "0"),
		c("EVAL", "return {pcall(loadstring, '\\027Lua')}", "0"),
		c("EVAL", "return ('x'):upper()", "0"), c("EVAL", "return rawget(_G, 'nosuch')", "0"),
		c("EVAL", "local f = loadstring('return 40 + 2'); return f()", "0"),
		c("EVAL", "local co = coroutine.create(function() coroutine.yield(7) end); local ok, v = coroutine.resume(co); return v", "0"),
	})
}

func TestCompat_ScriptLibraries(t *testing.T) {
	runCompat(t, [][]string{
		c("EVAL", "return cjson.encode({})", "0"), c("EVAL", "return cjson.encode({1,2,nil,4})", "0"),
		c("EVAL", "return cjson.encode({a={1,2,3}})", "0"), c("EVAL", "return cjson.encode({b='x/y\\n\"q\"'})", "0"),
		c("EVAL", "return cjson.encode({[1]=1,[100]=2})", "0"), c("EVAL", "return cjson.encode(0.1)", "0"),
		c("EVAL", "return cjson.encode(1e20)", "0"), c("EVAL", "return cjson.encode(function() end)", "0"),
		c("EVAL", "return cjson.encode({[true]=1})", "0"), c("EVAL", "return cjson.encode(1/0)", "0"),
		c("EVAL", "return cjson.encode({true,false,cjson.null})", "0"),
		c("EVAL", "return cjson.decode('[1,2')", "0"), c("EVAL", "return cjson.decode('{\"a\":1,}')", "0"),
		c("EVAL", "return cjson.decode('x')", "0"), c("EVAL", "return cjson.decode('\"\\\\u00e9\"')", "0"),
		c("EVAL", "return cjson.decode('[1,2,{\"a\":null}]')", "0"), c("EVAL", "return cjson.decode('[1.5, -2, 3e2]')", "0"),
		c("EVAL", "return cjson.decode('{\"a\":\"b\"}').a", "0"), c("EVAL", "return cjson.decode('[] x')", "0"),
		c("EVAL", "return cjson.decode('{\"identifier\":\"u2\",\"success\":true}').identifier", "0"),
		c("EVAL", "return struct.pack('>I2i4', 258, -1)", "0"), c("EVAL", "return {struct.unpack('>I2', struct.pack('>I2', 258))}", "0"),
		c("EVAL", "return {struct.unpack('<hBs', struct.pack('<hBs', -2, 200, 'str'))}", "0"),
		c("EVAL", "return struct.size('>iHd')", "0"), c("EVAL", "return struct.pack('q', 1)", "0"),
		c("EVAL", "return cmsgpack.pack({1,2,3})", "0"), c("EVAL", "return cmsgpack.pack('abc', -1, 300, 1.5, true)", "0"),
		c("EVAL", "return {cmsgpack.unpack(cmsgpack.pack({1,'a',{b=2}}))}", "0"),
		c("EVAL", "return cmsgpack.pack(string.rep('x', 40), -200, 70000, -70000, 2^40)", "0"),
		c("EVAL", "return bit.tohex(bit.band(0xff00, 0x0ff0))", "0"),
		c("EVAL", "return {bit.lshift(1,31), bit.bnot(0), bit.tobit(2^32+5), bit.arshift(-8, 1), bit.rol(1, 33)}", "0"),
		c("EVAL", "return {bit.bor(1,2,4), bit.bxor(5,3), bit.rshift(-1, 28), bit.bswap(0x12345678), bit.tohex(-1, -4)}", "0"),
		c("EVAL", "return math.floor(3.7)", "0"), c("EVAL", "return string.format('%d %s %.2f', 3, 'x', 1.5)", "0"),
		c("EVAL", "return tonumber('0x10')", "0"), c("EVAL", "return 1 == '1'", "0"), c("EVAL", "return '10' + 5", "0"),
		c("EVAL", "return redis.sha1hex('abc')", "0"), c("EVAL", "return tostring(1e15) .. ' ' .. tostring(0.1)", "0"),
		c("EVAL", "local t = {} table.insert(t, 'a') table.insert(t, 'b') return table.concat(t, ',')", "0"),
		c("EVAL", "return {string.find('hello', 'll')}", "0"), c("EVAL", "return unpack({1, 2, 3})", "0"),
	})
}

func TestCompat_ScriptResp3(t *testing.T) {
	runCompat(t, [][]string{
		c("HSET", "h", "a", "1"), c("ZADD", "z", "1.5", "m"), c("SADD", "s", "x"),
		c("EVAL", "redis.setresp(3); return redis.call('hgetall', 'h')", "0"),
		c("EVAL", "redis.setresp(3); return redis.call('zscore', 'z', 'm')", "0"),
		c("EVAL", "return redis.call('zscore', 'z', 'm')", "0"),
		c("EVAL", "redis.setresp(3); return redis.call('smembers', 's')", "0"),
		c("EVAL", "redis.setresp(3); return redis.call('get', 'nokey')", "0"),
		c("EVAL", "redis.setresp(3); return type(redis.call('get', 'nokey'))", "0"),
		c("EVAL", "redis.setresp(3); return true", "0"), c("EVAL", "redis.setresp(3); return false", "0"),
		c("EVAL", "redis.setresp(3); return redis.call('hgetall', 'h').map.a", "0"),
		c("EVAL", "redis.setresp(3); return redis.call('zscore', 'z', 'm').double", "0"),
		c("EVAL", "redis.setresp(3); return redis.call('set', 'k', 'v')", "0"),
		c("EVAL", "return {double=3.14}", "0"), c("EVAL", "return {map={a=1}}", "0"),
		c("EVAL", "return {set={a=true}}", "0"), c("EVAL", "return {big_number='123'}", "0"),
		c("EVAL", "return {verbatim_string={format='txt', string='hi'}}", "0"),
		c("EVAL", "return {double='x'}", "0"),
	})
}

func TestCompat_ScriptCommands(t *testing.T) {
	runCompat(t, [][]string{
		c("SCRIPT", "FLUSH"), c("SCRIPT", "LOAD", "return 'loaded'"),
		c("SCRIPT", "EXISTS", "2cbaadb8d1bcb1d1c5fd6f0c3e1db4fcfbe6b5c1", "a5260dd66ce02462c5b5231c727b3f7772c0bcc5"),
		c("EVALSHA", "a5260dd66ce02462c5b5231c727b3f7772c0bcc5", "0"),
		c("EVALSHA", "A5260DD66CE02462C5B5231C727B3F7772C0BCC5", "0"),
		c("SCRIPT", "EXISTS", "A5260DD66CE02462C5B5231C727B3F7772C0BCC5"),
		c("EVAL", "return 'cached'", "0"), c("SCRIPT", "EXISTS", "e27ea7be64d13e7a1b8d21e2b1ce8d52fe7c2cfa"),
		c("SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn 1"), c("SCRIPT", "LOAD", "#!lua\nreturn 1"),
		c("SCRIPT", "LOAD", "#!lua flags=bogus\nreturn 1"), c("SCRIPT", "LOAD", "#!lua foo=bar\nreturn 1"),
		c("SCRIPT", "LOAD", "#!python\nreturn 1"), c("SCRIPT", "LOAD", "#!lua"),
		c("SCRIPT", "FLUSH", "ASYNC"), c("SCRIPT", "FLUSH", "SYNC"), c("SCRIPT", "FLUSH", "bogus"),
		c("SCRIPT", "EXISTS", "a5260dd66ce02462c5b5231c727b3f7772c0bcc5"),
		c("SCRIPT", "KILL"), c("SCRIPT", "BOGUS"), c("SCRIPT"), c("SCRIPT", "LOAD"),
		c("EVAL", "#!lua flags=no-writes\nreturn redis.call('set', 'a', 'b')", "0"),
		c("EVAL", "#!lua flags=no-writes\nreturn redis.call('get', 'a')", "0"),
		c("EVAL", "#!lua\nreturn redis.call('set', 'a', 'b')", "0"),
		c("EVAL_RO", "return redis.call('set', 'a', 'b')", "0"), c("EVAL_RO", "return redis.call('get', 'a')", "0"),
		c("EVAL_RO", "#!lua\nreturn 1", "0"), c("EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"),
		c("EVAL_RO", "return redis.call('publish', 'ch', 'm')", "0"),
		c("EVAL", "#!lua flags=no-writes,allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 2", "0"),
		c("EVAL", "#!lua\nreturn 'line ' .. debug", "0"), c("EVAL", "#!lua\n\nerror('x')", "0"),
		c("SCRIPT", "LOAD", "return redis.call('get', KEYS[1])"),
		c("EVALSHA_RO", "d3c21d0c2b9ca22f82737626a27bcaf5d288f99f", "1", "a"),
		c("EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "a"),
		c("EVALSHA_RO", "d3c21d0c2b9ca22f82737626a27bcaf5d288f99f", "1", "a"),
		c("MULTI"), c("EVAL", "return redis.call('incr', 'm')", "0"), c("EVAL", "return redis.call('incr', 'm')", "0"), c("EXEC"),
		c("MULTI"), c("EVAL", "return 1"), c("EXEC"),
		c("COMMAND", "GETKEYS", "EVAL", "return 1", "2", "a", "b", "c"), c("COMMAND", "GETKEYS", "EVAL", "return 1", "0"),
		c("COMMAND", "GETKEYS", "FCALL", "f", "1", "a"), c("COMMAND", "GETKEYSANDFLAGS", "EVAL_RO", "x", "1", "a"),
		c("COMMAND", "GETKEYSANDFLAGS", "EVAL", "x", "0"), c("COMMAND", "GETKEYS", "EVAL", "x", "5", "a"),
		c("COMMAND", "INFO", "eval", "evalsha_ro", "fcall", "script|load", "function|list"),
	})
}

func TestCompat_ScriptFunctions(t *testing.T) {
	lib := "#!lua name=mylib\n" +
		"redis.register_function('f1', function(keys, args) return {keys[1], args[1]} end)\n" +
		"redis.register_function{function_name='f2', callback=function() return redis.call('set','x','1') end, flags={'no-writes'}, description='desc'}\n" +
		"redis.register_function('f3', function(keys) return redis.call('incr', keys[1]) end)\n" +
		"redis.register_function('f4', function() error('in f4') end)"
	one := "#!lua name=one\nredis.register_function{function_name='solo', callback=function() return 1 end, flags={'no-writes', 'allow-oom'}, description='d'}"
	runCompat(t, [][]string{
		// One function per library where the order of functions would show:
		// Redis lists them in hash order.
		c("FUNCTION", "FLUSH"), c("FUNCTION", "LOAD", one), c("FUNCTION", "LIST"), c("FUNCTION", "LIST", "WITHCODE"),
		c("FUNCTION", "LIST", "LIBRARYNAME", "on*"), c("FUNCTION", "LIST", "LIBRARYNAME", "zz*"),
		c("FUNCTION", "LIST", "BOGUS"), c("FUNCTION", "LIST", "WITHCODE", "WITHCODE"), c("FUNCTION", "LIST", "LIBRARYNAME"),
		c("FUNCTION", "STATS"), c("FUNCTION", "FLUSH"), c("FUNCTION", "LOAD", lib), c("FUNCTION", "STATS"),
		c("FCALL", "f9", "0"), c("FCALL", "f1", "-1"), c("FCALL", "f1", "5"), c("FCALL", "f1", "1", "k", "a"),
		c("FCALL_RO", "f1", "1", "k"), c("FCALL", "f2", "0"), c("FCALL_RO", "f2", "0"), c("FCALL", "f3", "1", "cnt"),
		c("FCALL", "f3", "1", "cnt"), c("FCALL", "f4", "0"), c("FCALL"), c("FCALL", "f1"),
		c("FUNCTION", "LOAD", lib), c("FUNCTION", "LOAD", "REPLACE", lib), c("FUNCTION", "LOAD", "BOGUS", lib),
		c("FUNCTION", "LOAD", "#!lua\nreturn 1"), c("FUNCTION", "LOAD", "return 1"),
		c("FUNCTION", "LOAD", "#!lua name=x\nreturn 1"), c("FUNCTION", "LOAD", "#!lua name=x\nredis.call('ping')"),
		c("FUNCTION", "LOAD", "#!lua name=x foo=bar\nreturn 1"), c("FUNCTION", "LOAD", "#!lua name=x name=y\nreturn 1"),
		c("FUNCTION", "LOAD", "#!lua name=x\nredis.register_function('f1', function() end)"),
		c("FUNCTION", "LOAD", "#!lua name=bad-name\nreturn 1"), c("FUNCTION", "LOAD", "#!js name=x\nreturn 1"),
		c("FUNCTION", "LOAD", "#!lua name=y\nerror('x')"),
		c("FUNCTION", "LOAD", "#!lua name=y\nredis.register_function('bad name', function() end)"),
		c("FUNCTION", "LOAD", "#!lua name=y\nredis.register_function('g', 1)"),
		c("FUNCTION", "LOAD", "#!lua name=y\nredis.register_function{function_name='g', callback=function() end, flags={'bogus'}}"),
		c("FUNCTION", "LOAD", "#!lua name=y\nredis.register_function{function_name='g'}"),
		c("FUNCTION", "LOAD", "#!lua name=y\nredis.register_function{callback=function() end}"),
		c("FUNCTION", "LOAD", "#!lua name=y\nredis.register_function{function_name='g', callback=function() end, what=1}"),
		c("FUNCTION", "LOAD", "#!lua name=y\nredis.register_function('g', function() end)\nredis.register_function('g', function() end)"),
		c("FUNCTION", "LOAD", "#!lua name=y\nlocal x = redis.REDIS_VERSION\nredis.log(redis.LOG_NOTICE, 'loading')\nredis.register_function('g', function() return x end)"),
		c("FCALL", "g", "0"), c("FUNCTION", "DELETE", "y"), c("FCALL", "g", "0"),
		c("FUNCTION", "DELETE", "nosuch"), c("FUNCTION", "FLUSH", "foo"), c("FUNCTION", "KILL"), c("FUNCTION", "HELP"),
		c("FUNCTION", "FLUSH", "ASYNC"), c("FCALL", "f1", "0"), c("FUNCTION", "LIST"), c("FUNCTION", "STATS"),
		c("FUNCTION", "RESTORE", "bogus"),
	})
}

// TestScript_FunctionDumpRestore: DUMP/RESTORE round-trip. Larder's
// payload is its own format, so this runs against Larder alone.
func TestScript_FunctionDumpRestore(t *testing.T) {
	l := sharedPair(t).larderConn
	expect := func(want string, argv ...string) {
		t.Helper()
		if got := string(l.do(argv...)); got != want {
			t.Fatalf("%q: got %q, want %q", argv, got, want)
		}
	}
	expect("+OK\r\n", "FUNCTION", "FLUSH")
	expect("$2\r\nlb\r\n", "FUNCTION", "LOAD", "#!lua name=lb\nredis.register_function('dumped', function() return 7 end)")
	l.send(encodeArgv([]string{"FUNCTION", "DUMP"}))
	_, v, err := l.read()
	if err != nil || v.Str == "" {
		t.Fatalf("FUNCTION DUMP: %+v %v", v, err)
	}
	expect("+OK\r\n", "FUNCTION", "FLUSH")
	expect("-ERR Function not found\r\n", "FCALL", "dumped", "0")
	expect("+OK\r\n", "FUNCTION", "RESTORE", v.Str)
	expect(":7\r\n", "FCALL", "dumped", "0")
	expect("-ERR Library lb already exists\r\n", "FUNCTION", "RESTORE", v.Str)
	expect("+OK\r\n", "FUNCTION", "RESTORE", v.Str, "REPLACE")
	expect("+OK\r\n", "FUNCTION", "RESTORE", v.Str, "FLUSH")
	expect("-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n", "FUNCTION", "RESTORE", v.Str, "BAD")
	expect("-ERR DUMP payload version or checksum are wrong\r\n", "FUNCTION", "RESTORE", v.Str[:len(v.Str)-1]+"x")
	expect("+OK\r\n", "FUNCTION", "FLUSH")
}

// TestCompat_ScriptWakesAndTouches: a script's writes serve blocked
// clients, abort other clients' WATCH, and publish from inside a script
// reaches subscribers.
func TestCompat_ScriptWakesAndTouches(t *testing.T) {
	p := sharedPair(t)
	p.do("FLUSHALL")
	waiter, watcher, sub := p.newClient(), p.newClient(), p.newClient()
	waiter.send("BLPOP", "scriptlist", "5")
	p.do("EVAL", "redis.call('rpush', KEYS[1], 'a', 'b'); return redis.call('llen', KEYS[1])", "1", "scriptlist")
	waiter.next()
	p.do("LRANGE", "scriptlist", "0", "-1")

	watcher.do("WATCH", "watched")
	p.do("EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "watched")
	watcher.do("MULTI")
	watcher.do("GET", "watched")
	watcher.do("EXEC")
	watcher.do("WATCH", "watched")
	p.do("EVAL", "return redis.call('get', KEYS[1])", "1", "watched")
	watcher.do("MULTI")
	watcher.do("GET", "watched")
	watcher.do("EXEC")

	sub.do("SUBSCRIBE", "ch")
	p.do("EVAL", "return redis.call('publish', 'ch', 'from a script')", "0")
	sub.next()
}

// TestCompat_ScriptNumbers: Lua 5.1's tonumber and number conversions.
func TestCompat_ScriptNumbers(t *testing.T) {
	var cases [][]string
	for _, e := range []string{"'1e2'", "' 0x10 '", "'-0x10'", "'12345678901234567890'", "'1e'", "'abc'", "''",
		"'.5'", "'5.'", "'inf'", "'1_000'", "'0b101'", "'+5'", "'--5'", "'10', 2", "'ff', 16", "'zz', 36", "nil",
		"{}", "'1e400'", "'0x'", "' 12 '", "'60000'", "2^53", "-0.0"} {
		cases = append(cases, c("EVAL", "return tostring(tonumber("+e+"))", "0"))
	}
	cases = append(cases, c("EVAL", "return {tonumber('10') + 1, '10' * 2, 2^31, -2^31, 1e15, 123456789012}", "0"),
		c("EVAL", "return {0.5, -0.5, 1.9, -1.9, 2^63, -2^63, 1/0, -1/0}", "0"))
	runCompat(t, cases)
}

// TestCompat_ScriptClientFlag: commands that behave differently for a
// script's client (Redis's CLIENT_SCRIPT): SORT of a set BY a constant is
// sorted ALPHA as with STORE, and XREAD/XREADGROUP refuse BLOCK (found by
// Redis's "SORT BY <constant> output gets ordered for scripting" and "Scripts
// can't run XREAD and XREADGROUP with BLOCK option").
func TestCompat_ScriptClientFlag(t *testing.T) {
	runCompat(t, [][]string{
		c("SADD", "myset", "a", "b", "c", "d", "e", "f", "g", "h", "i", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "z", "aa", "aaa", "azz"),
		c("EVAL", "return redis.call('sort',KEYS[1],'by','_')", "1", "myset"),
		c("EVAL", "return redis.call('sort',KEYS[1],'by','_','desc')", "1", "myset"),
		c("EVAL", "return redis.call('sort',KEYS[1],'by','_','get','#','get','_:*')", "1", "myset"),
		c("SORT", "myset", "BY", "_", "STORE", "dst"), c("LRANGE", "dst", "0", "-1"),
		c("RPUSH", "mylist", "c", "a", "b"), c("EVAL", "return redis.call('sort',KEYS[1],'by','_')", "1", "mylist"),
		c("XADD", "s", "1-1", "f", "v"),
		c("EVAL", "return redis.pcall('xread','BLOCK',0,'STREAMS','s','$')", "1", "s"),
		c("EVAL", "return redis.pcall('XREADGROUP','GROUP','g','c','BLOCK',0,'STREAMS','s','>')", "1", "s"),
		c("EVAL", "return redis.pcall('xread','COUNT',1,'BLOCK','x','STREAMS','s','0')", "1", "s"),
		c("EVAL", "return redis.pcall('xread','COUNT',1,'STREAMS','s','0')", "1", "s"),
	})
}

// TestCompat_ScriptCjsonConfig: lua-cjson's configuration functions, their
// returns, errors and effects (Redis's "EVAL - JSON smoke test"). Each
// script restores the defaults: Redis keeps a change for later scripts on
// its one interpreter, Larder for later scripts on the same interpreter.
func TestCompat_ScriptCjsonConfig(t *testing.T) {
	restore := " cjson.encode_max_depth(1000) cjson.decode_max_depth(1000) cjson.encode_invalid_numbers(false)" +
		" cjson.encode_number_precision(14) cjson.encode_sparse_array(false, 2, 10) cjson.encode_keep_buffer(true)"
	eval := func(body string) []string {
		return c("EVAL", "local r = {pcall(function() "+body+" end)}"+restore+" return cjson.encode(r)", "0")
	}
	runCompat(t, [][]string{
		eval("return cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision()"),
		eval("return cjson.encode_invalid_numbers(), cjson.decode_invalid_numbers(), cjson.encode_keep_buffer()"),
		eval("return cjson.encode_sparse_array()"),
		eval("cjson.encode_max_depth(1) return cjson.encode({a={1}})"),
		eval("cjson.encode_max_depth(2) return cjson.encode({a={1}})"),
		eval("cjson.decode_max_depth(1) return cjson.decode('{\"obj\": {\"array\": [1,2,3,4]}}')"),
		eval("return cjson.encode({num1=0/0})"),
		eval("cjson.encode_invalid_numbers(true) return cjson.encode({1/0, -1/0})"),
		eval("cjson.encode_invalid_numbers(true) return cjson.encode({0/0, -(0/0)})"),
		eval("return cjson.encode_invalid_numbers('null'), cjson.encode({1/0})"),
		eval("return cjson.encode_invalid_numbers('maybe')"),
		eval("return cjson.encode_max_depth(0)"),
		eval("return cjson.encode_max_depth(1, 2)"),
		eval("return cjson.encode_number_precision(3), cjson.encode({3.14159})"),
		eval("return cjson.encode_number_precision(15)"),
		eval("return cjson.encode_sparse_array(true), cjson.encode({[1]=1, [20]=2})"),
		eval("return cjson.encode_sparse_array(false, 0), cjson.encode({[1]=1, [20]=2})"),
		eval("return cjson.encode({[1]=1, [20]=2})"),
		c("EVAL", "math.randomseed(ARGV[1]) return tostring(math.random())", "0", "10"),
		c("EVAL", "math.randomseed(ARGV[1]) return {math.random(10), math.random('3', '7')}", "0", "20"),
		c("EVAL", "return pcall(math.randomseed, 'x')", "0"),
	})
}

// TestCompat_ScriptGlobalsMetatable: _G's metatable can be read but not
// changed (Redis's "Try trick global protection 2").
func TestCompat_ScriptGlobalsMetatable(t *testing.T) {
	runCompat(t, [][]string{
		c("EVAL", "local g = getmetatable(_G) g.__index = {}", "0"),
		c("EVAL", "return type(getmetatable(_G))", "0"),
		c("EVAL", "return type(getmetatable(_G).__index)", "0"),
		c("EVAL", "setmetatable(_G, {})", "0"),
		c("EVAL", "return pcall(function() return undefined_global end)", "0"),
	})
}

// TestCompat_FunctionArgumentDetails: FUNCTION's argument and name rules as
// Redis 7.0.15 has them (Redis's unit/functions "test function case
// insensitive", "fcall bad arguments", "restore with wrong number of
// arguments", "function wrong argument", "list libraryname multiple times",
// "function test name with quotes", "restore with function name collision").
func TestCompat_FunctionArgumentDetails(t *testing.T) {
	lib := func(name, fns string) string { return "#!lua name=" + name + "\n" + fns }
	reg := func(names ...string) string {
		out := ""
		for _, n := range names {
			out += "redis.register_function('" + n + "', function() return '" + n + "' end)\n"
		}
		return out
	}
	runCompat(t, [][]string{
		c("FUNCTION", "FLUSH"), c("FUNCTION", "LOAD", lib("test", reg("test"))),
		c("FCALL", "TEST", "0"), c("FCALL", "test", "bad_arg"), c("FCALL", "nosuch", "bad_arg"), c("FCALL", "test", "-1"),
		c("FUNCTION", "RESTORE", "arg1", "args2", "arg3"), c("FUNCTION", "FLUSH", "sync", "extra_arg"),
		c("FUNCTION", "FLUSH", "bad_arg"), c("function", "Flush", "a", "b"),
		c("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "foo", "LIBRARYNAME", "foo"),
		c("FUNCTION", "LIST", "LIBRARYNAME", "foo", "LIBRARYNAME"), c("FUNCTION", "LIST", "WITHCODE", "WITHCODE"),
		c("FUNCTION", "LOAD", "#!lua name=\"foo\"\n"+reg("foo")), c("FUNCTION", "LOAD", "#!lua name='bar'\n"+reg("bar")),
		c("FUNCTION", "LOAD", "#!lua name=\"b\"a\n"+reg("ba")), c("FUNCTION", "LOAD", "#!lua name=te\"st\n"+reg("ba")),
		c("FUNCTION", "LOAD", "#!lua name=\n"+reg("ba")), c("FUNCTION", "LOAD", "#!lua name=\"a b\"\n"+reg("ba")),
		c("FUNCTION", "LOAD", "#!lua \"name=q\"\n"+reg("q1")),
		c("FUNCTION", "LOAD", lib("lib2", reg("TEST"))), c("FUNCTION", "LOAD", lib("lib3", reg("g", "G"))), // which of g and G FCALL g runs is Redis's dict order
		c("FUNCTION", "LOAD", lib("lib4", reg("zz", "Foo"))),
		c("FUNCTION", "LOAD", lib("test", reg("other"))),
	})
}
