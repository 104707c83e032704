module example.com/composite_lit

go 1.19
