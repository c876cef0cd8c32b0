package command

func keyCommands() []*Spec {
	return []*Spec{}
}
