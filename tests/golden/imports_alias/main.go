// Package functions called through an explicit import alias (local and stdlib).
package main

import (
	str "strings"

	u "example.com/imports_alias/util"
)

func main() {
	_ = u.Helper()
	u.Other()
	_ = str.ToUpper("x")
}

// WANT:
// example.com/imports_alias.main -> example.com/imports_alias/util.Helper  [static]
// example.com/imports_alias.main -> example.com/imports_alias/util.Other  [static]
// example.com/imports_alias.main -> strings.ToUpper  [static]
