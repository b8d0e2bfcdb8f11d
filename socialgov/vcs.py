"""The git adapter: the only module that runs git (every call through `run_git`, with SAFE_CONFIG).

Commits are built with plumbing (blobs, a temporary index, commit-tree, update-ref) so
that a commit holds exactly the files a command changed, no repository hook runs, no
clean filter sees the content, and HEAD moves in one atomic step.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialgov.errors import GitError, UsageError
from socialgov.registry.save import atomic_write

# Passed to every git command: the repository's content (and the configuration of whoever
# runs socialgov) must neither start a program nor change what git prints. Command-line
# configuration outranks every configuration file, so these hold whatever the files say.
SAFE_CONFIG = (
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.fsmonitor=false",
    "-c", "core.untrackedCache=false",
    "-c", "core.pager=cat",
    "-c", "core.sshCommand=/dev/null",
    "-c", "core.askPass=",
    "-c", "core.attributesFile=/dev/null",
    "-c", "core.quotePath=false",
    "-c", "credential.helper=",
    "-c", "diff.external=",
    "-c", "diff.relative=false",
    "-c", "diff.noprefix=false",
    "-c", "log.showSignature=false",
    "-c", "log.mailmap=false",
    "-c", "log.decorate=false",
    "-c", "color.ui=false",
    "-c", "i18n.logOutputEncoding=UTF-8",
    "-c", "i18n.commitEncoding=UTF-8",
    "-c", "commit.gpgSign=false",
    "-c", "tag.gpgSign=false",
    "-c", "gpg.program=/dev/null",
    "-c", "gpg.openpgp.program=/dev/null",
    "-c", "gpg.x509.program=/dev/null",
    "-c", "gpg.ssh.program=/dev/null",
    "-c", "gpg.ssh.defaultKeyCommand=",
    "-c", "gc.auto=0",
    "-c", "maintenance.auto=false",
    "-c", "protocol.allow=never",
)  # fmt: skip
# Subcommands that could show a patch: never through an external diff or a textconv filter.
_DIFF_COMMANDS = frozenset({"log", "diff", "diff-tree", "show", "whatchanged"})
_SAFE_ENV = {
    "GIT_LITERAL_PATHSPECS": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_PAGER": "cat",
    "GIT_ALLOW_PROTOCOL": "",
    "GIT_PROTOCOL_FROM_USER": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "LC_ALL": "C",
}
# glibc's malloc returns each freed large buffer to the system and faults it in again on the
# next; a history walk inflates thousands of large trees, and spends a third of its time so.
# Keeping buffers up to 32 MiB on the heap cuts that to a tenth. Other C libraries ignore it;
# a value the user set wins.
_MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "268435456"}
# Variables of the caller's environment that would start a program.
_UNSAFE_ENV = ("GIT_EXTERNAL_DIFF", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "GIT_EDITOR")
_AUTHOR = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+)>\s*$")
_PENDING = "socialgov-pending.json"
_LOCK = "socialgov.lock"
ZERO = "0" * 40
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_TMP_PREFIX = "socialgov-tmp-"
# git's own lock files that a socialgov commit takes, relative to the git folder.
_GIT_LOCKS = ("index.lock", "HEAD.lock")


def find_git_dir(start: Path) -> Path | None:
    """The .git folder of the repository holding `start`, found without starting git."""
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                target = Path(text[len("gitdir:") :].strip())
                return target if target.is_absolute() else (folder / target).resolve()
    return None


def git_command(*args: str) -> list[str]:
    """The argument list for one git call with the safe configuration (see SAFE_CONFIG)."""
    if args and args[0] in _DIFF_COMMANDS:
        args = (args[0], "--no-ext-diff", "--no-textconv", *args[1:])
    return ["git", "--no-pager", *SAFE_CONFIG, *args]


def git_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    full_env = {k: v for k, v in os.environ.items() if k not in _UNSAFE_ENV}
    return {**_MALLOC_ENV, **full_env, **_SAFE_ENV, **(env or {})}


def run_git(
    cwd: Path,
    *args: str,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> bytes:
    """Run git with the safe configuration; arguments are never interpreted by a shell."""
    try:
        proc = subprocess.run(
            git_command(*args),
            cwd=cwd,
            input=input,
            env=git_env(env),
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except NotADirectoryError:
        raise GitError(f"{cwd} is not a folder") from None
    if check and proc.returncode != 0:
        raise GitError(f"git {args[0]} failed: {_git_failure(proc.stderr, proc.returncode)}")
    return proc.stdout


def head_commit(cwd: Path) -> str | None:
    """The commit HEAD names in the repository holding `cwd`; None before the first commit."""
    out = run_git(cwd, "rev-parse", "-q", "--verify", "HEAD^{commit}", check=False)
    return out.decode("ascii", "replace").strip() or None


def _git_failure(stderr: bytes, returncode: int) -> str:
    """git's reason in one line; a lock message keeps the line that names the lock file."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    naming = [line for line in lines if ".lock" in line]
    chosen = naming[:1] + [line for line in lines[-2:] if line not in naming[:1]]
    return " ".join(chosen) or f"exit {returncode}"


