module example.com/pkgname_differs

go 1.19
