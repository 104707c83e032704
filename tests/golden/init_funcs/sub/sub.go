package sub

var Ready bool

func init() { Ready = true }

func Use() {}
