package command

func hashCommands() []*Spec {
	return []*Spec{}
}
