"""Everything an audit reads, built by one loader from the working tree or from a commit.

`load_audit_inputs(files, history_rev)` reads the registry, its policy, its waivers and —
lazily, on a rule's first use — its observations and their history, from `files` (the
working tree, or a commit's objects) and the git history as of `history_rev`. The audit
engine only evaluates these inputs; it never reads a file or runs git. `check --base`
builds both sides with this loader, so no input can be missing on one side.

Observation sources plug in through SOURCES: a name and a loader `(files, history)` →
the source's data. A rule reads one with `ctx.data.source(NAME)`; it is loaded once per
audit, and only when a rule asks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialgov.errors import ErrorCollector, InputError
from socialgov.lookup.observation import Observation
from socialgov.model import AssetId, Kind, Registry, Waiver
from socialgov.policy.config import Policy
from socialgov.registry import paths
from socialgov.registry.files import DiskFiles, Files
from socialgov.registry.load import ParseCache


@dataclass(frozen=True)
class History:
    """The registry's git history as of one commit: what history-reading sources query.

    `root` is the registry folder (git runs there); `rev` a commit id or "HEAD", or None
    for no history. Outside a git repository, or before the first commit, it is empty.
    `cache` holds parsed files that loaders may share between the two sides of a check.
    """

    root: Path
    rev: str | None
    cache: ParseCache | None = field(default=None, compare=False)  # shared by both sides

    def previous_observations(
        self, files: Files, only: Collection[str] | None = None
    ) -> dict[str, Observation]:
        from socialgov.policy.history_observations import previous_observations

        return previous_observations(self.root, self.rev, files, only)


SourceLoader = Callable[[Files, History], Any]


def _observations(files: Files, history: History) -> Mapping[str, Observation]:
    from socialgov.registry.load import load_observations

    return load_observations(files, history.cache, disk=history.root)


def _previous_observations(files: Files, history: History) -> Mapping[str, Observation]:
    return history.previous_observations(files)


def _lookalikes(files: Files, history: History) -> Mapping[str, Any]:
    from socialgov.lookalikes.store import load_lookalikes

    return load_lookalikes(files)


def _posture_cache(history: History) -> Path:
    return history.root / paths.CACHE_DIR / "cache"  # content-keyed: safe for any tree


def _dns_observations(files: Files, history: History) -> Mapping[str, Any]:
    from socialgov.posture.load import load_dns_observations

    return load_dns_observations(files, _posture_cache(history))


def _previous_dns_observations(files: Files, history: History) -> Mapping[str, Any]:
    from socialgov.posture.load import previous_dns_observations

    return previous_dns_observations(history.root, history.rev, files)


def _web_observations(files: Files, history: History) -> Mapping[str, Any]:
    from socialgov.posture.load import load_web_observations

    return load_web_observations(files, _posture_cache(history))


# Name → loader: every kind of recorded observation a rule may read.
SOURCES: dict[str, SourceLoader] = {
    "observations": _observations,
    "previous_observations": _previous_observations,
    "dns_observations": _dns_observations,
    "previous_dns_observations": _previous_dns_observations,
    "web_observations": _web_observations,
    "lookalikes": _lookalikes,
}


@dataclass(frozen=True)
class AuditInputs:
    """The registry, policy and waivers, and lazily loaded observation sources."""

    registry: Registry
    policy: Policy
    waivers: Sequence[Waiver] = ()
    files: Files | None = None
    history: History | None = None
    # Values given instead of loading (tests, the HTML report's own observations).
    given: dict[str, Any] = field(default_factory=dict)
    # Loaders that replace SOURCES' for this audit (e.g. observations of a few domains).
    loaders: dict[str, Callable[[], Any]] = field(default_factory=dict, repr=False)
    # Every domain asset by name and whether it is active, when `registry` holds only some
    # of the assets (a patched audit, policy.audit_snapshot); else read from `registry`.
    domains: Mapping[str, bool] | None = field(default=None, repr=False)
    _loaded: dict[str, Any] = field(default_factory=dict, repr=False)

    def source(self, name: str) -> Any:
        """A source's data, loaded on first use; an unknown name is a programming error."""
        if name in self.given:
            return self.given[name]
        if name not in self._loaded:
            if name in self.loaders:
                self._loaded[name] = self.loaders[name]()
            elif self.files is None or self.history is None:
                self._loaded[name] = _empty(name)
            else:
                self._loaded[name] = SOURCES[name](self.files, self.history)
        return self._loaded[name]

    @property
    def observations(self) -> Mapping[str, Observation]:
        return self.source("observations")

    def observe_only(self, domains: Sequence[str]) -> None:
        """Read the observations, and the previous ones, of these domains only: an audit
        of a few assets (`show`, a patched audit) need not read every observation file."""
        from socialgov.registry.load import load_observation

        files, history, wanted = self.files, self.history, set(domains)
        assert files is not None and history is not None

        def observations() -> dict[str, Observation]:
            found = {}
            for domain in domains:
                if (observation := load_observation(files, domain)) is not None:
                    found[domain] = observation
            return found

        self.loaders["observations"] = observations
        self.loaders["previous_observations"] = lambda: history.previous_observations(
            files, only=wanted
        )

    @property
    def previous_observations(self) -> Mapping[str, Observation]:
        return self.source("previous_observations")