# (folder, its .git) → the work tree's top, as git said it: the same while the .git is.
_TOPLEVELS: dict[tuple[Path, Path], Path] = {}


# More paths than this are checked by one `git status` of the whole tree (Repo.dirty).
_PATHSPECS_MAX = 64


@dataclass(frozen=True)
class Repo:
    """A git working tree that holds a registry."""

    top: Path
    git_dir: Path

    @classmethod
    def find(cls, path: Path) -> Repo:
        git_dir = find_git_dir(path.resolve())
        if git_dir is None:
            raise GitError(
                f"{path} is not inside a git repository",
                hint="run `git init` there, or create the registry with `socialgov init`",
            )
        where = path.resolve()
        top = _TOPLEVELS.get((where, git_dir))
        if top is None:  # a command finds its repository several times: git is asked once
            top = Path(run_git(path, "rev-parse", "--show-toplevel").decode().strip())
            _TOPLEVELS[(where, git_dir)] = top
        return cls(top=top, git_dir=git_dir)

    @classmethod
    def init(cls, path: Path) -> Repo:
        path.mkdir(parents=True, exist_ok=True)
        if find_git_dir(path.resolve()) is None:
            # No template: a user's init.templateDir could plant hooks or configuration.
            run_git(path, "-c", "init.templateDir=", "init", "-q", "--template=")
        return cls.find(path)

    def git(self, *args: str, **kwargs: Any) -> bytes:
        return run_git(self.top, *args, **kwargs)

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.top).as_posix()

    def head(self) -> str | None:
        return head_commit(self.top)

    @contextlib.contextmanager
    def lock(self, timeout: float | None = None) -> Iterator[None]:
        """Serialise socialgov processes that change this repository."""
        from filelock import FileLock, Timeout

        if timeout is None:
            text = os.environ.get("SOCIALGOV_LOCK_TIMEOUT", "60")
            try:
                timeout = float(text)
            except ValueError:
                timeout = -1.0
            if not 0 <= timeout < 1e9:
                raise UsageError(
                    f"SOCIALGOV_LOCK_TIMEOUT={text!r}: expected a number of seconds, 0 or more"
                )
        lock = FileLock(str(self.git_dir / _LOCK))
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise GitError(
                f"another socialgov process holds {self.git_dir / _LOCK}",
                hint="wait for it to finish; if none is running, delete that file",
            ) from None
        try:
            self.recover()
            yield
        finally:
            lock.release()

    def dirty(self, paths: Sequence[str]) -> list[str]:
        """Those of `paths` (relative to the top) with uncommitted edits, staged or not, or untracked."""
        if not paths:
            return []
        # git matches each file against every pathspec: for many paths, one status of the
        # whole tree filtered here is several times faster.
        whole = len(paths) > _PATHSPECS_MAX
        out = self.git(
            "--no-optional-locks",
            "status",
            "--porcelain=v1",
            "-z",
            "--no-renames",
            "--untracked-files=all",
            *(() if whole else ("--", *paths)),
        )
        wanted = set(paths)
        dirty = []
        for entry in out.split(b"\0"):
            if len(entry) > 3:
                path = entry[3:].decode("utf-8", "replace")
                if not whole or path in wanted:
                    dirty.append(path)
        return dirty

    def commit(
        self, files: Mapping[str, bytes | None], message: str, author: str | None = None
    ) -> str:
        """Commit exactly `files` (top-relative path → content, None to delete) and write them.

        HEAD moves first, atomically; the working tree follows. A journal in the git folder
        lets the next socialgov process finish writing the files if this one is killed
        in between, so the registry is always either untouched or fully changed.
        """
        env = self._identity(author)
        self.check_locks()
        parent = self.head()
        blobs = self._store_blobs(files)
        sha = self._commit_tree(parent, blobs, message, env)
        journal = self.git_dir / _PENDING
        atomic_write(journal, json.dumps({"commit": sha, "paths": sorted(files)}).encode())
        self.git("update-ref", "-m", "socialgov", "HEAD", sha, parent or ZERO)
        try:
            self._write_tree(files, blobs)
        except GitError:
            # The commit is made and the files are written; only git's index is behind
            # (someone took index.lock meanwhile). The journal stays, so the next socialgov
            # command brings the index up to date: this one succeeded.
            return sha
        except OSError as exc:
            raise GitError(
                f"commit {sha[:12]} was made, but writing its files failed: {exc.strerror or exc}",
                hint="fix the cause; the next socialgov command writes the files from that commit",
            ) from None
        journal.unlink()
        return sha

    def check_locks(self) -> None:
        """Refuse before anything is written when git's index or HEAD (or its branch) is locked."""
        locks = [self.git_dir / name for name in _GIT_LOCKS]
        branch = self.git("symbolic-ref", "-q", "HEAD", check=False).decode().strip()
        if branch.startswith("refs/"):
            locks.append(self.git_dir / f"{branch}.lock")
        for lock in locks:
            if lock.exists():
                raise GitError(
                    f"git is busy: {lock} exists, so another git process is changing this repository",
                    hint="wait for it to finish; if no git process is running, delete that file",
                )

    def commit_to_new_branch(
        self, branch: str, files: Mapping[str, bytes], message: str, author: str | None = None
    ) -> str:
        """Create branch `branch` at a new commit of HEAD plus `files`; HEAD, the index and
        the working tree are untouched, and the branch is created only if it does not exist."""
        ref = self.new_branch_ref(branch)
        env = self._identity(author)
        parent = self.head()
        if parent is None:
            raise GitError("the repository has no commit yet to branch from")
        sha = self._commit_tree(parent, self._store_blobs(files), message, env)
        self.git("update-ref", "-m", "socialgov", ref, sha, ZERO)
        return sha

    def new_branch_ref(self, branch: str) -> str:
        """`refs/heads/BRANCH` for a valid branch name that does not exist yet."""
        if not branch or branch.startswith("-"):
            raise UsageError(f"--branch {branch!r} is not a valid branch name")
        out = self.git("check-ref-format", "--branch", branch, check=False).decode().strip()
        if out != branch:
            raise UsageError(
                f"--branch {branch!r} is not a valid branch name", hint="e.g. offboard/bob"
            )
        ref = f"refs/heads/{branch}"
        if self.git("rev-parse", "-q", "--verify", ref, check=False).strip():
            raise UsageError(
                f"branch {branch!r} already exists", hint="choose another --branch name"
            )
        return ref

    def _commit_tree(
        self,
        parent: str | None,
        blobs: Mapping[str, str | None],
        message: str,
        env: Mapping[str, str],
    ) -> str:
        """A commit object of `parent`'s tree with `blobs` applied, built in a temporary index."""
        with tempfile.TemporaryDirectory(prefix=_TMP_PREFIX, dir=self.git_dir) as tmp:
            index_env = {**env, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
            if parent:
                self.git("read-tree", parent, env=index_env)
            self.git("update-index", "-z", "--index-info", input=_index_info(blobs), env=index_env)
            tree = self.git("write-tree", env=index_env).decode().strip()
        args = ["commit-tree", tree, "-F", "-"] + (["-p", parent] if parent else [])
        return self.git(*args, input=message.encode("utf-8"), env=env).decode().strip()

    def check_identity(self, author: str | None) -> None:
        """Raise now, not at commit time, when git would not know who commits."""
        self._identity(author)

    def _identity(self, author: str | None) -> dict[str, str]:
        env: dict[str, str] = {}
        if author is not None:
            m = _AUTHOR.match(author)
            if not m:
                raise UsageError(f"--author {author!r}: expected 'Name <email>'")
            env.update(GIT_AUTHOR_NAME=m["name"], GIT_AUTHOR_EMAIL=m["email"])
            if not self.git("config", "user.email", check=False).strip():
                env.update(GIT_COMMITTER_NAME=m["name"], GIT_COMMITTER_EMAIL=m["email"])
            return env
        if not self.git("config", "user.email", check=False).strip() and not os.environ.get(
            "GIT_AUTHOR_EMAIL"
        ):
            raise GitError(
                "git does not know who you are: no user.email in its configuration",
                hint="run `git config user.name 'Your Name'` and `git config user.email you@example.com`, or pass --author 'Name <email>'",
            )
        return env

    def _store_blobs(
        self, files: Mapping[str, bytes | None] | Mapping[str, bytes]
    ) -> dict[str, str | None]:
        """Write the new contents as objects with one `git fast-import` for all of them.

        The bytes are stored as socialgov wrote them (no filters); a few objects become
        loose objects, many become one pack (git's fastimport.unpackLimit).
        """
        present = [path for path, data in files.items() if data is not None]
        blobs: dict[str, str | None] = dict.fromkeys(files)
        if not present:
            return blobs
        stream = bytearray()
        for mark, path in enumerate(present, start=1):
            data = files[path] or b""
            stream += b"blob\nmark :%d\ndata %d\n%b\n" % (mark, len(data), data)
        stream += b"done\n"
        with tempfile.TemporaryDirectory(prefix=_TMP_PREFIX, dir=self.git_dir) as tmp:
            marks = Path(tmp) / "marks"
            self.git(
                "fast-import", "--quiet", "--done", f"--export-marks={marks}", input=bytes(stream)
            )
            exported = dict(line.split() for line in marks.read_text().splitlines())
        for mark, path in enumerate(present, start=1):
            blobs[path] = exported[f":{mark}"]
        return blobs

    def _write_tree(
        self, files: Mapping[str, bytes | None], blobs: Mapping[str, str | None]
    ) -> None:
        """Bring the working tree and the index to the committed content.

        Files are renamed into place without an fsync each; one sync at the end is enough,
        because until the caller removes the journal, recovery rewrites them from HEAD.
        """
        for path, data in files.items():
            target = self.top / path
            if data is None:
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
            else:
                atomic_write(target, data, durable=False)
        os.sync()
        if blobs:
            self.git("update-index", "-z", "--index-info", input=_index_info(blobs))

    def recover(self) -> None:
        """Finish the working-tree half of a commit whose process was killed after HEAD moved."""
        self._remove_leftovers()
        journal = self.git_dir / _PENDING
        if not journal.exists():
            return
        self._remove_stale_git_locks(journal)
        try:
            pending = json.loads(journal.read_text(encoding="utf-8"))
            paths = [str(p) for p in pending["paths"]]
            commit = str(pending["commit"])
        except (ValueError, KeyError, TypeError):
            journal.unlink()  # written atomically, so unreadable means not ours: nothing to finish
            return
        for folder in {(self.top / p).parent for p in paths}:
            for leftover in folder.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)  # an atomic write cut short
        if self.head() == commit:
            contents = self.read_tree(commit, "")
            files = {p: contents.get(p) for p in paths}
            self._write_tree(files, self._store_blobs(files))
        journal.unlink()

    def _remove_leftovers(self) -> None:
        """Temporary folders and unfinished packs of a socialgov process that was killed.

        Called under socialgov's lock; a pack is only removed when it is older than a minute,
        so a git command started by hand at the same moment keeps its own.
        """
        import shutil
        import time

        for folder in self.git_dir.glob(f"{_TMP_PREFIX}*"):
            shutil.rmtree(folder, ignore_errors=True)
        now = time.time()
        for pack in (self.git_dir / "objects" / "pack").glob("tmp_*"):
            with contextlib.suppress(OSError):
                if now - pack.stat().st_mtime > 60 or self._pending_since(pack):
                    pack.unlink()

    def _pending_since(self, path: Path) -> bool:
        """Whether `path` was made after the journal of an unfinished socialgov commit."""
        journal = self.git_dir / _PENDING
        try:
            return path.stat().st_mtime >= journal.stat().st_mtime - 1
        except OSError:
            return False

    def _remove_stale_git_locks(self, journal: Path) -> None:
        """git lock files left by a socialgov commit that was killed between journal and finish."""
        branch = self.git("symbolic-ref", "-q", "HEAD", check=False).decode().strip()
        names = [*_GIT_LOCKS, *([f"{branch}.lock"] if branch.startswith("refs/") else [])]
        for name in names:
            lock = self.git_dir / name
            if lock.exists() and self._pending_since(lock):
                lock.unlink(missing_ok=True)

    def show(self, rev: str, path: str) -> bytes | None:
        out = run_git(self.top, "cat-file", "blob", f"{rev}:{path}", check=False)
        return out if self.blob_id(rev, path) else None

    def blob_id(self, rev: str, path: str) -> str | None:
        out = run_git(self.top, "rev-parse", "-q", "--verify", f"{rev}:{path}", check=False)
        return out.decode().strip() or None

    def resolve_commit(self, rev: str) -> str:
        """A commit id for `rev`; refuse anything that git could read as an option."""
        if (
            not rev
            or rev.startswith(("-", "^"))
            or ".." in rev
            or rev.endswith(("^@", "^!"))
            or re.search(r"\^-\d*$", rev)
            or any(c in rev for c in "\0\n\r")
        ):
            raise UsageError(
                f"{rev!r} is not a revision", hint="give a branch, tag or commit, e.g. origin/main"
            )
        out = run_git(
            self.top,
            "rev-parse",
            "-q",
            "--verify",
            "--end-of-options",
            f"{rev}^{{commit}}",
            check=False,
        )
        sha = out.decode().strip()
        if not _SHA.fullmatch(sha):
            raise UsageError(
                f"{rev!r} is not a commit in {self.top}"
                + (": it names more than one commit (a range or exclusion)" if sha else ""),
                hint="give one branch, tag or commit, e.g. origin/main",
            )
        return sha

    def tree_blobs(self, rev: str, prefix: str) -> dict[str, str]:
        """Every file under `prefix` at `rev`: path (relative to prefix) → blob id; symlinks
        are left out."""
        sha = self.resolve_commit(rev)
        spec = f"{sha}:{prefix}" if prefix else sha
        listing = run_git(self.top, "ls-tree", "-r", "-z", "--full-tree", spec, check=False)
        blobs: dict[str, str] = {}
        for record in listing.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            mode, kind, obj = meta.split()
            if kind == b"blob" and mode != b"120000":
                blobs[raw_path.decode("utf-8", "surrogateescape")] = obj.decode()
        return blobs

    def read_tree(self, rev: str, prefix: str) -> dict[str, bytes]:
        """Every file under `prefix` at `rev`, path (relative to prefix) → content, read from objects."""
        blobs = self.tree_blobs(rev, prefix)
        contents = read_blobs(self.top, list(blobs.values()))
        return {path: contents[blob] for path, blob in blobs.items() if blob in contents}


