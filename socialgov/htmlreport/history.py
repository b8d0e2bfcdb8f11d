"""Ownership health over time: orphaned and departed-held counts at the end of each month of git history.

Each month is read from the last first-parent commit made by its end, straight from git
objects (nothing is checked out). Blobs are fetched once and parsed once across months,
so replaying two years of a large registry costs little more than loading it once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from socialgov.errors import GitError, InputError, SocialgovError
from socialgov.htmlreport.data import month_start
from socialgov.model import TEAM_PREFIX, Asset, AssetId, Registry, Roster, Settings, SourceText
from socialgov.model.ownership import is_departed_held, is_orphaned
from socialgov.registry import paths
from socialgov.registry.files import TreeFiles
from socialgov.registry.load import asset_id_for, load_settings, parse_asset, parse_roster
from socialgov.vcs import Repo, run_git

MAX_MONTHS = 120
_NOT_FILES = (b"120000", b"160000")  # symbolic links and submodules


@dataclass(frozen=True, slots=True)
class MonthPoint:
    """The registry as it stood at the end of one month; counts are None for a gap."""

    month: date  # the first day of the month
    commit: str | None
    assets: int | None = None
    orphaned: int | None = None
    departed_held: int | None = None
    note: str | None = None

    @property
    def is_gap(self) -> bool:
        return self.orphaned is None


@dataclass(frozen=True)
class History:
    points: tuple[MonthPoint, ...]
    note: str | None = None  # why there is no history at all, when there is none

    @property
    def gaps(self) -> list[MonthPoint]:
        return [p for p in self.points if p.is_gap]


@dataclass(frozen=True, slots=True)
class _Counts:
    assets: int
    orphaned: int
    departed_held: int


def monthly_history(
    root: Path, *, today: date, months: int = 24, seed: Registry | None = None
) -> History:
    """One point per month for the `months` months up to and including today's.

    `seed`, the registry already loaded from the working tree, saves parsing again the
    files that history shares with it.
    """
    if not 1 <= months <= MAX_MONTHS:
        from socialgov.errors import UsageError

        raise UsageError(f"--months {months}: expected 1 to {MAX_MONTHS}")
    try:
        repo = Repo.find(root)
    except GitError:
        return History((), note="The registry is not in a git repository, so it has no history.")
    prefix = repo.rel(root)
    prefix = "" if prefix == "." else prefix
    commits = _first_parent_log(repo.top)
    if not commits:
        return History((), note="The registry has no commits yet.")
    reader = _TreeReader(repo.top, prefix)
    if seed is not None:
        reader.seed(seed)
    counted: dict[str, _Counts | str] = {}
    points = []
    for offset in range(-(months - 1), 1):
        start = month_start(today, offset)
        end = min(month_start(today, offset + 1), today + timedelta(days=1))
        sha = next((sha for sha, day in commits if day < end), None)
        if sha is None:
            points.append(MonthPoint(start, None, note="before the registry's first commit"))
            continue
        if sha not in counted:
            counted[sha] = reader.count(sha)
        counts = counted[sha]
        if isinstance(counts, str):
            points.append(MonthPoint(start, sha, note=counts))
        else:
            points.append(
                MonthPoint(start, sha, counts.assets, counts.orphaned, counts.departed_held)
            )
    return History(tuple(points))


def _first_parent_log(top: Path) -> list[tuple[str, date]]:
    """Every first-parent commit of HEAD, newest first, with its committer's calendar date."""
    out = run_git(top, "log", "--first-parent", "--format=%H %cI", "HEAD", "--", check=False)
    commits = []
    for line in out.decode("utf-8", "replace").splitlines():
        sha, _, stamp = line.partition(" ")
        try:
            commits.append((sha, datetime.fromisoformat(stamp).date()))
        except ValueError:
            continue
    return commits


