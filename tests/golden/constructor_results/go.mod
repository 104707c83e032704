module example.com/constructor_results

go 1.19
