module example.com/type_assertion

go 1.19
