// Builtins give no edge (len, cap, append, make, new, copy, delete, close, panic, recover,
// print, println, complex, real, imag), even when the program also declares a method of
// that name; a local function shadowing a builtin name is an ordinary static call.
package main

type List struct{ xs []int }

func (l *List) len() int { return len(l.xs) }

func main() {
	s := make([]int, 0, 4)
	s = append(s, 1)
	_ = len(s) + cap(s)
	d := make([]int, 1)
	copy(d, s)
	m := map[string]int{"a": 1}
	delete(m, "a")
	ch := make(chan int)
	close(ch)
	c := complex(1, 2)
	_, _ = real(c), imag(c)
	p := new(List)
	_ = p.len()
	print()
	println()
	defer func() { _ = recover() }()
	cap := func(x []int) int { return 0 }
	_ = cap(s)
	if len(s) > 10 {
		panic("big")
	}
}

// WANT:
// example.com/builtins.main -> (*example.com/builtins.List).len  [static]
// example.com/builtins.main -> example.com/builtins.main$1  [static]
// example.com/builtins.main -> example.com/builtins.main$2  [static]
