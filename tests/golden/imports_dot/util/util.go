package util

func Helper() int { return 1 }

type Box struct{}

func (Box) Open() {}
