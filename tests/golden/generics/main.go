// Generic functions and types, implicit and explicit instantiation F[T](x).
//
// Go 1.19's callgraph (x/tools 0.5.0) marks every instance (Sum[int], (*Stack[string]).Push)
// as a synthetic function and deletes it from the graph, re-attaching its outgoing edges to
// the instance's caller at the instantiation call site: so there is NO edge main -> Sum or
// main -> Sum[int]; instead main -> note at Sum's call site, and main -> Sum[int]$1-style
// closures. The generic bodies themselves (Sum, Map, Sum$1) appear as callers; generic
// methods ((*Stack[T]).Push) do not. Our resolver's intended answer (issue 3: F[T](x)
// resolves to F) differs: see NOTES.md.
package main

type Number interface{ ~int | ~float64 }

func note() {}

func Sum[T Number](xs []T) T {
	note()
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x)) // rule: funcvalue
	}
	return out
}

type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(x T) {
	note()
	func() { s.items = append(s.items, x) }()
}
func (s *Stack[T]) Len() int { return len(s.items) }

func NewStack[T any]() *Stack[T] { return &Stack[T]{} }

func double(n int) int { return 2 * n }

func main() {
	_ = Sum([]int{1, 2})
	_ = Sum[float64]([]float64{1})
	_ = Map[int, int]([]int{1}, double) // rule: funcvalue (f(x) inside the deleted instance Map[int,int])
	s := NewStack[string]()
	s.Push("a")
	_ = s.Len()
	var t Stack[int]
	t.Push(1)
}

// WANT:
// example.com/generics.Sum -> example.com/generics.note  [static]
// example.com/generics.main -> example.com/generics.note  [static]
// example.com/generics.main -> example.com/generics.double  [funcvalue]
// example.com/generics.main -> (*example.com/generics.Stack[string]).Push[string]$1  [static]
// example.com/generics.main -> (*example.com/generics.Stack[int]).Push[int]$1  [static]
