// Conversions T(x) are not calls: no edge to a function named T, even when a function or
// method of that name exists elsewhere. Methods on the converted value do resolve.
package main

import "time"

type Celsius float64

func (c Celsius) String() string { return "C" }

type Handler func(int)

func (h Handler) Serve(n int) { h(n) } // rule: funcvalue

type Names []string

func (n Names) Len() int { return len(n) }

func handle(int) {}

func main() {
	c := Celsius(21.5)
	_ = c.String()
	_ = Celsius(1).String()
	h := Handler(handle)
	h.Serve(1)
	_ = Names([]string{"a"}).Len()
	_ = time.Duration(5).String()
	_ = (*int)(nil)
	_ = []byte("x")
}

// WANT:
// (example.com/conversion.Handler).Serve -> example.com/conversion.handle  [funcvalue]
// example.com/conversion.main -> (example.com/conversion.Celsius).String  [static]
// example.com/conversion.main -> (example.com/conversion.Handler).Serve  [static]
// example.com/conversion.main -> (example.com/conversion.Names).Len  [static]
// example.com/conversion.main -> (time.Duration).String  [static]
