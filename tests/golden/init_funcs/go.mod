module example.com/init_funcs

go 1.19
