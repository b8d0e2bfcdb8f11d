"""Discovery: what registrar exports, zone files and certificate logs show that the registry
does not hold (SPEC §9)."""
