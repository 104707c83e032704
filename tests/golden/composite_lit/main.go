// x := T{...} gives x the type T; slices/maps of T from literals type their elements.
package main

type Point struct{ X, Y int }

func (p Point) Len() int     { return p.X + p.Y }
func (p *Point) Scale(k int) { p.X *= k }

type Pair struct{ A, B Point }

func main() {
	p := Point{X: 1, Y: 2}
	_ = p.Len()
	p.Scale(2)
	q := Pair{A: Point{}, B: Point{1, 1}}
	_ = q.A.Len()
	ps := []Point{{1, 2}, {3, 4}}
	_ = ps[0].Len()
	m := map[string]Point{"a": {}}
	_ = m["a"].Len()
}

// WANT:
// example.com/composite_lit.main -> (example.com/composite_lit.Point).Len  [static]
// example.com/composite_lit.main -> (*example.com/composite_lit.Point).Scale  [static]
