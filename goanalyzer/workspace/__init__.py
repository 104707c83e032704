"""Where a Go program's source lives: go.mod, vendor/, the module cache, GOROOT, build constraints."""
