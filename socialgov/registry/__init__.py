"""Reading, validating and writing the registry on disk."""
