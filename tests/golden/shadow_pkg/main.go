// A local variable or parameter named like an imported package shadows it: config.Load
// below is the method (*Config).Load, not the package function config.Load.
package main

import (
	"strings"

	"example.com/shadow_pkg/config"
)

type Replacer struct{}

func (Replacer) Replace(s string) string { return s }

func use(strings Replacer) {
	_ = strings.Replace("a")
}

func main() {
	cfg := config.Load()
	_ = strings.TrimSpace(" x ")
	{
		config := cfg
		config.Load()
	}
	use(Replacer{})
}

// WANT:
// example.com/shadow_pkg.use -> (example.com/shadow_pkg.Replacer).Replace  [static]
// example.com/shadow_pkg.main -> example.com/shadow_pkg/config.Load  [static]
// example.com/shadow_pkg.main -> strings.TrimSpace  [static]
// example.com/shadow_pkg.main -> (*example.com/shadow_pkg/config.Config).Load  [static]
// example.com/shadow_pkg.main -> example.com/shadow_pkg.use  [static]
