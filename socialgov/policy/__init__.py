"""The policy engine: rules, policies that configure them, and the audit that runs them."""
