module example.com/conversion

go 1.19
