"""End to end: the installed `socialgov report --html`, opened in headless Chromium, offline."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Socialgov
from tests.htmlreport.conftest import TODAY, make_registry

CHROMIUM = next(
    (
        p
        for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
        if p and Path(p).exists()
    ),
    None,
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed: apt-get install chromium (Debian/Ubuntu)",
)
# Page problems Chromium logs to stderr with --enable-logging=stderr.
PAGE_ERRORS = re.compile(
    r"Uncaught|CONSOLE[:(].*(?:Error|error)|Refused to (?:load|execute|apply|connect)"
)


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_registry(tmp_path_factory.mktemp("browser") / "reg")
    out = root.parent / "report.html"
    result = Socialgov(root)("--today", TODAY.isoformat(), "report", "--html", str(out))
    assert result.code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def browsed(page: Path, tmp_path_factory: pytest.TempPathFactory) -> Browsed:
    """The page opened once in Chromium (a browser start costs about a CPU-second): the DOM
    after its script ran, a screenshot, and the browser's log."""
    folder = tmp_path_factory.mktemp("chromium")
    shot = folder / "report.png"
    result = _chromium(
        folder / "profile",
        "--dump-dom",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        page.as_uri(),
    )
    return Browsed(result, shot)


@dataclass
class Browsed:
    result: subprocess.CompletedProcess[str]
    screenshot: Path


def test_the_script_runs_without_errors(browsed: Browsed) -> None:
    result = browsed.result
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert re.search(r'<html[^>]*\bdata-ready="1"', dom), "the inline script did not run"
    form = re.search(r'<form[^>]*id="finding-filters"[^>]*>', dom)
    assert form and "hidden" not in form.group(0), "the filters stay hidden"
    assert 'id="findings-shown"' in dom
    errors = [line for line in result.stderr.splitlines() if PAGE_ERRORS.search(line)]
    assert not errors, errors


def test_screenshot_is_a_real_page(browsed: Browsed) -> None:
    result = browsed.result
    assert result.returncode == 0, result.stderr[-2000:]
    data = browsed.screenshot.read_bytes()
    assert _png_size(data) == (1280, 2000)
    # A blank or error page compresses to a few kilobytes; charts, cards and text do not.
    assert len(data) > 60_000, len(data)
    errors = [line for line in result.stderr.splitlines() if PAGE_ERRORS.search(line)]
    assert not errors, errors
