"""Replaying git history month by month: counts follow the commits, broken months are gaps, git is called sparingly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from socialgov.errors import SocialgovError
from socialgov.htmlreport import history as history_module
from socialgov.htmlreport.history import History, MonthPoint, monthly_history
from socialgov.registry.files import TreeFiles
from socialgov.registry.load import load_registry
from socialgov.vcs import Repo
from tests.conftest import from_template
from tests.htmlreport.conftest import SETTINGS, commit_all, git_at, write_files

PEOPLE = """\
[people.alice]
name = "Alice"
email = "alice@example.com"

[people.bob]
name = "Bob"
email = "bob@example.com"
status = "{bob}"
"""
BLOG = 'owners = ["{owner}"]\n'
DOMAIN = 'owners = ["alice"]\naccess = [{access}]\n'
SOCIAL = 'owners = ["alice"]\n\n[social]\nmfa = true\n'


def _month(year: int, month: int) -> date:
    return date(year, month, 1)


@pytest.fixture
def repo_with_history(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository whose registry sits in a subfolder, with commits spread over half a year
    (built once per test process, then copied: the same commits)."""
    top = from_template("htmlreport-history", tmp_path / "repo", _build_history)
    return top / "registry", dict(_SHAS)


_SHAS: dict[str, str] = {}


def _build_history(top: Path) -> None:
    root = top / "registry"
    root.mkdir(parents=True)
    git_at(top, "2026-01-10T09:00:00+00:00", "init", "-q", "-b", "main")
    shas = _SHAS
    write_files(
        root,
        {
            "socialgov.toml": SETTINGS,
            "people.toml": PEOPLE.format(bob="active"),
            "assets/blogs/team-blog.toml": BLOG.format(owner="bob"),
            "assets/domains/d1.example.toml": DOMAIN.format(access='"bob"'),
            "assets/social/x/corp.toml": SOCIAL,
        },
    )
    write_files(top, {"README.md": "not part of the registry\n"})
    shas["jan-1"] = commit_all(top, "2026-01-10T09:00:00+00:00", "start")
    write_files(root, {"assets/domains/d2.example.toml": DOMAIN.format(access="")})
    shas["jan-2"] = commit_all(top, "2026-01-20T09:00:00+00:00", "add d2")
    # February: no commit at all.
    write_files(root, {"people.toml": PEOPLE.format(bob="departed")})
    shas["mar"] = commit_all(top, "2026-03-05T09:00:00+00:00", "bob leaves")
    write_files(root, {"assets/blogs/team-blog.toml": BLOG.format(owner="alice")})
    shas["apr"] = commit_all(top, "2026-04-25T09:00:00+00:00", "blog to alice")
    write_files(root, {"people.toml": "[people.alice\nname = 'broken"})
    shas["may"] = commit_all(top, "2026-05-10T09:00:00+00:00", "a bad edit")
    write_files(
        root,
        {
            "people.toml": PEOPLE.format(bob="departed"),
            "assets/domains/d1.example.toml": DOMAIN.format(access=""),
        },
    )
    shas["jun"] = commit_all(top, "2026-06-01T09:00:00+00:00", "fix people, drop bob's access")
    write_files(root, {"assets/blogs/team-blog.toml": BLOG.format(owner="bob")})
    shas["after-today"] = commit_all(top, "2026-06-20T09:00:00+00:00", "after --today")


def test_monthly_counts_follow_the_commits(repo_with_history: tuple[Path, dict[str, str]]) -> None:
    root, shas = repo_with_history
    result = monthly_history(root, today=date(2026, 6, 15), months=7)
    assert [p.month for p in result.points] == [
        _month(2025, 12),
        *(_month(2026, m) for m in range(1, 7)),
    ]
    dec, jan, feb, mar, apr, may, jun = result.points
    assert dec == MonthPoint(_month(2025, 12), None, note="before the registry's first commit")
    assert (jan.commit, jan.assets, jan.orphaned, jan.departed_held) == (shas["jan-2"], 4, 0, 0)
    assert (feb.commit, feb.assets, feb.orphaned, feb.departed_held) == (shas["jan-2"], 4, 0, 0)
    # bob departs: his blog is orphaned, and he still owns it and holds d1's credentials
    assert (mar.commit, mar.orphaned, mar.departed_held) == (shas["mar"], 1, 2)
    assert (apr.commit, apr.orphaned, apr.departed_held) == (shas["apr"], 0, 1)
    assert may.is_gap and may.commit == shas["may"]
    assert may.note is not None and "people.toml" in may.note
    # the commit after --today does not count
    assert (jun.commit, jun.orphaned, jun.departed_held) == (shas["jun"], 0, 0)
    assert [p.month for p in result.gaps] == [_month(2025, 12), _month(2026, 5)]


