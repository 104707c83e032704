// Package plugin is imported for its side effect only.
package plugin

var Registered bool

func register() { Registered = true }

func init() { register() }
