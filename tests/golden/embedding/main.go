// Embedded fields and promoted methods, value and pointer embedding, two levels deep, an
// embedded stdlib type, and a method promoted through an embedded interface.
package main

import (
	"strings"
	"sync"
)

type Base struct{}

func (b *Base) Close()    {}
func (b Base) ID() string { return "b" }

type Logger struct{}

func (l *Logger) Log() {}

type Mid struct {
	Base    // value embedding
	*Logger // pointer embedding
}

type Top struct {
	Mid
	sync.Mutex
	strings.Builder
}

type Greeter interface{ Greet() }

type English struct{}

func (English) Greet() {}

type Wrapper struct{ Greeter }

func (m *Mid) Own() { m.Close(); m.Log() }

func main() {
	t := &Top{Mid: Mid{Logger: &Logger{}}}
	t.Close()
	_ = t.ID()
	t.Log()
	t.Mid.Base.Close()
	t.Own()
	t.Lock()
	t.Unlock()
	t.WriteString("x")
	var v Top
	_ = v.ID()
	w := Wrapper{Greeter: English{}}
	w.Greet() // rule: interface
	var g Greeter = w
	g.Greet() // rule: interface
	f := t.Close
	f()
}

// WANT:
// (*example.com/embedding.Mid).Own -> (*example.com/embedding.Base).Close  [static]
// (*example.com/embedding.Mid).Own -> (*example.com/embedding.Logger).Log  [static]
// example.com/embedding.main -> (*example.com/embedding.Base).Close  [static]
// example.com/embedding.main -> (example.com/embedding.Base).ID  [static]
// example.com/embedding.main -> (*example.com/embedding.Logger).Log  [static]
// example.com/embedding.main -> (*example.com/embedding.Mid).Own  [static]
// example.com/embedding.main -> (*sync.Mutex).Lock  [static]
// example.com/embedding.main -> (*sync.Mutex).Unlock  [static]
// example.com/embedding.main -> (*strings.Builder).WriteString  [static]
// example.com/embedding.main -> (example.com/embedding.English).Greet  [interface]
