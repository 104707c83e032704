module example.com/shadow_pkg

go 1.19
