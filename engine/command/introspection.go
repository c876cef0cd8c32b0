package command

func introspectionCommands() []*Spec {
	return []*Spec{}
}
