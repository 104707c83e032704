module example.com/package_vars

go 1.19
