package streamcmd

import (
	"github.com/larder-db/larder/command"
)

// Commands returns the stream family's rows.
func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "xadd", Arity: -5, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLStream | command.ACLFast, Handler: cmdXadd},
		{Name: "xtrim", Arity: -4, Flags: command.FlagWrite | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLStream | command.ACLSlow, Handler: cmdXtrim},
		{Name: "xdel", Arity: -3, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLStream | command.ACLFast, Handler: cmdXdel},
		{Name: "xsetid", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLStream | command.ACLFast, Handler: cmdXsetid},
		{Name: "xlen", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLStream | command.ACLFast, Handler: cmdXlen},
		{Name: "xrange", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLStream | command.ACLSlow, Handler: cmdXrange},
		{Name: "xrevrange", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLStream | command.ACLSlow, Handler: cmdXrevrange},
		{Name: "xread", Arity: -4, Flags: command.FlagReadOnly | command.FlagBlocking | command.FlagMovableKeys,
			ACL: command.ACLRead | command.ACLStream | command.ACLSlow | command.ACLBlocking, Keys: xreadKeys, Handler: cmdXread},
		{Name: "xreadgroup", Arity: -7, Flags: command.FlagWrite | command.FlagBlocking | command.FlagMovableKeys | command.FlagSelfJournal,
			ACL: command.ACLWrite | command.ACLStream | command.ACLSlow | command.ACLBlocking, Keys: xreadKeys, Handler: cmdXreadgroup},
		{Name: "xack", Arity: -4, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLStream | command.ACLFast, Handler: cmdXack},
		{Name: "xackdel", Arity: -6, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLStream | command.ACLFast, Handler: cmdXackdel},
		{Name: "xdelex", Arity: -5, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLStream | command.ACLFast, Handler: cmdXdelex},
		{Name: "xclaim", Arity: -6, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLStream | command.ACLFast, Handler: cmdXclaim},
		{Name: "xautoclaim", Arity: -6, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLStream | command.ACLFast, Handler: cmdXautoclaim},
		{Name: "xpending", Arity: -3, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLStream | command.ACLSlow, Handler: cmdXpending},
		{Name: "xgroup", Arity: -2, ACL: command.ACLSlow, Flags: command.FlagNoLock, Subs: []*command.Spec{
			{Name: "xgroup|create", Arity: -5, Flags: command.FlagWrite | command.FlagDenyOOM, First: 2, Last: 2, Step: 1,
				ACL: command.ACLWrite | command.ACLStream | command.ACLSlow, Handler: cmdXgroupCreate},
			{Name: "xgroup|setid", Arity: -5, Flags: command.FlagWrite, First: 2, Last: 2, Step: 1,
				ACL: command.ACLWrite | command.ACLStream | command.ACLSlow, Handler: cmdXgroupSetid},
			{Name: "xgroup|destroy", Arity: 4, Flags: command.FlagWrite, First: 2, Last: 2, Step: 1,
				ACL: command.ACLWrite | command.ACLStream | command.ACLSlow, Handler: cmdXgroupDestroy},
			{Name: "xgroup|createconsumer", Arity: 5, Flags: command.FlagWrite | command.FlagDenyOOM, First: 2, Last: 2, Step: 1,
				ACL: command.ACLWrite | command.ACLStream | command.ACLSlow, Handler: cmdXgroupCreateconsumer},
			{Name: "xgroup|delconsumer", Arity: 5, Flags: command.FlagWrite, First: 2, Last: 2, Step: 1,
				ACL: command.ACLWrite | command.ACLStream | command.ACLSlow, Handler: cmdXgroupDelconsumer},
			{Name: "xgroup|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLStream | command.ACLSlow, Handler: cmdXgroupHelp},
		}},
		{Name: "xinfo", Arity: -2, ACL: command.ACLSlow, Flags: command.FlagNoLock, Subs: []*command.Spec{
			{Name: "xinfo|stream", Arity: -3, Flags: command.FlagReadOnly, First: 2, Last: 2, Step: 1,
				ACL: command.ACLRead | command.ACLStream | command.ACLSlow, Handler: cmdXinfoStream},
			{Name: "xinfo|groups", Arity: 3, Flags: command.FlagReadOnly, First: 2, Last: 2, Step: 1,
				ACL: command.ACLRead | command.ACLStream | command.ACLSlow, Handler: cmdXinfoGroups},
			{Name: "xinfo|consumers", Arity: 4, Flags: command.FlagReadOnly, First: 2, Last: 2, Step: 1,
				ACL: command.ACLRead | command.ACLStream | command.ACLSlow, Handler: cmdXinfoConsumers},
			{Name: "xinfo|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLStream | command.ACLSlow, Handler: cmdXinfoHelp},
		}},
	}
}

// Params returns the stream family's configuration parameters.
func Params() []*command.Param {
	return []*command.Param{
		{Name: "stream-node-max-bytes", Kind: command.KindMemory, Default: "4096", Min: 0, Max: 1<<63 - 1,
			Usage: "stream entries are grouped in nodes of at most this many bytes (approximate trimming removes whole nodes)"},
		{Name: "stream-node-max-entries", Kind: command.KindInt, Default: "100", Min: 0, Max: 1<<63 - 1,
			Usage: "stream entries are grouped in nodes of at most this many entries"},
	}
}
