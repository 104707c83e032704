// Closures: numbered $1, $2 ... per enclosing function in source order, nested $1$1;
// closures in methods ((*T).M$1) and in package-level var initialisers (pkg.init$1).
package main

var hook = func() { helper() }

var table = []func(){
	func() { helper() },
}

type T struct{}

func (t *T) M() {
	func() { helper() }()
}

func (t T) V() {
	f := func() {}
	f()
}

func helper() {}

func main() {
	func() {
		helper()
		func() { helper() }()
	}()
	g := func(n int) int { return n }
	_ = g(1)
	_ = func() int {
		return func() int { return 2 }()
	}()
	(&T{}).M()
	T{}.V()
	hook()     // rule: funcvalue
	table[0]() // rule: funcvalue
}

// WANT:
// example.com/closures.init$1 -> example.com/closures.helper  [static]
// example.com/closures.init$2 -> example.com/closures.helper  [static]
// (*example.com/closures.T).M$1 -> example.com/closures.helper  [static]
// (*example.com/closures.T).M -> (*example.com/closures.T).M$1  [static]
// (example.com/closures.T).V -> (example.com/closures.T).V$1  [static]
// example.com/closures.main$1 -> example.com/closures.helper  [static]
// example.com/closures.main$1$1 -> example.com/closures.helper  [static]
// example.com/closures.main$1 -> example.com/closures.main$1$1  [static]
// example.com/closures.main -> example.com/closures.main$1  [static]
// example.com/closures.main -> example.com/closures.main$2  [static]
// example.com/closures.main$3 -> example.com/closures.main$3$1  [static]
// example.com/closures.main -> example.com/closures.main$3  [static]
// example.com/closures.main -> (*example.com/closures.T).M  [static]
// example.com/closures.main -> (example.com/closures.T).V  [static]
// example.com/closures.main -> example.com/closures.init$1  [funcvalue]
// example.com/closures.main -> example.com/closures.init$2  [funcvalue]
