"""Reference data the registry ships with."""