def _empty(name: str) -> Any:
    if name not in SOURCES:
        raise KeyError(f"unknown audit source {name!r}")
    return {}


def load_audit_inputs(
    files: Files,
    history_rev: str | None,
    *,
    root: Path,
    policy: Policy | None = None,
    registry: Registry | None = None,
    cache: ParseCache | None = None,
    eager: bool = False,
) -> AuditInputs:
    """The inputs of an audit of `files` with the history as of `history_rev`.

    Every invalid file among the registry, its policy files and its waivers — and, when
    `eager`, the files of every source, loaded now rather than on a rule's first use — is
    reported in one InvalidFiles. `policy` replaces the registry's own (`--policy`, or the
    working tree's policy for both sides of `check --base`); `registry` is one already
    loaded from the same `files`; `cache` shares parsed files between loads.
    """
    from socialgov.policy.config import load_registry_policy
    from socialgov.registry.load import load_registry, load_waivers

    errors = ErrorCollector()
    if registry is None:
        registry = load_registry(root, files, errors=errors, cache=cache)
    if policy is None:
        with errors.collect():
            policy = load_registry_policy(registry.settings.policy_files, files)
    waivers: list[Waiver] = []
    with errors.collect():
        waivers = load_waivers(files, registry.assets, check_assets=not errors.errors)
        check_waiver_rules(waivers)
    inputs = AuditInputs(
        registry=registry,
        policy=policy or Policy(rules={}),
        waivers=tuple(waivers),
        files=files,
        history=History(root, history_rev, cache),
    )
    if eager:
        for name in SOURCES:
            with errors.collect():
                inputs.source(name)
    errors.raise_if_any()
    return inputs


def working_tree_inputs(
    registry: Registry | Path,
    *,
    policy: Policy | None = None,
    assets: Collection[AssetId] | None = None,
    observations: Mapping[str, Observation] | None = None,
    cache: ParseCache | None = None,
    eager: bool = False,
) -> AuditInputs:
    """The inputs of an audit of the working tree, with the history as of HEAD.

    `registry`: one already loaded, or the registry folder to load (every invalid file in
    one error, with the policy's and the waivers'). `assets`: only these are audited, so
    only their observations are read (`show`).
    """
    if isinstance(registry, Path):
        from socialgov.registry.store import recover_if_needed

        root, loaded = registry, None
        recover_if_needed(root)
    else:
        root, loaded = registry.root, registry
    files = DiskFiles(root)
    inputs = load_audit_inputs(
        files, "HEAD", root=root, policy=policy, registry=loaded, cache=cache, eager=eager
    )
    if observations is not None:
        inputs.given["observations"] = observations
    elif assets is not None:
        inputs.observe_only([a.name for a in assets if a.kind is Kind.DOMAIN])
    return inputs


def check_waiver_rules(waivers: Sequence[Waiver]) -> None:
    """A waiver of a rule that does not exist is an error at its line."""
    from socialgov.policy.rules import RULES
    from socialgov.registry.schema import did_you_mean

    errors = ErrorCollector()
    for waiver in waivers:
        if waiver.rule not in RULES:
            with errors.collect():
                raise InputError(
                    f"the waiver names an unknown rule {waiver.rule!r}",
                    file=paths.WAIVERS_FILE,
                    line=waiver.line,
                    hint=did_you_mean(waiver.rule, list(RULES))
                    or "list the rules with `socialgov rules`",
                )
    errors.raise_if_any()