class _TreeReader:
    """Reads registry trees of several commits, fetching and parsing each distinct blob once.

    From one commit to the next only git's difference is read, and the month's counts are
    kept up to date rather than made again: only the assets whose file changed, or that
    name a person, team or e-mail whose record changed, are judged again (with the
    ownership module's own functions).
    """

    def __init__(self, top: Path, prefix: str) -> None:
        self.top = top
        self.prefix = prefix
        self.assets: dict[tuple[str, str], Asset] = {}
        self.rosters: dict[str, tuple[Roster, SourceText]] = {}
        self.roster_tables: dict[str, Any] = {}  # people.toml tables parsed, by their text
        self.settings: dict[str, Settings] = {}
        self.ids: dict[str, AssetId | InputError | None] = {}
        self.refs: dict[tuple[str, str], frozenset[str]] = {}
        self.last_listing: tuple[str, dict[str, str]] | None = None
        # The asset files of the last listing (path → blob id), those of them not parsed
        # yet, and those whose path is no asset's.
        self.current: dict[str, str] = {}
        self.unparsed: set[str] = set()
        self.misplaced: dict[str, InputError] = {}
        # The counts as of the last month counted: the asset files changed since (None:
        # count again from scratch), each counted file's blob id and verdicts, and the
        # counted files by the roster entries their verdicts depend on.
        self.judged_with: Roster | None = None
        self.unseen: set[str] | None = None
        self.counted: dict[str, tuple[str, bool, bool]] = {}
        self.by_ref: dict[str, set[str]] = {}
        self.orphaned = self.held = 0

    def seed(self, registry: Registry) -> None:
        """Reuse what the working tree's registry already parsed, found by git blob id."""
        for asset in registry.assets.values():
            self.assets[(asset.file, blob_id(asset.source.text.encode("utf-8")))] = asset
        people = registry.sources.get(paths.PEOPLE_FILE)
        if people is not None:
            self.rosters[blob_id(people.text.encode("utf-8"))] = (registry.roster, people)

    def count(self, sha: str) -> _Counts | str:
        """The month's figures, or a one-line note saying why the tree could not be read."""
        try:
            _, roster = self._load(sha)
        except SocialgovError as exc:
            return f"not readable at {sha[:10]}: {exc.message}"
        changes = None if self.judged_with is None else _roster_changes(self.judged_with, roster)
        self.judged_with = roster
        unseen, self.unseen = self.unseen, set()
        if unseen is None or changes is None:
            for rel in list(self.counted):
                self._forget(rel)
            again: set[str] = set(self.current)
        else:
            again = {rel for rel in unseen if rel in self.current}
            for ref in changes:
                again.update(self.by_ref.get(ref, ()))
            for rel in unseen | again:
                self._forget(rel)
        for rel in again:
            self._judge(rel, roster)
        return _Counts(assets=len(self.current), orphaned=self.orphaned, departed_held=self.held)

    def _forget(self, rel: str) -> None:
        """Take an asset file out of the counts."""
        counted = self.counted.pop(rel, None)
        if counted is None:
            return
        oid, orphaned, held = counted
        self.orphaned -= orphaned
        self.held -= held
        for ref in self.refs[(rel, oid)]:
            self.by_ref[ref].discard(rel)

    def _judge(self, rel: str, roster: Roster) -> None:
        """Count an asset file of the current listing, with `roster`."""
        key = (rel, self.current[rel])
        asset = self.assets[key]
        orphaned, held = is_orphaned(asset, roster), is_departed_held(asset, roster)
        self.counted[rel] = (key[1], orphaned, held)
        self.orphaned += orphaned
        self.held += held
        refs = self.refs.get(key)
        if refs is None:
            refs = self.refs[key] = _references(asset)
        for ref in refs:
            self.by_ref.setdefault(ref, set()).add(rel)

    def load(self, sha: str) -> Registry:
        """The registry `load_registry(root, files=TreeFiles(...))` gives for `sha`."""
        listing, roster = self._load(sha)
        settings, people = self._settings_and_people(listing)
        keys = [(rel, self.current[rel]) for rel in sorted(self.current)]
        return Registry(
            root=self.top / self.prefix,
            settings=settings,
            roster=roster,
            assets={self.assets[key].id: self.assets[key] for key in keys},
            sources={paths.PEOPLE_FILE: people[1]} if people else {},
        )

    def _load(self, sha: str) -> tuple[dict[str, str], Roster]:
        """The commit's listing, with its asset files (`current`) all parsed, and its roster."""
        listing, changed = self._ls_tree(sha)
        self._follow(listing, changed)
        if paths.SETTINGS_FILE not in listing:
            raise SocialgovError(f"no {paths.SETTINGS_FILE} in this commit")
        if self.misplaced:
            raise self.misplaced[min(self.misplaced)]
        wanted = [self.current[rel] for rel in sorted(self.unparsed)]
        for rel in (paths.SETTINGS_FILE, paths.PEOPLE_FILE):
            oid = listing.get(rel)
            if oid is not None and oid not in self.settings and oid not in self.rosters:
                wanted.append(oid)
        blobs = self._fetch(wanted)
        if len(blobs) < len(set(wanted)):
            lost = {oid for oid in wanted if oid not in blobs}
            missing = sorted(rel for rel, oid in listing.items() if oid in lost)
            raise SocialgovError(f"git objects missing for {missing[0]}")
        _, people = self._settings_and_people(listing, blobs)
        for rel in sorted(self.unparsed):
            oid = self.current[rel]
            asset_id = self.ids[rel]
            assert isinstance(asset_id, AssetId)
            self.assets[(rel, oid)] = parse_asset(asset_id, rel, blobs[oid])
            self.unparsed.discard(rel)
        return listing, people[0] if people else Roster()

    def _follow(self, listing: Mapping[str, str], changed: set[str] | None) -> None:
        """Bring `current` and what hangs on it to `listing`, whose files `changed` (None:
        any) since the last listing."""
        if changed is None:
            self.current.clear()
            self.unparsed.clear()
            self.misplaced.clear()
            self.unseen = None
            changed = set(listing)
        elif self.unseen is not None:
            self.unseen.update(changed)
        for rel in changed:
            self.current.pop(rel, None)
            self.unparsed.discard(rel)
            self.misplaced.pop(rel, None)
            oid = listing.get(rel)
            if oid is None or not _visible_asset_path(rel):
                continue
            if rel not in self.ids:
                try:
                    self.ids[rel] = asset_id_for(rel)
                except InputError as exc:
                    self.ids[rel] = exc
            asset_id = self.ids[rel]
            if isinstance(asset_id, InputError):
                self.misplaced[rel] = asset_id
            elif asset_id is not None:
                self.current[rel] = oid
                if (rel, oid) not in self.assets:
                    self.unparsed.add(rel)

    def _settings_and_people(
        self, listing: Mapping[str, str], blobs: Mapping[str, bytes] | None = None
    ) -> tuple[Settings, tuple[Roster, SourceText] | None]:
        settings_oid = listing[paths.SETTINGS_FILE]
        if settings_oid not in self.settings:
            raw = (blobs or {})[settings_oid]
            self.settings[settings_oid] = load_settings(TreeFiles({paths.SETTINGS_FILE: raw}))
        people_oid = listing.get(paths.PEOPLE_FILE)
        if people_oid is None:
            return self.settings[settings_oid], None
        if people_oid not in self.rosters:
            self.rosters[people_oid] = parse_roster((blobs or {})[people_oid], self.roster_tables)
        return self.settings[settings_oid], self.rosters[people_oid]

    def _ls_tree(self, sha: str) -> tuple[dict[str, str], set[str] | None]:
        """Registry-relative path → blob id for every regular file of the registry at `sha`,
        and the paths that changed since the last listing (None: listed whole).

        After the first commit, only the difference from the previous one is asked of git.
        """
        if self.last_listing is not None:
            diffed = self._diff_tree(*self.last_listing, sha)
            if diffed is not None:
                self.last_listing = (sha, diffed[0])
                return diffed
        spec = f"{sha}:{self.prefix}" if self.prefix else sha
        out = run_git(self.top, "ls-tree", "-r", "-z", "--full-tree", spec, check=False)
        listing = {}
        for record in out.split(b"\0"):
            meta, tab, raw_path = record.partition(b"\t")
            if not tab:
                continue
            mode, kind, oid = meta.split()
            if kind == b"blob" and mode not in _NOT_FILES:
                listing[raw_path.decode("utf-8", "surrogateescape")] = oid.decode()
        self.last_listing = (sha, listing)
        return listing, None

    def _diff_tree(
        self, before: str, listing: Mapping[str, str], sha: str
    ) -> tuple[dict[str, str], set[str]] | None:
        if before == sha:
            return dict(listing), set()
        specs = [f"{rev}:{self.prefix}" if self.prefix else rev for rev in (before, sha)]
        try:
            out = run_git(self.top, "diff-tree", "-r", "-z", "--no-renames", *specs)
        except GitError:
            return None  # the registry's folder is missing from one of them
        fields = out.split(b"\0")
        changed = dict(listing)
        paths_changed = set()
        for meta, raw_path in zip(fields[0::2], fields[1::2], strict=False):
            parts = meta.split()
            if len(parts) != 5 or not parts[0].startswith(b":"):
                return None
            rel = raw_path.decode("utf-8", "surrogateescape")
            paths_changed.add(rel)
            if parts[4] == b"D" or parts[1] in _NOT_FILES:
                changed.pop(rel, None)
            else:
                changed[rel] = parts[3].decode()
        return changed, paths_changed

    def _fetch(self, oids: Sequence[str]) -> Mapping[str, bytes]:
        """Read blobs in one `git cat-file --batch` call."""
        oids = list(dict.fromkeys(oids))
        if not oids:
            return {}
        batch = run_git(
            self.top, "cat-file", "--batch", input="".join(o + "\n" for o in oids).encode()
        )
        return _parse_batch(batch, oids)


