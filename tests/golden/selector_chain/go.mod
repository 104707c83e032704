module example.com/selector_chain

go 1.19
