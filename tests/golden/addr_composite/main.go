// x := &T{} gives x the type *T.
package main

type Server struct{ addr string }

func (s *Server) Listen()     {}
func (s Server) Addr() string { return s.addr }

func main() {
	s := &Server{addr: ":80"}
	s.Listen()
	_ = s.Addr()
	(&Server{}).Listen()
	ss := []*Server{{}, &Server{}}
	ss[1].Listen()
}

// WANT:
// example.com/addr_composite.main -> (*example.com/addr_composite.Server).Listen  [static]
// example.com/addr_composite.main -> (example.com/addr_composite.Server).Addr  [static]
