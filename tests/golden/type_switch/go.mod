module example.com/type_switch

go 1.19
