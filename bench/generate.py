"""Write a synthetic socialgov registry of any size, for benchmarks and load tests.

    python bench/generate.py OUT_DIR --assets 10000 --people 2000 [--seed 1] [--git]

The output is deterministic for a given seed. It mixes healthy assets with the usual
trouble (departed owners, personal contact addresses, accounts without MFA, domains
about to expire) in roughly realistic proportions, so that audits have work to do.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ORG = "Synthetic Trading Ltd"
EMAIL_DOMAIN = "synthetic.example"
TODAY = date(2026, 11, 23)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "anna ben carla david elena felix greta hugo ines jonas karin lars maria nils olga "
    "paul quinn rosa sven tara ulla victor wanda xaver yara zeno amir bea chen dina emil "
    "fatima gus hana ivan jana kofi lena mats noor omar pia raj sara timo uma vera"
)
LAST = _words(
    "schmidt jensen rossi novak kim okafor lindqvist moreau petrova carter becker webb "
    "lund tanaka raman sorensen oneill garcia muller nowak silva dubois ivanova hansen "
    "berg costa meyer fischer weber wagner"
)
DEPARTMENTS = ("Marketing", "IT", "Web", "Sales", "HR", "Finance", "Support", "Legal")
WORDS = _words(
    "north wind trade spice tea coffee harbor market fresh green kitchen garden field "
    "river stone maple cedar summer winter spring autumn bright blue silver golden urban "
    "coast valley peak"
)
REGISTRARS = (
    "MarkMonitor Inc.",
    "Gandi SAS",
    "Key-Systems GmbH",
    "NameCheap, Inc.",
    "GoDaddy.com, LLC",
)
NAME_SERVERS = (
    ("ns1.dnshost.example", "ns2.dnshost.example"),
    ("a.ns.cdn.example", "b.ns.cdn.example"),
    ("dns1.registrar-servers.example", "dns2.registrar-servers.example"),
)
BLOG_PLATFORMS = ("wordpress.com", "medium", "ghost", "blogger", "substack", "self-hosted")
SOCIAL_PLATFORMS = (
    "x",
    "linkedin",
    "instagram",
    "youtube",
    "tiktok",
    "facebook",
    "mastodon",
    "pinterest",
)
FREEMAIL = ("gmail.example", "mail.example", "outlook.example")
CRITICALITIES = ("low", "medium", "high")
CRITICALITY_WEIGHTS = (4, 4, 2)

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench Generator",
    "GIT_AUTHOR_EMAIL": "bench@synthetic.example",
    "GIT_COMMITTER_NAME": "Bench Generator",
    "GIT_COMMITTER_EMAIL": "bench@synthetic.example",
    "GIT_AUTHOR_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    handle: str
    name: str
    email: str
    department: str
    status: str
    personal: str | None


def _q(text: str) -> str:
    """A TOML basic string: JSON's escapes are a subset of TOML's."""
    return json.dumps(text)


def _qs(items: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def _day(rng: random.Random, start: date, span_days: int) -> date:
    return start + timedelta(days=rng.randrange(span_days))


def _criticality(rng: random.Random) -> str:
    return rng.choices(CRITICALITIES, CRITICALITY_WEIGHTS)[0]


def _make_people(rng: random.Random, count: int) -> list[SyntheticPerson]:
    people: list[SyntheticPerson] = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        handle = f"{first}.{last}{i}"
        roll = rng.random()
        status = "departed" if roll < 0.10 else "on_leave" if roll < 0.13 else "active"
        personal = f"{first}{last}{i}@{rng.choice(FREEMAIL)}" if rng.random() < 0.2 else None
        people.append(
            SyntheticPerson(
                handle=handle,
                name=f"{first.title()} {last.title()}",
                email=f"{handle}@{EMAIL_DOMAIN}",
                department=rng.choice(DEPARTMENTS),
                status=status,
                personal=personal,
            )
        )
    return people


def _people_toml(
    rng: random.Random, people: list[SyntheticPerson], teams: dict[str, list[str]]
) -> str:
    out = [
        f"# Synthetic roster: {len(people)} people, {len(teams)} teams.\n",
    ]
    for i, person in enumerate(people):
        out.append(f"\n[people.{_q(person.handle)}]\n")
        out.append(f"name = {_q(person.name)}\nemail = {_q(person.email)}\n")
        out.append(f'status = "{person.status}"\ndepartment = {_q(person.department)}\n')
        if i > 0:
            out.append(f"manager = {_q(people[rng.randrange(min(i, 50))].handle)}\n")
        if person.personal:
            out.append(f"other_emails = {_qs([person.personal])}\n")
        if person.status == "departed":
            out.append(f"departed_on = {_day(rng, date(2025, 1, 1), 690).isoformat()}\n")
    for name, members in teams.items():
        out.append(f"\n[teams.{_q(name)}]\nmembers = {_qs(members)}\n")
    return "".join(out)


def _owners(rng: random.Random, people: list[SyntheticPerson], team_names: list[str]) -> list[str]:
    count = min(rng.choices((1, 2, 3), (3, 5, 2))[0], len(people))
    owners: list[str] = []
    for _ in range(count * 10):  # duplicates are skipped; small rosters may give fewer owners
        if len(owners) == count:
            break
        roll = rng.random()
        if team_names and roll < 0.15:
            candidate = "team:" + rng.choice(team_names)
        elif 0.15 <= roll < 0.155:
            candidate = f"contractor{rng.randrange(100)}"  # not in the roster
        else:
            candidate = rng.choice(people).handle
        if candidate not in owners:
            owners.append(candidate)
    return owners


def _common(rng: random.Random, people: list[SyntheticPerson], team_names: list[str]) -> list[str]:
    lines = [f"owners = {_qs(_owners(rng, people, team_names))}"]
    if rng.random() < 0.2:
        lines.append(f"access = {_qs([rng.choice(people).handle])}")
    lines.append(f"department = {_q(rng.choice(DEPARTMENTS))}")
    lines.append(f'criticality = "{_criticality(rng)}"')
    if rng.random() < 0.03:
        lines.append('status = "retired"')
        lines.append(f"retired_on = {_day(rng, date(2020, 1, 1), 2000).isoformat()}")
        lines.append('retired_reason = "No longer used."')
    lines.append(f"tags = {_qs(rng.sample(WORDS, 2))}")
    if rng.random() < 0.9:
        lines.append(f"last_reviewed = {_day(rng, date(2025, 6, 1), 540).isoformat()}")
    if rng.random() < 0.5:
        lines.append(f"notes = {_q('Synthetic asset for benchmarks; ' + rng.choice(WORDS) + '.')}")
    return lines


def _contact(rng: random.Random, people: list[SyntheticPerson], mailbox: str) -> str:
    """Mostly a company mailbox; sometimes a person's work or personal address."""
    if rng.random() < 0.8:
        return f"{mailbox}@{EMAIL_DOMAIN}"
    person = rng.choice(people)
    return person.personal or person.email


