"""CI mode: audit the working tree and a base revision, and tell which findings the change brings.

The base is read straight from git objects — no checkout, no worktree, nothing written —
because in CI the repository's content is an untrusted pull request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from socialgov.errors import InputError
from socialgov.model import Kind, Registry, Severity
from socialgov.policy.compare import Comparison
from socialgov.policy.config import Policy
from socialgov.policy.governance import GovernanceChange
from socialgov.policy.inputs import AuditInputs
from socialgov.policy.result import AuditResult, Finding
from socialgov.registry.load import ParseCache
from socialgov.vcs import Repo


@dataclass(frozen=True)
class CheckResult:
    registry: Registry
    result: AuditResult
    comparison: Comparison | None = None  # None without --base
    changes: tuple[GovernanceChange, ...] = ()
    notes: tuple[str, ...] = ()
    base_result: AuditResult | None = None  # the audit of the base, when it loaded

    @property
    def baseline(self) -> frozenset[str] | None:
        return self.comparison.baseline if self.comparison is not None else None

    def is_new(self, finding: Finding) -> bool:
        return self.comparison is None or self.comparison.is_new(finding)

    def failing(self, fail_on: Severity | None, *, all_findings: bool) -> list[Finding]:
        failing = self.result.failing(fail_on)
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
    """Audit the working tree and, with `base`, the registry at that revision.

    Both sides come from the one loader (policy.inputs) with the history as of their own
    revision; both are judged by one policy (policy.source: the base's, unless
    `allow_policy_change`), so a change cannot switch off the rules it breaks, and a rule
    enabled by the change reports what it finds as pre-existing, not new (the policy change
    itself is listed among the governance changes). Files whose content is the same on both sides
    are parsed once, and the content caches both sides use are written once, at the end.
    """
    from socialgov.registry.load import save_stores

    cache: ParseCache = {}
    try:
        return _run_check(
            root,
            cache,
            base=base,
            today=today,
            rules=rules,
            kinds=kinds,
            policy=policy,
            allow_policy_change=allow_policy_change,
        )
    finally:
        save_stores(cache)


def _run_check(
    root: Path,
    cache: ParseCache,
    *,
    base: str | None,
    today: date,
    rules: Sequence[str] | None,
    kinds: Sequence[Kind] | None,
    policy: Policy | None,
    allow_policy_change: bool,
) -> CheckResult:
    from socialgov.policy.compare import compare
    from socialgov.policy.engine import audit
    from socialgov.policy.findings_memo import audit_remembering
    from socialgov.policy.governance import Side, governance_changes
    from socialgov.policy.inputs import load_audit_inputs, working_tree_inputs
    from socialgov.policy.source import policy_for_check
    from socialgov.registry import paths
    from socialgov.registry.files import TreeFiles
    from socialgov.vcs import author_emails, read_blobs

    head = working_tree_inputs(root, policy=policy, cache=cache, eager=True)  # invalid: exit 2
    if base is None:
        result = audit_remembering(root, head, today=today, rules=rules, kinds=kinds)
        return CheckResult(registry=head.registry, result=result)
    repo = Repo.find(root)
    sha = repo.resolve_commit(base)
    prefix = repo.rel(root)
    blobs = repo.tree_blobs(sha, "" if prefix == "." else prefix)
    nothing = Comparison(base=base, baseline=frozenset(), fixed=())
    if paths.SETTINGS_FILE not in blobs:
        note = f"{base} has no registry here: every finding counts as new"
        result = audit(head, today=today, rules=rules, kinds=kinds)
        return CheckResult(head.registry, result, nothing, notes=(note,))
    # Blobs are read when needed: an asset file whose blob the working tree's cache knows
    # (the same content at the same path) is neither read nor parsed.
    files = TreeFiles(blobs=blobs, fetch=lambda ids: read_blobs(repo.top, ids))
    try:
        before = load_audit_inputs(files, sha, root=root, policy=policy, cache=cache, eager=True)
    except InputError as exc:
        note = f"the registry at {base} does not load ({exc}): every finding counts as new"
        result = audit(head, today=today, rules=rules, kinds=kinds)
        return CheckResult(head.registry, result, nothing, notes=(note,))
    notes: tuple[str, ...] = ()
    if policy is None:
        chosen, policy_note = policy_for_check(
            head.policy, before.policy, allow_change=allow_policy_change, base=base
        )
        head, before = replace(head, policy=chosen), replace(before, policy=chosen)
        notes = (policy_note,) if policy_note else ()
    result = audit_remembering(root, head, today=today, rules=rules, kinds=kinds)
    base_result = _audit_base(before, head, result, today=today, rules=rules, kinds=kinds)
    assert head.files is not None
    changes = governance_changes(
        Side(before.registry, before.waivers, files),
        Side(head.registry, head.waivers, head.files),
        today=today,
        authors=author_emails(root, sha, paths.WAIVERS_FILE),
        waiver_max_days=_waiver_max_days(head.policy),
    )
    return CheckResult(
        registry=head.registry,
        result=result,
        comparison=compare(result, base_result, base),
        changes=tuple(changes),
        notes=notes,
        base_result=base_result,
    )


def _audit_base(
    before: AuditInputs,
    head: AuditInputs,
    head_result: AuditResult,
    *,
    today: date,
    rules: Sequence[str] | None,
    kinds: Sequence[Kind] | None,
) -> AuditResult:
    """The audit of the base, evaluating only what can differ from the working tree's.

    When everything but asset files is the same on both sides (settings, roster, waivers,
    policy, every observation source and its history), an asset whose parsed file is the
    very object the working tree has (same content) has the same findings there, for
    every rule that reads only the asset; those findings are taken over, and the rules
    run on the changed assets only — and, on every asset, the rules that read others.
    """
    from socialgov.policy.engine import audit, ordered_with, select_rules
    from socialgov.policy.inputs import SOURCES
    from socialgov.policy.rule import domain_states

    same = (
        before.policy is head.policy
        and before.registry.roster is head.registry.roster
        and before.registry.settings == head.registry.settings
        and tuple(before.waivers) == tuple(head.waivers)
        and all(before.source(name) == head.source(name) for name in SOURCES)
    )
    if not same:
        return audit(before, today=today, rules=rules, kinds=kinds)
    old_assets, new_assets = before.registry.assets, head.registry.assets
    changed = [a for a in old_assets if old_assets[a] is not new_assets.get(a)]
    selected = select_rules(before.policy, rules)
    # Rules that read other assets read the domains only (AuditData.domains).
    same_domains = domain_states(before.registry) == domain_states(head.registry)
    local = {r.info.id for r in selected if same_domains or "assets" not in r.info.needs}
    wide = [r.info.id for r in selected if not same_domains and "assets" in r.info.needs]
    kept = [
        f
        for f in head_result.findings
        if f.rule in local and f.asset in old_assets and old_assets[f.asset] is new_assets[f.asset]
    ]
    more: list[Finding] = []
    if changed and local:
        more += audit(
            before, today=today, rules=sorted(local), kinds=kinds, assets=changed
        ).findings
    if wide:
        more += audit(before, today=today, rules=wide, kinds=kinds).findings
    return AuditResult(
        findings=ordered_with(kept, more),  # kept: in the head's report order
        assets_checked=sum(kinds is None or a.kind in kinds for a in old_assets.values()),
        rules=head_result.rules,
    )


def _waiver_max_days(policy: Policy) -> int:
    from socialgov.policy.rules import RULES

    value = policy.config(RULES["waiver-expired"].info).options.get("max_days", 0)
    return int(value) if isinstance(value, int) else 0


def codeowners_note(registry: Registry) -> str | None:
    """A note when the repository's CODEOWNERS has a socialgov block that is out of date."""
    from socialgov.changes.codeowners import BEGIN, DEFAULT_PATH, is_current, render_block
    from socialgov.vcs import find_git_dir

    if find_git_dir(registry.root.resolve()) is None:
        return None  # no repository, no CODEOWNERS of it (a check without --base needs none)
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
