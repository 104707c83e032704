// Dot imports: unqualified names resolve into the imported package; a local
// declaration of the same package still wins for its own names.
package main

import (
	. "example.com/imports_dot/util"
	. "strings"
)

func local() {}

func main() {
	_ = Helper()
	var b Box
	b.Open()
	_ = ToLower("X")
	local()
}

// WANT:
// example.com/imports_dot.main -> example.com/imports_dot/util.Helper  [static]
// example.com/imports_dot.main -> (example.com/imports_dot/util.Box).Open  [static]
// example.com/imports_dot.main -> strings.ToLower  [static]
// example.com/imports_dot.main -> example.com/imports_dot.local  [static]
