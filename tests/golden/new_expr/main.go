// x := new(T) gives x the type *T; `new` itself is a builtin and gives no edge.
package main

type Counter struct{ n int }

func (c *Counter) Inc()      { c.n++ }
func (c Counter) Value() int { return c.n }

func main() {
	c := new(Counter)
	c.Inc()
	_ = c.Value()
	new(Counter).Inc()
}

// WANT:
// example.com/new_expr.main -> (*example.com/new_expr.Counter).Inc  [static]
// example.com/new_expr.main -> (example.com/new_expr.Counter).Value  [static]
