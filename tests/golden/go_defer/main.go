// go and defer calls are ordinary edges (static or dynamic), including go/defer of a
// closure, of a method, and of a method value.
package main

import "sync"

type Worker struct{ wg sync.WaitGroup }

func (w *Worker) work() { defer w.wg.Done() }

func cleanup() {}

func main() {
	w := &Worker{}
	w.wg.Add(2)
	go w.work()
	go func() {
		defer w.wg.Done()
	}()
	defer cleanup()
	defer func() { cleanup() }()
	f := w.work
	w.wg.Add(1)
	go f()
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
	w.wg.Wait()
}

// WANT:
// (*example.com/go_defer.Worker).work -> (*sync.WaitGroup).Done  [static]
// example.com/go_defer.main -> (*sync.WaitGroup).Add  [static]
// example.com/go_defer.main -> (*example.com/go_defer.Worker).work  [static]
// example.com/go_defer.main -> example.com/go_defer.main$1  [static]
// example.com/go_defer.main$1 -> (*sync.WaitGroup).Done  [static]
// example.com/go_defer.main -> example.com/go_defer.cleanup  [static]
// example.com/go_defer.main -> example.com/go_defer.main$2  [static]
// example.com/go_defer.main$2 -> example.com/go_defer.cleanup  [static]
// example.com/go_defer.main -> (*sync.Mutex).Lock  [static]
// example.com/go_defer.main -> (*sync.Mutex).Unlock  [static]
// example.com/go_defer.main -> (*sync.WaitGroup).Wait  [static]
