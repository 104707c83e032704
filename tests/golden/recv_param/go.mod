module example.com/recv_param

go 1.19