def _domain_file(
    rng: random.Random, name: str, people: list[SyntheticPerson], teams: list[str]
) -> tuple[str, str | None]:
    registrar = rng.choice(REGISTRARS)
    name_servers = rng.choice(NAME_SERVERS)
    expires = _day(rng, TODAY - timedelta(days=60), 900)
    lines = _common(rng, people, teams)
    lines += [
        "",
        "[domain]",
        f"registrar = {_q(registrar)}",
        f"registrant = {_q(ORG)}",
        f"expires = {expires.isoformat()}",
        f"auto_renew = {'true' if rng.random() < 0.85 else 'false'}",
        f"name_servers = {_qs(name_servers)}",
        "",
        "[contacts]",
        f"registrant_email = {_q(_contact(rng, people, 'hostmaster'))}",
    ]
    observation = None
    if rng.random() < 0.2:
        observation = _observation(rng, name, registrar, expires, name_servers)
    return "\n".join(lines) + "\n", observation


def _observation(
    rng: random.Random,
    name: str,
    registrar: str,
    expires: date,
    name_servers: tuple[str, ...],
) -> str:
    redacted = rng.random() < 0.3
    fetched = datetime(2026, 11, 20, 6, tzinfo=UTC) - timedelta(hours=rng.randrange(24 * 60))
    if rng.random() < 0.05:
        name_servers = ("ns1.elsewhere.example", "ns2.elsewhere.example")
    statuses = ["clientTransferProhibited"] if rng.random() < 0.9 else ["active"]
    lines = [
        f"domain = {_q(name)}",
        "registered = true",
        f'source = "{rng.choice(("rdap", "whois"))}"',
        'server = "rdap.nic.example"',
        f"registrar = {_q(registrar)}",
    ]
    if not redacted:
        org = ORG if rng.random() < 0.95 else "Some Agency GmbH"
        lines.append(f"registrant_org = {_q(org)}")
    lines += [
        f"registrant_redacted = {'true' if redacted else 'false'}",
        f"created = {_day(rng, date(2000, 1, 1), 9000).isoformat()}",
        f"expires = {expires.isoformat()}",
        f"updated = {_day(rng, date(2025, 1, 1), 600).isoformat()}",
        f"name_servers = {_qs(name_servers)}",
        f"statuses = {_qs(statuses)}",
        f"fetched_at = {fetched.strftime('%Y-%m-%dT%H:%M:%SZ')}",
    ]
    return "\n".join(lines) + "\n"


def _blog_file(
    rng: random.Random,
    name: str,
    domains: list[str],
    people: list[SyntheticPerson],
    teams: list[str],
) -> str:
    lines = _common(rng, people, teams)
    platform = rng.choice(BLOG_PLATFORMS)
    lines += ["", "[blog]", f"platform = {_q(platform)}"]
    if platform == "self-hosted" and domains:
        domain = rng.choice(domains) if rng.random() < 0.9 else f"ungoverned-{name}.example"
        lines.append(f"url = {_q(f'https://blog.{domain}/')}")
        lines.append(f"domain = {_q('domain:' + domain)}")
    else:
        host = platform.replace(".", "-")
        lines.append(f"url = {_q(f'https://{name}.{host}.example/')}")
    if rng.random() < 0.3:
        lines += ["", "[contacts]", f"admin_email = {_q(_contact(rng, people, 'web'))}"]
    return "\n".join(lines) + "\n"


