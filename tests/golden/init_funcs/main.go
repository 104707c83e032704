// Explicit init functions: pkg.init (the synthetic package initializer) calls pkg.init#1,
// pkg.init#2 ... in source order; closures inside are init#1$1; package-level var
// initialisers run in pkg.init (closures there are pkg.init$1).
package main

import "example.com/init_funcs/sub"

func setup() int { return 1 }

var x = setup()

func prepare() {}

func init() {
	prepare()
}

func init() {
	func() { prepare() }()
}

func main() {
	sub.Use()
	_ = x
}

// WANT:
// example.com/init_funcs.init -> example.com/init_funcs.init#1  [static]
// example.com/init_funcs.init -> example.com/init_funcs.init#2  [static]
// example.com/init_funcs/sub.init -> example.com/init_funcs/sub.init#1  [static]
// example.com/init_funcs.init -> example.com/init_funcs.setup  [static]
// example.com/init_funcs.init#1 -> example.com/init_funcs.prepare  [static]
// example.com/init_funcs.init#2$1 -> example.com/init_funcs.prepare  [static]
// example.com/init_funcs.init#2 -> example.com/init_funcs.init#2$1  [static]
// example.com/init_funcs.main -> example.com/init_funcs/sub.Use  [static]
