package command

func clientCommands() []*Spec {
	return []*Spec{}
}
