module example.com/imports_alias

go 1.19
