package command

// CoreFamilies returns the rows of the families still inside this package
// (a transitional list: package families joins them with the others).
func CoreFamilies() [][]*Spec {
	return [][]*Spec{
		txCommands(),
		scriptCommands(),
	}
}
