// `var x T` and `var x *T = ...` give x its declared type.
package main

type Logger struct{}

func (l *Logger) Log(s string) {}
func (l Logger) Level() int    { return 0 }

type Store struct{}

func (s *Store) Get() {}

func main() {
	var l Logger
	l.Log("a")
	_ = l.Level()
	var p *Logger = &l
	p.Log("b")
	var (
		s  Store
		sp = &s
	)
	sp.Get()
	s.Get()
}

// WANT:
// example.com/var_decl.main -> (*example.com/var_decl.Logger).Log  [static]
// example.com/var_decl.main -> (example.com/var_decl.Logger).Level  [static]
// example.com/var_decl.main -> (*example.com/var_decl.Store).Get  [static]
