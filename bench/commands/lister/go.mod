module goanalyzer.bench/commands/lister

go 1.19
