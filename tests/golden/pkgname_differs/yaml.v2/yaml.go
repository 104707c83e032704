// Package yaml lives at example.com/pkgname_differs/yaml.v2: callers write yaml.X.
package yaml

func Marshal(v interface{}) ([]byte, error) { return nil, nil }
