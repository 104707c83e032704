module example.com/var_decl

go 1.19
