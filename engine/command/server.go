package command

func serverCommands() []*Spec {
	return []*Spec{}
}
