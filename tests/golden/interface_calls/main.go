// Interface method calls: several implementations, some never constructed (x/tools VTA
// excludes them: only types whose values reach the call site).
package main

import "fmt"

type Loader interface {
	Load(path string) error
}

type FileLoader struct{}

func (f *FileLoader) Load(path string) error { return nil }

type EnvLoader struct{}

func (e EnvLoader) Load(path string) error { return nil }

type FlagLoader struct{}

func (f *FlagLoader) Load(path string) error { return nil }

// NeverBuilt implements Loader but no value of it is ever made.
type NeverBuilt struct{}

func (n *NeverBuilt) Load(path string) error { return nil }

type Other struct{}

// Load has the same name but another signature: not an implementation.
func (o *Other) Load() {}

func run(loaders []Loader) {
	for _, l := range loaders {
		_ = l.Load("x") // rule: interface
	}
}

type named struct{}

func (named) String() string { return "n" }

func main() {
	run([]Loader{&FileLoader{}, EnvLoader{}, new(FlagLoader)})
	(&Other{}).Load()
	var s fmt.Stringer = named{}
	_ = s.String() // rule: interface
	fmt.Println(named{})
}

// WANT:
// example.com/interface_calls.run -> (*example.com/interface_calls.FileLoader).Load  [interface]
// example.com/interface_calls.run -> (*example.com/interface_calls.FlagLoader).Load  [interface]
// example.com/interface_calls.run -> (example.com/interface_calls.EnvLoader).Load  [interface]
// example.com/interface_calls.main -> example.com/interface_calls.run  [static]
// example.com/interface_calls.main -> (*example.com/interface_calls.Other).Load  [static]
// example.com/interface_calls.main -> (example.com/interface_calls.named).String  [interface]
// example.com/interface_calls.main -> fmt.Println  [static]
