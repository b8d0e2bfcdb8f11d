"""Which policy a pull request is checked with.

Decision: `check --base` reads the policy from the base revision. A pull request that
edits the policy (its `[policy] files`, a policy file, or what one extends) is still
checked with the base's policy, so it cannot switch off the rules it breaks; a note says
so. `--allow-policy-change` checks it with its own policy instead (for pipelines where
policy changes are reviewed separately). Without `--base` the working tree's policy applies.
"""

from __future__ import annotations

from socialgov.policy.config import Policy


def policy_for_check(
    own: Policy, at_base: Policy, *, allow_change: bool = False, base: str | None = None
) -> tuple[Policy, str | None]:
    """The policy both sides are checked with, and a note for people when the change edits it."""
    if at_base == own:
        return own, None
    if allow_change:
        return (
            own,
            "this change edits the policy; checking with the new one (--allow-policy-change)",
        )
    return at_base, (
        f"this change edits the policy; it is checked with the policy of {base}"
        " (pass --allow-policy-change to check it with its own)"
    )