def _index_info(blobs: Mapping[str, str | None]) -> bytes:
    lines = []
    for path, sha in blobs.items():
        if sha is None:
            lines.append(f"0 {ZERO}\t{path}")
        else:
            lines.append(f"100644 {sha}\t{path}")
    return ("\0".join(lines) + "\0").encode("utf-8")


# --- history queries: named functions, so no other module runs git or parses its output ---


@dataclass(frozen=True, slots=True)
class FileChange:
    """The latest change of one file as of a revision: its blob before and after (ZERO: none)."""

    path: str  # relative to the folder asked about
    before: str
    after: str
    status: str  # git's letter: A added, M modified, D deleted, T type changed


def latest_changes(cwd: Path, rev: str, folder: str) -> dict[str, FileChange]:
    """For each file under `folder` (relative to `cwd`), its newest change in `rev`'s history.

    One `git log --raw` walks the history newest first; the first change seen of a path is
    its latest. `rev` must be a commit id (see Repo.resolve_commit): it is passed after
    `--end-of-options` and never read as an option.
    """
    if find_git_dir(cwd.resolve()) is None:
        return {}
    out = run_git(
        cwd,
        "-c",
        "core.quotePath=false",
        "log",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "--format=",
        "--relative",
        "--end-of-options",
        rev,
        "--",
        folder,
        check=False,
    )
    changes: dict[str, FileChange] = {}
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        if not line.startswith(":"):
            continue
        meta, _, path = line.partition("\t")
        fields = meta.split()
        if len(fields) < 5 or path in changes:
            continue
        changes[path] = FileChange(path, fields[2], fields[3], fields[4][:1])
    return changes


