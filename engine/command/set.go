package command

func setCommands() []*Spec {
	return []*Spec{}
}
