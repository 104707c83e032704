// A blank import runs the package's init (synthetic edge main.init -> plugin.init, dropped
// from WANT) but makes none of its names callable; a normal import next to it still works.
package main

import (
	_ "example.com/imports_blank/plugin"
	"example.com/imports_blank/util"
)

func main() {
	util.Helper()
}

// WANT:
// example.com/imports_blank/plugin.init -> example.com/imports_blank/plugin.init#1  [static]
// example.com/imports_blank.main -> example.com/imports_blank/util.Helper  [static]
// example.com/imports_blank/plugin.init#1 -> example.com/imports_blank/plugin.register  [static]
