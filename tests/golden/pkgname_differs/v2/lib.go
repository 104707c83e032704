// Package lib lives at example.com/pkgname_differs/v2: callers write lib.X.
package lib

func Version() string { return "v2" }

type Client struct{}

func NewClient() *Client { return &Client{} }

func (c *Client) Do() {}
