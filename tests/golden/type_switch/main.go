// In `switch v := x.(type)`, v has the case's type in single-type cases and x's type
// otherwise.
package main

type Circle struct{}

func (c Circle) Area() float64 { return 1 }

type Square struct{}

func (s *Square) Area() float64 { return 2 }
func (s *Square) Side() float64 { return 3 }

type Shape interface{ Area() float64 }

func describe(x Shape) {
	switch v := x.(type) {
	case Circle:
		_ = v.Area()
	case *Square:
		_ = v.Side()
	case nil:
	default:
		_ = v.Area() // rule: interface
	}
}

func main() {
	describe(Circle{})
	describe(&Square{})
}

// WANT:
// example.com/type_switch.describe -> (example.com/type_switch.Circle).Area  [static]
// example.com/type_switch.describe -> (*example.com/type_switch.Square).Side  [static]
// example.com/type_switch.describe -> (*example.com/type_switch.Square).Area  [interface]
// example.com/type_switch.describe -> (example.com/type_switch.Circle).Area  [interface]
// example.com/type_switch.main -> example.com/type_switch.describe  [static]