def _social_file(
    rng: random.Random,
    platform: str,
    handle: str,
    people: list[SyntheticPerson],
    teams: list[str],
) -> str:
    lines = _common(rng, people, teams)
    lines += [
        "",
        "[social]",
        f"platform = {_q(platform)}",
        f"handle = {_q(handle)}",
        f"url = {_q(f'https://{platform}.example/{handle}')}",
        f"mfa = {'true' if rng.random() < 0.85 else 'false'}",
        f"recovery_email = {_q(_contact(rng, people, 'social'))}",
        f"credential_ref = {_q(f'vault://Marketing/{platform}/{handle}')}",
        f"credentials_rotated = {_day(rng, date(2025, 1, 1), 690).isoformat()}",
    ]
    if rng.random() < 0.5:
        lines.append(f"recovery_phone_holder = {_q(rng.choice(people).handle)}")
    return "\n".join(lines) + "\n"


SETTINGS_TOML = f"""\
[organization]
name = {_q(ORG)}
email_domains = [{_q(EMAIL_DOMAIN)}]

[policy]
files = []

[lookup]
order = ["rdap", "whois"]
timeout_s = 10
concurrency = 8
per_server = 2
cache_hours = 24
"""


def generate(root: Path, assets: int, people: int, seed: int = 1) -> None:
    """Write a registry of `assets` assets (~50% domains, 20% blogs, 30% social) and `people` people."""
    if people < 1:
        raise ValueError("people must be at least 1")
    rng = random.Random(seed)
    roster = _make_people(rng, people)
    team_count = max(1, people // 20)
    teams = {
        f"team-{i}-{rng.choice(WORDS)}": sorted(
            {p.handle for p in rng.sample(roster, min(len(roster), rng.randint(3, 8)))}
        )
        for i in range(team_count)
    }
    team_names = list(teams)

    root.mkdir(parents=True, exist_ok=True)
    (root / "socialgov.toml").write_text(SETTINGS_TOML, encoding="utf-8")
    (root / "people.toml").write_text(_people_toml(rng, roster, teams), encoding="utf-8")
    (root / "waivers.toml").write_text("# No waivers in the synthetic registry.\n")

    n_domains = assets // 2
    n_blogs = assets // 5
    n_social = assets - n_domains - n_blogs
    domain_dir = root / "assets" / "domains"
    blog_dir = root / "assets" / "blogs"
    observation_dir = root / "observations"
    for folder in (domain_dir, blog_dir, observation_dir):
        folder.mkdir(parents=True, exist_ok=True)

    domains: list[str] = []
    for i in range(n_domains):
        name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}.example"
        domains.append(name)
        text, observation = _domain_file(rng, name, roster, team_names)
        (domain_dir / f"{name}.toml").write_text(text, encoding="utf-8")
        if observation is not None:
            (observation_dir / f"{name}.toml").write_text(observation, encoding="utf-8")
    for i in range(n_blogs):
        name = f"{rng.choice(WORDS)}-blog-{i}"
        text = _blog_file(rng, name, domains, roster, team_names)
        (blog_dir / f"{name}.toml").write_text(text, encoding="utf-8")
    made: set[str] = set()
    for i in range(n_social):
        platform = SOCIAL_PLATFORMS[i % len(SOCIAL_PLATFORMS)]
        if platform not in made:
            (root / "assets" / "social" / platform).mkdir(parents=True, exist_ok=True)
            made.add(platform)
        handle = f"{rng.choice(WORDS)}_{rng.choice(WORDS)}{i}"
        text = _social_file(rng, platform, handle, roster, team_names)
        path = root / "assets" / "social" / platform / f"{handle}.toml"
        path.write_text(text, encoding="utf-8")


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)


def git_commit(root: Path) -> None:
    """Make `root` a git repository with one commit of everything, by a fixed author and date
    (again when --keep regenerated an unchanged registry: the commit is then empty)."""
    _git(root, "-c", "init.defaultBranch=main", "init", "-q")
    _git(root, "add", "-A")
    _git(
        root,
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "synthetic registry",
    )


SCRATCH = "bench-scratch.txt"


def bypass_output_memo(root: Path) -> None:
    """Rewrite a file of the registry, so that the next socialgov run does its work rather
    than print its memo of the last run's output (socialgov/registry/output_memo.py)."""
    (root / SCRATCH).write_text(f"{time.time_ns()}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic socialgov registry.")
    parser.add_argument("out", type=Path, help="output folder (created; must not hold a registry)")
    parser.add_argument("--assets", type=int, default=10_000, help="number of assets")
    parser.add_argument("--people", type=int, default=2_000, help="number of people")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--git", action="store_true", help="git init and commit the result")
    args = parser.parse_args(argv)
    if (args.out / "socialgov.toml").exists():
        parser.error(f"{args.out} already holds a registry")
    started = time.perf_counter()
    generate(args.out, args.assets, args.people, args.seed)
    if args.git:
        git_commit(args.out)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {args.assets} assets and {args.people} people to {args.out} in {elapsed:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
