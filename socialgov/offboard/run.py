"""Run an offboarding: plan and apply under the lock, commit on the branch or on a new one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov.errors import GitError, UsageError
from socialgov.model import Registry

if TYPE_CHECKING:
    from socialgov.registry.files import Files

from socialgov.offboard.apply import apply_plan
from socialgov.offboard.plan import OffboardPlan, observed_registrant_emails, plan_offboarding


@dataclass
class OffboardResult:
    plan: OffboardPlan
    dry_run: bool
    commit: str | None = None
    branch: str | None = None
    files: list[str] = field(default_factory=list)

    def to_json(self) -> Any:
        return self.plan.to_json(dry_run=self.dry_run, commit=self.commit, branch=self.branch)


def offboard(
    root: Path,
    handle: str,
    *,
    to: str | None,
    on: date,
    dry_run: bool = False,
    branch: str | None = None,
    author: str | None = None,
    commit: bool = True,
) -> OffboardResult:
    """Plan and (unless `dry_run`) apply an offboarding in one commit, or on a new `branch`."""
    if branch is not None:
        if not commit:
            raise UsageError("--branch and --no-commit cannot be combined")
        return _offboard_to_branch(root, handle, to, on, branch, author, dry_run)
    if dry_run:
        from socialgov.registry.store import load_current

        registry = load_current(root)
        return OffboardResult(plan_with_observations(root, registry, handle, to, on), dry_run=True)
    from socialgov.registry.load import load_registry
    from socialgov.registry.store import transaction

    with transaction(root, author=author, commit=commit) as tx:
        registry = load_registry(root)  # under the lock: another process's change is seen
        plan = plan_with_observations(root, registry, handle, to, on)
        if plan.changes_anything:
            apply_plan(tx, registry, plan)
            tx.message = plan.message()
    return OffboardResult(plan, dry_run=False, commit=tx.commit, files=sorted(tx.files))


def plan_with_observations(
    source: Path | Files, registry: Registry, handle: str, to: str | None, on: date
) -> OffboardPlan:
    person = registry.roster.people.get(handle)
    observed = observed_registrant_emails(source, registry, person.emails) if person else {}
    return plan_offboarding(registry, handle, to, on, observed_emails=observed)


class _Collect:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def write(self, rel: str, data: bytes) -> None:
        self.files[rel] = data


def _offboard_to_branch(
    root: Path,
    handle: str,
    to: str | None,
    on: date,
    branch: str,
    author: str | None,
    dry_run: bool,
) -> OffboardResult:
    """Commit the offboarding on a new branch whose parent is HEAD; HEAD, index and files stay."""
    from socialgov.registry.files import TreeFiles
    from socialgov.registry.load import load_registry
    from socialgov.vcs import Repo

    repo = Repo.find(root)
    repo.new_branch_ref(branch)  # refuse a bad or existing name before any work
    with repo.lock():
        head = repo.head()
        if head is None:
            raise GitError("the repository has no commit yet to branch from")
        prefix = repo.rel(root)
        prefix = "" if prefix == "." else prefix
        files = TreeFiles(repo.read_tree(head, prefix))
        registry = load_registry(root, files)  # as committed: uncommitted edits stay out
        plan = plan_with_observations(files, registry, handle, to, on)
        result = OffboardResult(plan, dry_run=dry_run, branch=branch)
        if dry_run or not plan.changes_anything:
            return result
        collected = _Collect()
        apply_plan(collected, registry, plan)
        changed = {
            (f"{prefix}/{rel}" if prefix else rel): data
            for rel, data in collected.files.items()
            if files.read(rel) != data
        }
        if changed:
            result.commit = repo.commit_to_new_branch(branch, changed, plan.message(), author)
            result.files = sorted(changed)
    return result