def read_blobs(cwd: Path, ids: Sequence[str]) -> dict[str, bytes]:
    """The content of each blob id, read with one `git cat-file --batch`; missing ones left out."""
    unique = list(dict.fromkeys(ids))
    if not unique:
        return {}
    batch = run_git(cwd, "cat-file", "--batch", input="".join(f"{b}\n" for b in unique).encode())
    result: dict[str, bytes] = {}
    offset = 0
    for blob in unique:
        header_end = batch.index(b"\n", offset)
        header = batch[offset:header_end].split()
        if len(header) < 3 or header[1] != b"blob":
            offset = header_end + 1
            continue
        size = int(header[2])
        start = header_end + 1
        result[blob] = batch[start : start + size]
        offset = start + size + 1
    return result


def blob_id(data: bytes, like: str = "") -> str:
    """The id git gives `data` as a blob (SHA-1, or SHA-256 when `like` is a 64-digit id)."""
    import hashlib

    digest = hashlib.sha256 if len(like) == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def author_emails(cwd: Path, base: str, path: str) -> list[str]:
    """E-mail addresses of the authors of the commits after `base` up to HEAD that touch
    `path` (relative to `cwd`), and of the current git identity when `path` has
    uncommitted edits: who made a change under review. `base` must be a commit id."""
    out = run_git(
        cwd,
        "log",
        "--no-renames",
        "--format=%ae",
        "--end-of-options",
        f"{base}..HEAD",
        "--",
        path,
        check=False,
    )
    emails = [line for line in out.decode("utf-8", "replace").splitlines() if line]
    # Compared by blob id computed here: `git status` would run the repository's filters.
    committed = run_git(cwd, "rev-parse", "-q", "--verify", f"HEAD:./{path}", check=False)
    try:
        current: str | None = blob_id((cwd / path).read_bytes(), committed.decode().strip())
    except OSError:
        current = None
    if current != (committed.decode().strip() or None):
        ident = run_git(cwd, "var", "GIT_AUTHOR_IDENT", check=False).decode("utf-8", "replace")
        if "<" in ident:
            emails.append(ident.partition("<")[2].partition(">")[0])
    return list(dict.fromkeys(emails))
