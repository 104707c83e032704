package config

func Load() *Config { return &Config{} }

type Config struct{}

func (c *Config) Load() {}
