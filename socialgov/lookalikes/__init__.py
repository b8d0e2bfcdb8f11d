"""Lookalike domains: the names an attacker would register against the organisation's (SPEC §9)."""
