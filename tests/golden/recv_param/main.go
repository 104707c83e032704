// Method calls on receivers and parameters, pointer and value receivers.
package main

type Engine struct{ n int }

func (e *Engine) Start()       { e.warm() }
func (e *Engine) warm()        { e.n++ }
func (e Engine) Name() string  { return e.label() }
func (e Engine) label() string { return "e" }

type Car struct{}

func (c *Car) Drive(e *Engine, v Engine) {
	e.Start()
	_ = v.Name()
	c.honk()
}

func (c Car) honk() {}

func run(e *Engine) { e.Start() }

func main() {
	e := &Engine{}
	c := &Car{}
	c.Drive(e, *e)
	run(e)
}

// WANT:
// (*example.com/recv_param.Engine).Start -> (*example.com/recv_param.Engine).warm  [static]
// (example.com/recv_param.Engine).Name -> (example.com/recv_param.Engine).label  [static]
// (*example.com/recv_param.Car).Drive -> (*example.com/recv_param.Engine).Start  [static]
// (*example.com/recv_param.Car).Drive -> (example.com/recv_param.Engine).Name  [static]
// (*example.com/recv_param.Car).Drive -> (example.com/recv_param.Car).honk  [static]
// example.com/recv_param.run -> (*example.com/recv_param.Engine).Start  [static]
// example.com/recv_param.main -> (*example.com/recv_param.Car).Drive  [static]
// example.com/recv_param.main -> example.com/recv_param.run  [static]
