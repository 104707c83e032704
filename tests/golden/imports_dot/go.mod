module example.com/imports_dot

go 1.19
