// v := x.(T) and v, ok := x.(T) give v the type T.
package main

type File struct{}

func (f *File) Sync()        {}
func (f *File) Name() string { return "f" }

type Named interface{ Name() string }

func main() {
	var x interface{} = &File{}
	f := x.(*File)
	f.Sync()
	if g, ok := x.(*File); ok {
		g.Sync()
	}
	x.(*File).Sync()
	n := x.(Named)
	_ = n.Name() // rule: interface
}

// WANT:
// example.com/type_assertion.main -> (*example.com/type_assertion.File).Sync  [static]
// example.com/type_assertion.main -> (*example.com/type_assertion.File).Name  [interface]
