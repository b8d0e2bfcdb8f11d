"""Package data: the "unclaimed page" signatures of hosting services (unclaimed.toml)."""
