// Package-level variables (this package and another one) carry their declared or
// initialiser type into every function.
package main

import "example.com/package_vars/store"

type Registry struct{}

func (r *Registry) Add() {}

var reg = &Registry{}

var (
	regV Registry
	regP *Registry = new(Registry)
)

func add() { reg.Add() }

func main() {
	add()
	regV.Add()
	regP.Add()
	store.Default.Put()
	store.Named.Put()
}

// WANT:
// example.com/package_vars.add -> (*example.com/package_vars.Registry).Add  [static]
// example.com/package_vars.main -> example.com/package_vars.add  [static]
// example.com/package_vars.main -> (*example.com/package_vars.Registry).Add  [static]
// example.com/package_vars.main -> (*example.com/package_vars/store.Store).Put  [static]
