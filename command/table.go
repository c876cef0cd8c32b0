package command

// Families returns every family's rows, joined by New into the one table.
// Each family file declares its slice beside its handlers.
func Families() [][]*Spec {
	return [][]*Spec{
		connectionCommands(),
		clientCommands(),
		stringCommands(),
		keyCommands(),
		serverCommands(),
		introspectionCommands(),
		hashCommands(),
		listCommands(),
		setCommands(),
		zsetCommands(),
		txCommands(),
		pubsubCommands(),
		blockingZsetCommands(),
		sortCommands(),
		persistenceCommands(),
		scriptCommands(),
		aclCommands(),
	}
}
