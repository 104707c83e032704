package store

type Store struct{}

func (s *Store) Put() {}

var Default = &Store{}

var Named Store
