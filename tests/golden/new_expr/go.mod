module example.com/new_expr

go 1.19
