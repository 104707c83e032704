// Method values (x.M, bound: x/tools wraps them in (*T).M$bound) and method expressions
// (T.M, (*T).M; a thunk (*T).V$thunk when the receiver must be dereferenced). callgraph
// deletes synthetic wrapper nodes, so edges go straight to the real method.
package main

type T struct{}

func (t *T) M()    {}
func (t T) V() int { return 0 }

var global func()

func main() {
	t := &T{}
	m := t.M // method value
	m()
	v := T{}.V
	_ = v()
	pe := (*T).M // method expression, same receiver: the method itself
	pe(t)
	ve := T.V
	_ = ve(T{})
	pv := (*T).V // method expression needing a thunk
	_ = pv(t)
	global = t.M
	global() // rule: funcvalue
	(*T).M(t)
	_ = T.V(T{})
	t.M()
}

// WANT:
// example.com/method_values.main -> (*example.com/method_values.T).M  [static]
// example.com/method_values.main -> (example.com/method_values.T).V  [static]
// example.com/method_values.main -> (*example.com/method_values.T).M  [funcvalue]
