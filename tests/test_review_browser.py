"""The HTML report in a real browser: headless Chromium renders it (screenshot) and its DOM holds
the chart and the five parts, with the transcript's markup still inert text."""
from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from mockinterview.attempts import read_attempt
from mockinterview.render.html_report import html_report
from mockinterview.types import PART_NAMES

from .review_helpers import NASTY, save

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
WINDOW = (1200, 1600)  # px
TIMEOUT_S = 90  # s for one Chromium run; it takes ~1.5 s here
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _chromium() -> str:
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not found:
        pytest.skip("Chromium is not installed: `apt-get install chromium` (scripts/test.sh does it as root)")
    return found


def _run(tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{name}"  # a fresh profile every run
    return subprocess.run(
        [_chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}", *args],
        capture_output=True, text=True, timeout=TIMEOUT_S,
    )


def _png(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed (still filtered) scanlines of a PNG file."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, width, height, idat = 8, 0, 0, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.fixture
def report_file(tmp_path) -> Path:
    attempt = read_attempt(save(NASTY))
    path = tmp_path / "report.html"
    path.write_text(html_report(attempt), encoding="utf-8")
    return path


def test_the_html_report_renders_in_chromium(tmp_path, report_file):
    shot = tmp_path / "report.png"
    run = _run(tmp_path, "shot", f"--screenshot={shot}", report_file.as_uri())
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    width, height, raw = _png(shot)
    assert (width, height) == WINDOW
    # Non-blank: a uniform page filters to (nearly) all zero bytes; this one is full of text,
    # colours and the chart.
    row = len(raw) // height
    pixels = bytes(b for k, b in enumerate(raw) if k % row)  # without each row's filter byte
    busy = sum(1 for b in pixels[::7] if b) / len(pixels[::7])
    assert busy > 0.02, f"the screenshot looks blank ({busy:.2%} of bytes vary)"
    assert shot.stat().st_size > 30_000


def test_the_dom_holds_the_chart_and_the_five_parts_and_no_injected_markup(tmp_path, report_file):
    run = _run(tmp_path, "dom", "--dump-dom", report_file.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    assert '<svg id="timeline-chart"' in dom and "<rect" in dom
    for name in PART_NAMES:
        assert f'class="part-{name}"' in dom, name  # a lane of the chart
        assert f'class="part part-{name}"' in dom, name  # a paragraph of the transcript
    assert dom.count("<mark") >= 3  # signals highlighted
    # the transcript's <script> and <img> stayed text: the only elements are the report's own
    assert "<script" not in dom and "<img" not in dom
    assert "&lt;script&gt;alert" in dom and "&lt;img src=x" in dom
