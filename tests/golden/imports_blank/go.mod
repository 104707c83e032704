module example.com/imports_blank

go 1.19
