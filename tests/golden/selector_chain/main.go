// Selector chains through struct fields (value and pointer fields) and method results.
package main

type Conn struct{}

func (c *Conn) Write(b []byte) {}

type Transport struct {
	conn *Conn
	last Conn
}

func (t *Transport) Conn() *Conn { return t.conn }

type Client struct {
	tr    *Transport
	trans Transport
}

type App struct{ client Client }

func main() {
	a := &App{client: Client{tr: &Transport{conn: &Conn{}}}}
	a.client.tr.conn.Write(nil)
	a.client.trans.last.Write(nil)
	a.client.tr.Conn().Write(nil)
}

// WANT:
// example.com/selector_chain.main -> (*example.com/selector_chain.Conn).Write  [static]
// example.com/selector_chain.main -> (*example.com/selector_chain.Transport).Conn  [static]
