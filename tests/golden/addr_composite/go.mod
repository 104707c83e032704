module example.com/addr_composite

go 1.19
