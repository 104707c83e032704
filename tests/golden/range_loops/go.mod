module example.com/range_loops

go 1.19
