module example.com/funcfield

go 1.19