def _visible_asset_path(rel: str) -> bool:
    """A path under the assets folder that `TreeFiles.walk` lists (no hidden part)."""
    return rel.startswith(paths.ASSETS_DIR + "/") and "/." not in rel


def blob_id(data: bytes) -> str:
    """The id git gives a blob of `data`."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _references(asset: Asset) -> frozenset[str]:
    """Every roster entry an asset's ownership verdicts can depend on: handles, teams, e-mails."""
    refs = {*asset.owners, *asset.access}
    holder = asset.section.get("recovery_phone_holder")
    if isinstance(holder, str):
        refs.add(holder)
    refs.update("email:" + email.lower() for _, email in asset.contact_emails())
    return frozenset(refs)


def _roster_changes(old: Roster, new: Roster) -> frozenset[str] | None:
    """The handles, `team:NAME`s and `email:ADDRESS`es whose meaning differs; None: judge everything."""
    if old is new:
        return frozenset()
    if list(old.people) != list(new.people):
        return None  # people added, removed or reordered: which person an e-mail means may move
    changed: set[str] = set()
    for handle, before in old.people.items():
        after = new.people[handle]
        if (before.status, before.emails) != (after.status, after.emails):
            changed.add(handle)
            changed.update("email:" + email for email in (*before.emails, *after.emails))
    for name in old.teams.keys() | new.teams.keys():
        before_team, after_team = old.teams.get(name), new.teams.get(name)
        members = (
            before_team.members if before_team else None,
            after_team.members if after_team else None,
        )
        if members[0] != members[1] or any(m in changed for ms in members if ms for m in ms):
            changed.add(TEAM_PREFIX + name)
    return frozenset(changed)


def _parse_batch(batch: bytes, oids: Sequence[str]) -> Mapping[str, bytes]:
    found: dict[str, bytes] = {}
    offset = 0
    for oid in oids:
        header_end = batch.index(b"\n", offset)
        header = batch[offset:header_end].split()
        if len(header) != 3:  # "<oid> missing"
            offset = header_end + 1
            continue
        size = int(header[2])
        start = header_end + 1
        found[oid] = batch[start : start + size]
        offset = start + size + 1
    return found
