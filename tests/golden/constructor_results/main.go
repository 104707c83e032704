// a, err := NewX(): a takes the type of the constructor's first result, err the second.
package main

import "errors"

type DB struct{}

func (d *DB) Query()       {}
func (d *DB) Close() error { return nil }

type Tx struct{}

func (t Tx) Commit() {}

func Open(name string) (*DB, error) {
	if name == "" {
		return nil, errors.New("empty")
	}
	return &DB{}, nil
}

func Begin(d *DB) (int, Tx, error) { return 0, Tx{}, nil }

func main() {
	db, err := Open("x")
	if err != nil {
		_ = err.Error() // rule: interface
		return
	}
	db.Query()
	_, tx, _ := Begin(db)
	tx.Commit()
	var db2, _ = Open("y")
	_ = db2.Close()
}

// WANT:
// example.com/constructor_results.Open -> errors.New  [static]
// example.com/constructor_results.main -> example.com/constructor_results.Open  [static]
// example.com/constructor_results.main -> (*errors.errorString).Error  [interface]
// example.com/constructor_results.main -> (*example.com/constructor_results.DB).Query  [static]
// example.com/constructor_results.main -> example.com/constructor_results.Begin  [static]
// example.com/constructor_results.main -> (example.com/constructor_results.Tx).Commit  [static]
// example.com/constructor_results.main -> (*example.com/constructor_results.DB).Close  [static]
