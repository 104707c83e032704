// Imports whose package clause differs from the last path element: the identifier in the
// file is the package clause (lib, yaml), and the x/tools name uses the import path.
package main

import (
	"example.com/pkgname_differs/v2"
	"example.com/pkgname_differs/yaml.v2"
)

func main() {
	_ = lib.Version()
	c := lib.NewClient()
	c.Do()
	_, _ = yaml.Marshal(1)
}

// WANT:
// example.com/pkgname_differs.main -> example.com/pkgname_differs/v2.Version  [static]
// example.com/pkgname_differs.main -> example.com/pkgname_differs/v2.NewClient  [static]
// example.com/pkgname_differs.main -> (*example.com/pkgname_differs/v2.Client).Do  [static]
// example.com/pkgname_differs.main -> example.com/pkgname_differs/yaml.v2.Marshal  [static]
