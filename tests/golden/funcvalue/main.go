// Calls through func variables and parameters: the values assigned or passed in.
package main

func hello() {}

func bye() {}

func apply(f func(int) int, n int) int { return f(n) } // rule: funcvalue

func twice(n int) int { return 2 * n }

func square(n int) int { return n * n }

func each(fs []func()) {
	for _, f := range fs {
		f() // rule: funcvalue
	}
}

var handler func() = hello

func main() {
	f := hello
	f()
	var g func()
	if len("x") > 0 {
		g = hello
	} else {
		g = bye
	}
	g() // rule: funcvalue
	_ = apply(twice, 1)
	_ = apply(square, 2)
	_ = apply(func(n int) int { return n }, 3)
	each([]func(){hello, bye})
	handler() // rule: funcvalue
}

// WANT:
// example.com/funcvalue.apply -> example.com/funcvalue.main$1  [funcvalue]
// example.com/funcvalue.apply -> example.com/funcvalue.square  [funcvalue]
// example.com/funcvalue.apply -> example.com/funcvalue.twice  [funcvalue]
// example.com/funcvalue.each -> example.com/funcvalue.bye  [funcvalue]
// example.com/funcvalue.each -> example.com/funcvalue.hello  [funcvalue]
// example.com/funcvalue.main -> example.com/funcvalue.hello  [static]
// example.com/funcvalue.main -> example.com/funcvalue.bye  [funcvalue]
// example.com/funcvalue.main -> example.com/funcvalue.hello  [funcvalue]
// example.com/funcvalue.main -> example.com/funcvalue.apply  [static]
// example.com/funcvalue.main -> example.com/funcvalue.each  [static]
