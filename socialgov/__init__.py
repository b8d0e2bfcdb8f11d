"""socialgov: govern an organisation's domains, blogs and social accounts from a git-versioned registry."""

__version__ = "0.1.0"
