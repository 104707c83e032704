// Range over slices, arrays, maps, channels and strings types the iteration variables.
package main

type Job struct{}

func (j *Job) Run() {}

type Key struct{}

func (k Key) Hash() int { return 0 }

type Item struct{}

func (i Item) Use() {}

func main() {
	jobs := []*Job{{}, {}}
	for _, j := range jobs {
		j.Run()
	}
	arr := [2]Item{}
	for i := range arr {
		arr[i].Use()
	}
	for _, it := range arr {
		it.Use()
	}
	m := map[Key]*Job{{}: {}}
	for k, v := range m {
		_ = k.Hash()
		v.Run()
	}
	ch := make(chan Item, 1)
	ch <- Item{}
	close(ch)
	for it := range ch {
		it.Use()
	}
	for i, r := range "héllo" {
		_, _ = i, r
		_ = string(r)
	}
}

// WANT:
// example.com/range_loops.main -> (*example.com/range_loops.Job).Run  [static]
// example.com/range_loops.main -> (example.com/range_loops.Item).Use  [static]
// example.com/range_loops.main -> (example.com/range_loops.Key).Hash  [static]
