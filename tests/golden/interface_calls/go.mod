module example.com/interface_calls

go 1.19
