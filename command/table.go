package command

// CoreFamilies returns the rows of the families still inside this package
// (a transitional list: package families joins them with the others).
func CoreFamilies() [][]*Spec {
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
