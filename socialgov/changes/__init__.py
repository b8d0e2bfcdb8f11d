"""Changes to the registry: each command's plan, written and committed by registry.store."""
