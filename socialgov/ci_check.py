"""CI mode: audit the working tree and a base revision, and tell which findings the change brings.

The base is read straight from git objects — no checkout, no worktree, nothing written —
because in CI the repository's content is an untrusted pull request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from socialgov.errors import InputError
from socialgov.model import Kind, Registry
from socialgov.policy.config import Policy
from socialgov.policy.result import AuditResult, Finding
from socialgov.registry.files import TreeFiles
from socialgov.registry.load import load_registry
from socialgov.vcs import Repo


@dataclass(frozen=True)
class CheckResult:
    registry: Registry
    result: AuditResult
    baseline: frozenset[str] | None  # fingerprints at the base; None without --base
    base: str | None = None
    ownership: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def is_new(self, finding: Finding) -> bool:
        return self.baseline is None or finding.fingerprint not in self.baseline

    def failing(self, fail_on: object, *, all_findings: bool) -> list[Finding]:
        failing = self.result.failing(fail_on)  # type: ignore[arg-type]
        return failing if all_findings else [f for f in failing if self.is_new(f)]


def run_check(
    root: Path,
    *,
    base: str | None,
    today: date,
    rules: Sequence[str] | None = None,
    kinds: Sequence[Kind] | None = None,
    policy: Policy | None = None,
    allow_policy_change: bool = False,
) -> CheckResult:
    from socialgov.policy.engine import audit
    from socialgov.policy.source import policy_for_check

    registry = load_registry(root)  # the working tree must be valid: InputError → exit 2
    contents = None if base is None else _base_contents(root, base)
    notes: list[str] = []
    if policy is None:
        policy, policy_note = policy_for_check(
            root, registry, contents, allow_change=allow_policy_change, base=base
        )
        notes += [policy_note] if policy_note else []
    result = audit(registry, today=today, rules=rules, kinds=kinds, policy=policy)
    if base is None or contents is None:
        return CheckResult(registry=registry, result=result, baseline=None, notes=tuple(notes))
    base_registry: Registry | None = None
    fingerprints: frozenset[str] = frozenset()
    if "socialgov.toml" not in contents:
        notes.append(f"{base} has no registry here: every finding counts as new")
    else:
        files = TreeFiles(contents)
        try:
            base_registry = load_registry(root, files=files)
            base_result = audit(
                base_registry, today=today, rules=rules, kinds=kinds, policy=policy, files=files
            )
            fingerprints = frozenset(f.fingerprint for f in base_result.findings)
        except InputError as exc:
            notes.append(
                f"the registry at {base} does not load ({exc}): every finding counts as new"
            )
    ownership = ownership_changes(base_registry, registry) if base_registry else ()
    return CheckResult(
        registry=registry,
        result=result,
        baseline=fingerprints,
        base=base,
        ownership=tuple(ownership),
        notes=tuple(notes),
    )


def _base_contents(root: Path, base: str) -> dict[str, bytes]:
    repo = Repo.find(root)
    prefix = repo.rel(root)
    return repo.read_tree(repo.resolve_commit(base), "" if prefix == "." else prefix)


def ownership_changes(before: Registry, after: Registry) -> list[str]:
    """What the change does to ownership, one line per asset, for people reviewing it."""
    lines = []
    for asset_id in sorted(set(before.assets) | set(after.assets)):
        old, new = before.assets.get(asset_id), after.assets.get(asset_id)
        if old is None and new is not None:
            owners = ", ".join(new.owners) if new.owners else None
            lines.append(
                f"{asset_id} added " + (f"with owners {owners}" if owners else "with no owner")
            )
        elif new is None and old is not None:
            lines.append(f"{asset_id} removed (owners were {', '.join(old.owners) or 'none'})")
        elif old is not None and new is not None:
            if old.owners != new.owners:
                lines.append(
                    f"{asset_id} owners {', '.join(old.owners) or 'none'} → {', '.join(new.owners) or 'none'}"
                )
            if old.access != new.access:
                lines.append(
                    f"{asset_id} access {', '.join(old.access) or 'none'} → {', '.join(new.access) or 'none'}"
                )
            if old.active and not new.active:
                lines.append(f"{asset_id} retired")
    for handle in sorted(set(before.roster.people) | set(after.roster.people)):
        old_p, new_p = before.roster.people.get(handle), after.roster.people.get(handle)
        if old_p and new_p and old_p.status != new_p.status:
            lines.append(f"person {handle}: {old_p.status.value} → {new_p.status.value}")
        elif new_p and not old_p:
            lines.append(f"person {handle} added ({new_p.status.value})")
        elif old_p and not new_p:
            lines.append(f"person {handle} removed from the roster")
    return lines


def codeowners_note(registry: Registry) -> str | None:
    """A note when the repository's CODEOWNERS has a socialgov block that is out of date."""
    from socialgov.codeowners import BEGIN, DEFAULT_PATH, is_current, render_block

    repo = Repo.find(registry.root)
    for candidate in (DEFAULT_PATH, "CODEOWNERS", "docs/CODEOWNERS"):
        path = repo.top / candidate
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if BEGIN not in text:
                return None
            prefix = repo.rel(registry.root)
            block = render_block(registry, "" if prefix == "." else prefix + "/").text
            if not is_current(text, block):
                return (
                    f"{candidate} is out of date with the asset owners: run `socialgov codeowners`"
                )
            return None
    return None
