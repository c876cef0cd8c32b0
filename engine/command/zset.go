package command

func zsetCommands() []*Spec {
	return []*Spec{}
}