def test_a_tree_read_from_objects_equals_load_registry(
    repo_with_history: tuple[Path, dict[str, str]],
) -> None:
    root, shas = repo_with_history
    repo = Repo.find(root)
    reader = history_module._TreeReader(repo.top, "registry")
    for key in ("jan-1", "mar", "apr", "jun"):
        ours = reader.load(shas[key])
        theirs = load_registry(root, files=TreeFiles(repo.read_tree(shas[key], "registry")))
        assert ours.settings == theirs.settings
        assert ours.roster == theirs.roster
        assert {k: a.data for k, a in ours.assets.items()} == {
            k: a.data for k, a in theirs.assets.items()
        }


def test_git_runs_once_for_the_log_then_a_diff_and_a_batch_per_distinct_commit(
    repo_with_history: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = repo_with_history
    calls: list[str] = []
    real = history_module.run_git

    def counting(cwd: Path, *args: str, **kwargs: object) -> bytes:
        calls.append(args[0])
        return real(cwd, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(history_module, "run_git", counting)
    monthly_history(root, today=date(2026, 6, 15), months=24)
    distinct_commits = 5  # jan-2, mar, apr, may, jun
    assert calls.count("log") == 1
    assert calls.count("ls-tree") == 1
    assert calls.count("diff-tree") == distinct_commits - 1
    assert calls.count("cat-file") <= distinct_commits
    assert len(calls) <= 1 + 2 * distinct_commits
    assert "checkout" not in calls


def test_incremental_counts_equal_judging_every_asset_every_month(tmp_path: Path) -> None:
    """People depart, come back, change e-mail; teams change; assets change hands."""
    top = tmp_path / "repo"
    top.mkdir()
    git_at(top, "2026-01-01T09:00:00+00:00", "init", "-q", "-b", "main")
    people = {
        h: {"status": "active", "email": f"{h}@example.com"} for h in ("ann", "ben", "cy", "dee")
    }
    assets = {
        "assets/domains/a.example.toml": 'owners = ["team:ops"]\n\n[contacts]\nadmin_email = "cy@example.com"\n',
        "assets/domains/b.example.toml": 'owners = ["ann"]\naccess = ["ben"]\n',
        "assets/social/x/c.toml": 'owners = ["dee"]\n\n[social]\nrecovery_phone_holder = "ben"\n',
        "assets/blogs/d.toml": 'owners = ["cy", "team:ops"]\n',
    }
    team = ["ann", "ben"]

    def roster() -> str:
        out = [
            f'[people.{h}]\nname = "{h}"\nemail = "{p["email"]}"\nstatus = "{p["status"]}"\n\n'
            for h, p in people.items()
        ]
        return "".join(out) + f"[teams.ops]\nmembers = {team!r}\n".replace("'", '"')

    steps = [
        lambda: None,
        lambda: people["ben"].update(status="departed"),
        lambda: people["ann"].update(status="departed"),
        lambda: team.remove("ben"),
        lambda: people["cy"].update(email="cy.new@example.com"),
        lambda: people["ann"].update(status="active"),
        lambda: assets.update({"assets/blogs/d.toml": 'owners = ["ben"]\n'}),
        lambda: people["dee"].update(status="on_leave"),
        lambda: assets.update({"assets/domains/e.example.toml": 'owners = ["ben"]\n'}),
        lambda: assets.pop("assets/domains/b.example.toml"),
        lambda: assets.update({"assets/.old/f.toml": 'owners = ["ben"]\n'}),  # hidden: no asset
        lambda: assets.update({"assets/misplaced.toml": 'owners = ["ann"]\n'}),  # unreadable
        lambda: assets.pop("assets/misplaced.toml"),
        lambda: people["ben"].update(status="active"),
    ]
    for month, step in enumerate(steps, start=1):
        step()
        (top / "assets").mkdir(exist_ok=True)
        for stale in (top / "assets").rglob("*.toml"):
            stale.unlink()
        write_files(top, {"socialgov.toml": SETTINGS, "people.toml": roster(), **assets})
        year, index = divmod(month - 1, 12)
        commit_all(top, f"{2025 + year}-{index + 1:02d}-10T09:00:00+00:00", f"step {month}")

    year, index = divmod(len(steps) - 1, 12)
    result = monthly_history(top, today=date(2025 + year, index + 1, 28), months=len(steps))
    repo = Repo.find(top)
    from socialgov.model.ownership import is_departed_held, is_orphaned

    assert [p.is_gap for p in result.points].count(True) == 1
    for point in result.points:
        assert point.commit is not None
        files = TreeFiles(repo.read_tree(point.commit, ""))
        if point.is_gap:
            with pytest.raises(SocialgovError):
                load_registry(top, files=files)
            continue
        registry = load_registry(top, files=files)
        assert point.assets == len(registry.assets)
        expected = (
            sum(is_orphaned(a, registry.roster) for a in registry.assets.values()),
            sum(is_departed_held(a, registry.roster) for a in registry.assets.values()),
        )
        assert (point.orphaned, point.departed_held) == expected, point.month
    assert len({(p.orphaned, p.departed_held) for p in result.points}) >= 4


def test_seeding_from_the_working_tree_changes_nothing(
    repo_with_history: tuple[Path, dict[str, str]],
) -> None:
    root, _ = repo_with_history
    seed = load_registry(root)
    plain = monthly_history(root, today=date(2026, 6, 15), months=7)
    seeded = monthly_history(root, today=date(2026, 6, 15), months=7, seed=seed)
    assert seeded == plain


def test_no_git_repository_means_no_history(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    write_files(root, {"socialgov.toml": SETTINGS})
    result = monthly_history(root, today=date(2026, 6, 15), months=3)
    assert result == History(
        (), note="The registry is not in a git repository, so it has no history."
    )


def test_gaps_show_on_the_page_with_their_note(
    repo_with_history: tuple[Path, dict[str, str]],
) -> None:
    from socialgov.htmlreport import build_report
    from tests.htmlreport.conftest import parse_html

    root, _ = repo_with_history
    page, data = build_report(root, today=date(2026, 6, 15), months=7)
    assert data.history is not None and len(data.history.points) == 7
    section = parse_html(page).find("section", id="history")
    assert "May 2026" in section.words and "people.toml" in section.words
    assert "1 month before the first commit is shown as a gap" in section.words
    rows = section.find("table").find("tbody").find_all("tr")
    orphaned = [r.find_all("td")[2].words for r in rows]
    assert orphaned == ["—", "0", "0", "1", "0", "—", "0"]


def test_a_month_whose_blobs_git_lost_is_a_gap_that_names_the_file(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    git_at(top, "2026-01-01T09:00:00+00:00", "init", "-q", "-b", "main")
    files = {
        "socialgov.toml": SETTINGS,
        "people.toml": PEOPLE.format(bob="active"),
        "assets/blogs/b.toml": BLOG.format(owner="bob"),
        "assets/domains/a.example.toml": 'owners = ["alice"]  # lost\n',
    }
    write_files(top, files)
    commit_all(top, "2026-01-10T09:00:00+00:00", "one")
    lost = git_at(
        top, "2026-01-10T09:00:00+00:00", "rev-parse", "HEAD:assets/domains/a.example.toml"
    )
    write_files(top, {"assets/domains/a.example.toml": DOMAIN.format(access="")})
    commit_all(top, "2026-02-10T09:00:00+00:00", "two")
    oid = lost.strip()
    (top / ".git" / "objects" / oid[:2] / oid[2:]).unlink()

    jan, feb = monthly_history(top, today=date(2026, 2, 20), months=2).points
    assert jan.is_gap and jan.note == (
        f"not readable at {jan.commit[:10]}: git objects missing for assets/domains/a.example.toml"
    )
    assert (feb.assets, feb.orphaned, feb.departed_held) == (2, 0, 0)


def test_the_page_is_the_same_whether_the_history_is_replayed_in_a_child_or_not(
    repo_with_history: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialgov import forked
    from socialgov.htmlreport import build_report

    root, _ = repo_with_history
    today = date(2026, 6, 15)
    page, data = build_report(root, today=today, months=8)
    assert data.history is not None and len(data.history.points) == 8
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    alone, _ = build_report(root, today=today, months=8)
    assert alone == page
    # the replay's own errors come from the parent's run, as without a child
    with pytest.raises(SocialgovError, match="--months 0"):
        build_report(root, today=today, months=0)
    monkeypatch.undo()
    with pytest.raises(SocialgovError, match="--months 0"):
        build_report(root, today=today, months=0)
