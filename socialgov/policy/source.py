"""Which policy a pull request is checked with.

Decision: `check --base` reads the policy from the base revision. A pull request that
edits the policy (its `[policy] files`, a policy file, or what one extends) is still
checked with the base's policy, so it cannot switch off the rules it breaks; a note says
so. `--allow-policy-change` checks it with its own policy instead (for pipelines where
policy changes are reviewed separately). Without `--base` the working tree's policy applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from socialgov.errors import InputError
from socialgov.model import Registry
from socialgov.policy.config import Policy, load_registry_policy
from socialgov.registry.files import DiskFiles, TreeFiles


def policy_for_check(
    root: Path,
    registry: Registry,
    base_contents: Mapping[str, bytes] | None,
    *,
    allow_change: bool = False,
    base: str | None = None,
) -> tuple[Policy, str | None]:
    """The policy to check with, and a note for people when the change edits the policy."""
    own = load_registry_policy(registry.settings.policy_files, DiskFiles(root))
    if base_contents is None or "socialgov.toml" not in base_contents:
        return own, None
    from socialgov.registry.load import load_settings

    files = TreeFiles(base_contents)
    try:
        at_base = load_registry_policy(load_settings(files).policy_files, files)
    except InputError as exc:
        return own, f"the policy at {base} does not load ({exc.message}): using this change's"
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
