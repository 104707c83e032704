// Calls through func-typed struct fields: values stored by composite literal, by
// assignment, a method value, and a closure returned by a factory function.
package main

type Command struct {
	Name string
	Run  func(args []string) error
}

func (c *Command) Execute() error {
	return c.Run(nil) // rule: funcfield
}

type Hooks struct {
	OnStart func()
	OnStop  func()
}

func runCmd(args []string) error { return nil }

func versionCmd(args []string) error { return nil }

func makeRunner(name string) func([]string) error {
	return func(args []string) error { return nil }
}

type Server struct{}

func (s *Server) Stop() {}

func start() {}

func main() {
	root := &Command{Name: "root", Run: func(args []string) error {
		return runCmd(args)
	}}
	_ = root.Execute()
	v := &Command{Name: "version"}
	v.Run = versionCmd
	_ = v.Execute()
	f := &Command{Name: "factory", Run: makeRunner("x")}
	_ = f.Execute()
	h := Hooks{OnStart: start}
	h.OnStop = (&Server{}).Stop
	h.OnStart() // rule: funcfield
	h.OnStop()  // rule: funcfield
}

// WANT:
// (*example.com/funcfield.Command).Execute -> example.com/funcfield.main$1  [funcfield]
// (*example.com/funcfield.Command).Execute -> example.com/funcfield.makeRunner$1  [funcfield]
// (*example.com/funcfield.Command).Execute -> example.com/funcfield.versionCmd  [funcfield]
// example.com/funcfield.main$1 -> example.com/funcfield.runCmd  [static]
// example.com/funcfield.main -> (*example.com/funcfield.Command).Execute  [static]
// example.com/funcfield.main -> example.com/funcfield.makeRunner  [static]
// example.com/funcfield.main -> example.com/funcfield.start  [funcfield]
// example.com/funcfield.main -> (*example.com/funcfield.Server).Stop  [funcfield]
