module example.com/go_defer

go 1.19
