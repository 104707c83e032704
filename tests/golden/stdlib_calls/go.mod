module example.com/stdlib_calls

go 1.19
