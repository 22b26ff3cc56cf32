"""Self-review without audio devices or a model: saved sessions read back, the replay timeline
(golden output at a fixed width), the keys, the replay loop on a clock, the player's buffer
logic, HTML and Markdown escaping, history, compare and report through the CLI."""
from __future__ import annotations

import datetime as _dt
import html.parser
import io
import json
import os
import wave
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from mockinterview.attempts import analysis_from_dict, read_attempt, scan_attempts
from mockinterview.errors import SessionError
from mockinterview.io.player import ClockTransport, Player, TimeStretcher, load_recording
from mockinterview.practice import NoKeys
from mockinterview.render.html_report import html_report
from mockinterview.render.json_out import analysis_to_dict
from mockinterview.render.markdown_report import markdown_report, md
from mockinterview.render.replay import printed_timeline, replay_frame
from mockinterview.render.safe import clock, visible
from mockinterview.replay import run_replay
from mockinterview.scores import save_test
from mockinterview.store import find_session, list_sessions
from mockinterview.timeline import SPEEDS, apply_key, build_timeline, cursor_at, split_keys, timeline_to_dict
from mockinterview.types import PART_NAMES

from ._cli import cli, one_line_error  # noqa: F401 - the fixture
from .fakes import FakeClock, FakeKeys
from .review_helpers import NASTY, NASTY_WORDS, RATE, STRONG, WEAK, WHEN, analysed, damage, golden_analysis, plain, save, with_evidence

GOLDEN = Path(__file__).parent / "golden"
WIDTH = 80  # columns of the golden output
UPDATE = os.environ.get("MOCKINTERVIEW_UPDATE_GOLDEN") == "1"  # rewrite the golden files


def render(renderable, width: int = WIDTH, terminal: bool = False) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=terminal, legacy_windows=False)
    console.print(renderable)
    return plain(console.file.getvalue())


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; MOCKINTERVIEW_UPDATE_GOLDEN=1 rewrites it"


# -- sessions saved and read back ---------------------------------------------------------------


def test_a_saved_analysis_reads_back_as_the_same_analysis():
    a = analysed(STRONG)
    session = save(STRONG)
    attempt = read_attempt(session)
    assert attempt.kind == "analyze" and attempt.status == "complete" and attempt.source == "answer.m4a"
    assert analysis_to_dict(attempt.analysis) == json.loads(json.dumps(analysis_to_dict(a)))
    # what the contract drops is rebuilt: word ranges, labels, pauses
    assert [p.word_range for p in attempt.analysis.parts] == [p.word_range for p in a.parts]
    assert [s.label for s in attempt.analysis.signals] == [s.label for s in a.signals]
    assert attempt.listed_probes == a.probes and attempt.follow_ups == ()


def test_analyze_save_lays_out_a_session_like_practice():
    session = save(WEAK, samples=np.full(RATE * 2, 0.25, np.float32))
    names = sorted(p.name for p in session.folder.iterdir() if not p.name.startswith("."))
    assert names == ["session.json", "turn-01-answer.analysis.json", "turn-01-answer.transcript.json", "turn-01-answer.wav"]
    manifest = session.load()
    assert manifest["kind"] == "analyze" and manifest["id"] == session.id == "20250301-093000-highest-standards"
    [turn] = manifest["turns"]
    assert turn["kind"] == "answer" and turn["n"] == 1 and turn["audio"] == "turn-01-answer.wav"
    assert turn["analysis"] == "turn-01-answer.analysis.json" and turn["verdict"] == manifest["turns"][0]["verdict"]
    assert [p["id"] for p in manifest["probes"]] == [p.id for p in analysed(WEAK).probes]  # listed, none asked
    with wave.open(str(session.folder / "turn-01-answer.wav"), "rb") as f:
        assert (f.getnchannels(), f.getsampwidth(), f.getframerate(), f.getnframes()) == (1, 2, RATE, RATE * 2)
    samples, rate = load_recording(session.folder / "turn-01-answer.wav")
    assert rate == RATE and np.allclose(samples, 0.25, atol=1 / 32768)
    assert find_session("last") == session


@pytest.mark.parametrize("how", ["manifest", "analysis-missing", "analysis-field"])
def test_a_damaged_session_is_one_session_error(how):
    session = save(WEAK)
    damage(session, how)
    with pytest.raises(SessionError) as caught:
        read_attempt(session)
    message = str(caught.value)
    assert session.id in message and "\n" not in message
    assert {"manifest": "session.json", "analysis-missing": "analysis.json", "analysis-field": "delivery"}[how] in message


def test_scan_yields_good_sessions_in_order_and_the_damaged_as_errors():
    late = save(STRONG, when=WHEN + _dt.timedelta(days=1))
    early = save(WEAK)
    broken = save(WEAK, when=WHEN + _dt.timedelta(days=2))
    damage(broken, "analysis-missing")
    items = list(scan_attempts())
    assert [type(i).__name__ for i in items] == ["SessionError", "Attempt", "Attempt"]
    assert [i.id for i in items[1:]] == [early.id, late.id]


# -- the timeline (pure) ------------------------------------------------------------------------


def test_timeline_lines_cover_every_word_once_in_order_and_parts_follow_time():
    tl = build_timeline(analysed(STRONG))
    covered = [i for line in tl.lines for i in range(line.first, line.last)]
    assert covered == list(range(len(tl.words)))
    assert [m.t for m in tl.markers] == sorted(m.t for m in tl.markers)
    seen = []
    for k in range(0, int(tl.duration_s * 10) + 1):
        cur = cursor_at(tl, k / 10)
        if cur.part is not None and (not seen or seen[-1] != cur.part.part):
            seen.append(cur.part.part)
        assert cur.part is None or cur.part_elapsed_s <= cur.part.duration_s + 1e-9
    assert seen == [p.part for p in tl.present_parts()]  # each part once, in order
    assert len(cursor_at(tl, tl.duration_s).heard) == len(tl.markers)


def test_golden_printed_timeline():
    tl = build_timeline(golden_analysis())
    text = render(printed_timeline(tl, title="Replay · golden", question="Tell me about a time.", width=WIDTH))
    golden("replay-timeline-80.txt", text)
    assert "✘ manager_assigned" in text and "Not heard: verification, quantified_result" in text


@pytest.mark.parametrize("t,paused", [(0.0, False), (12.0, True), (20.5, False)])
def test_golden_replay_screens(t, paused):
    tl = build_timeline(golden_analysis())
    frame = replay_frame(tl, t, title="Replay · golden", width=WIDTH, speed=1.25, paused=paused, audio=False)
    text = render(frame)
    golden(f"replay-frame-{t:g}-80.txt", text)


def test_the_replay_screen_keeps_its_height_whatever_the_time():
    tl = build_timeline(golden_analysis())
    heights = {len(render(replay_frame(tl, k / 2, title="x", width=WIDTH)).splitlines()) for k in range(int(tl.duration_s * 2) + 4)}
    assert len(heights) == 1


def test_timeline_json_lists_parts_lines_and_signals():
    data = timeline_to_dict(build_timeline(golden_analysis()))
    assert [p["part"] for p in data["parts"]] == list(PART_NAMES)
    assert data["lines"][1]["part"] == "task" and data["lines"][1]["signals"][0]["signal"] == "manager_assigned"
    assert data["not_heard"] == ["verification", "quantified_result"]


# -- keys ----------------------------------------------------------------------------------------


def test_keys_jump_between_parts_change_speed_pause_and_quit():
    tl = build_timeline(golden_analysis())
    start = {p.part: p.start for p in tl.parts}
    mid_action = start["action"] + 3.0
    assert apply_key(tl, "n", mid_action, 1.0).seek_to == start["result"]
    assert apply_key(tl, "p", mid_action, 1.0).seek_to == start["action"]  # well into a part: restart it
    assert apply_key(tl, "p", start["action"] + 0.5, 1.0).seek_to == start["task"]  # at its start: the one before
    for letter, part in zip("STARF", PART_NAMES):
        assert apply_key(tl, letter, 0.0, 1.0).seek_to == start[part]
        assert apply_key(tl, letter.lower(), 0.0, 1.0).seek_to == start[part]
    assert apply_key(tl, "n", start["reflection"] + 0.1, 1.0).seek_to == tl.duration_s
    assert apply_key(tl, "+", 0, 1.0).speed == 1.25 and apply_key(tl, "+", 0, 2.0).speed == 2.0
    assert apply_key(tl, "-", 0, 1.0).speed == 0.75 and apply_key(tl, "-", 0, 0.5).speed == 0.5
    assert apply_key(tl, " ", 0, 1.0).toggle_pause and apply_key(tl, "q", 0, 1.0).quit
    assert apply_key(tl, "\x1b[C", 1.0, 1.0).seek_to == 6.0 and apply_key(tl, "\x1b[D", 1.0, 1.0).seek_to == 0.0
    assert apply_key(tl, "x", 0, 1.0) is None
    assert split_keys("A\x1b[C+q") == ["A", "\x1b[C", "+", "q"]
    assert SPEEDS[0] < 1 < SPEEDS[-1]


def test_jumping_to_a_part_the_answer_lacks_says_so():
    import dataclasses

    a = golden_analysis()
    result, reflection = a.parts[3], a.parts[4]
    n = len(a.transcript.words)
    parts = a.parts[:3] + (
        dataclasses.replace(result, end=reflection.end, word_range=(result.word_range[0], n)),
        dataclasses.replace(reflection, start=None, end=None, status="missing", text="", word_range=(n, n)),
    )
    tl = build_timeline(dataclasses.replace(a, parts=parts))
    action = apply_key(tl, "F", 0.0, 1.0)
    assert action.seek_to is None and action.note == "this answer has no reflection"
    assert apply_key(tl, "n", result.start + 1, 1.0).seek_to == tl.duration_s
    screen = render(replay_frame(tl, tl.duration_s - 0.1, title="x", width=WIDTH, note=action.note))
    assert "this answer has no reflection" in screen and "missing" in screen


# -- the replay loop on a clock ---------------------------------------------------------------


def _rig(keys_at: list[tuple[float, str]]):
    tl = build_timeline(golden_analysis())
    fake = FakeClock()
    transport = ClockTransport(tl.duration_s, clock=fake)
    keys = FakeKeys(fake)
    for at, key in keys_at:
        keys.enqueue(at, key)
    return tl, fake, transport, keys()


def test_replay_follows_the_keys_on_a_clock():
    tl, fake, transport, keys = _rig([(0.2, "A"), (0.5, "+"), (1.0, " "), (1.5, "x"), (2.0, "q")])
    console = Console(file=io.StringIO(), width=WIDTH, force_terminal=True, color_system=None)
    result = run_replay(tl, transport, keys, console, title="t", audio=False, sleep=fake.advance, clock=fake)
    assert result.quit and result.keys == ["A", "+", " ", "q"]
    assert result.seeks == [tl.part_start("action")]
    # 0.3 s at 1x after the jump, then 0.5 s at 1.25x, then paused (keys are read every 0.1 s)
    assert result.position_s == pytest.approx(tl.part_start("action") + 0.3 + 0.5 * 1.25, abs=0.12)
    assert transport.paused and transport.speed == 1.25
    assert 5 < result.frames < 30  # drawn while it moved, not again while paused
    assert "ACTION" in console.file.getvalue()


def test_without_keys_or_terminal_replay_plays_to_the_end_and_draws_nothing():
    tl, fake, transport, _ = _rig([])
    console = Console(file=io.StringIO(), width=WIDTH, force_terminal=False)
    result = run_replay(tl, transport, NoKeys(), console, title="t", audio=False, sleep=fake.advance, clock=fake)
    assert result.finished and not result.quit and result.frames == 0
    assert result.position_s == pytest.approx(tl.duration_s)
    assert console.file.getvalue() == ""


def test_clock_transport_pauses_seeks_and_changes_speed():
    fake = FakeClock()
    t = ClockTransport(10.0, clock=fake)
    fake.advance(2)
    t.toggle_pause()
    fake.advance(5)
    assert t.position_s == pytest.approx(2) and t.paused
    t.toggle_pause()
    t.set_speed(2.0)
    fake.advance(1)
    assert t.position_s == pytest.approx(4)
    t.seek(9.0)
    fake.advance(1)
    assert t.finished and t.position_s == 10.0


# -- the player's buffer logic, without a device --------------------------------------------------


def test_player_hands_out_the_recording_and_follows_seek_pause_and_speed():
    samples = (np.arange(RATE * 4) % 1000 / 1000).astype(np.float32)
    fake = FakeClock()
    player = Player(samples, RATE, clock=fake)
    block = np.zeros((512, 1), np.float32)
    player.fill(block)
    assert np.array_equal(block[:, 0], samples[:512])  # 1x: the samples untouched
    fake.advance(256 / RATE)
    assert player.position_s == pytest.approx(256 / RATE)  # carried forward between callbacks
    player.seek(1.0)
    player.fill(block)
    assert np.array_equal(block[:, 0], samples[RATE : RATE + 512])
    player.toggle_pause()
    player.fill(block)
    assert not block.any() and player.paused
    player.toggle_pause()
    player.set_speed(2.0)
    before = player.position_s
    for _ in range(RATE // 512):  # about a second of output, as a device would ask for it
        player.fill(block)
        fake.advance(512 / RATE)
    assert player.position_s - before == pytest.approx(2 * (RATE // 512) * 512 / RATE, abs=0.03)
    while not player.finished:
        player.fill(block)
    player.fill(block)
    assert not block.any() and player.position_s == pytest.approx(4.0)


@pytest.mark.parametrize("speed", [0.5, 0.75, 1.25, 1.5, 2.0])
def test_time_stretch_keeps_the_pitch_and_scales_the_length(speed):
    seconds, freq = 2.0, 440.0
    x = (0.5 * np.sin(2 * np.pi * freq * np.arange(round(seconds * RATE)) / RATE)).astype(np.float32)
    stretcher = TimeStretcher(x, 0, speed, RATE)
    out = []
    while not stretcher.finished:
        out.append(stretcher.read(512))
    y = np.concatenate(out)
    y = y[: np.nonzero(np.abs(y) > 1e-4)[0][-1] + 1]
    assert len(y) / RATE == pytest.approx(seconds / speed, abs=0.05)
    spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    assert np.argmax(spectrum) * RATE / len(y) == pytest.approx(freq, abs=3)  # resampling would give freq * speed
    middle = y[len(y) // 4 : 3 * len(y) // 4]
    assert np.sqrt(np.mean(middle**2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.05)  # no level change


# -- HTML and Markdown ------------------------------------------------------------------------------


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.attrs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section", "h1", "h2", "h3", "p",
    "ul", "li", "span", "mark", "i", "strong", "small", "br", "table", "thead", "tbody", "tr", "th", "td", "dl",
    "dt", "dd", "div", "blockquote", "svg", "line", "text", "rect", "path",
}


def _nasty_attempt():
    a = with_evidence(analysed(NASTY), "we_language", '"><script>alert(1)</script> \x1b[2J')
    session = save(NASTY)
    path = session.folder / "turn-01-answer.analysis.json"
    path.write_text(json.dumps(analysis_to_dict(a)))
    return read_attempt(session)


def test_html_escapes_whatever_the_transcript_holds():
    attempt = _nasty_attempt()
    page = html_report(attempt)
    parsed = _Page()
    parsed.feed(page)
    assert set(parsed.tags) <= ALLOWED_TAGS, set(parsed.tags) - ALLOWED_TAGS
    assert "script" not in parsed.tags and "img" not in parsed.tags
    text = "".join(parsed.text)
    shown = visible(NASTY_WORDS)  # control characters become visible symbols, the rest stays
    for word in shown.split():
        assert word in text, word
    assert '<script>alert("x")</script>' in text and "O'Brien" in text and "␛[31mred␇" in text
    assert not any(ch in page for ch in "\x1b\x07\x00")
    titles = [v for k, v in parsed.attrs if k == "title"]
    assert any('"><script>alert(1)</script> ␛[2J' in t for t in titles)  # attribute quoting held
    # self-contained: nothing to fetch, nothing to run
    assert not {k for k, _ in parsed.attrs} & {"src", "href", "xlink:href", "srcset", "action"}
    assert not any(k.startswith("on") for k, _ in parsed.attrs)
    css = page[page.index("<style>") : page.index("</style>")]
    assert "url(" not in css and "@import" not in css
    for name in PART_NAMES:
        assert f'data-part="{name}"' in page
    assert '<svg id="timeline-chart"' in page


def test_markdown_escapes_markup_in_the_transcript():
    from markdown_it import MarkdownIt

    attempt = _nasty_attempt()
    text = markdown_report(attempt)
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    for needle in ("<script", "<img", "<a ", "<em>", "<code>", "<h1>At", "<mark"):
        assert needle not in rendered, needle
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in rendered
    assert "*bold*" in rendered and "_it_" in rendered and "[link](http://e.x)" in rendered
    assert "\x1b" not in text and "<table>" in rendered  # the parts table is still a table
    assert md("- item") == "\\- item" and md("1. one") == "1\\. one" and md("# head") == "\\# head"


# -- the commands ------------------------------------------------------------------------------------


def test_report_prints_a_summary_and_writes_html_markdown_and_json(cli, tmp_path):
    session = save(WEAK)
    r = cli("report", session.id)
    assert r.returncode == 0 and "NO HIRE" in r.stdout.upper() and "Not asked yet" in r.stdout
    r = cli("report", "last", "--html", str(tmp_path / "r.html"))
    assert r.returncode == 0 and "r.html" in r.stderr
    page = (tmp_path / "r.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "Verdict" in page and "<svg" in page
    assert oct((tmp_path / "r.html").stat().st_mode & 0o077) != "0o0"  # shareable, not 0600
    r = cli("report", session.id, "--markdown", str(tmp_path / "r.md"))
    assert r.returncode == 0 and (tmp_path / "r.md").read_text().startswith("# Insist on the Highest Standards")
    r = cli("report", session.id, "--markdown", "-")
    assert r.stdout.startswith("# Insist")
    r = cli("report", session.id, "--json")
    data = json.loads(r.stdout)
    assert data["id"] == session.id and data["analysis"]["schema"] == "mockinterview.analysis/1"
    assert analysis_from_dict(data["analysis"]).verdict.lean == data["analysis"]["verdict"]["lean"]


def test_report_and_replay_of_a_damaged_or_unknown_session_fail_in_one_line(cli):
    session = save(WEAK)
    damage(session, "analysis-field")
    one_line_error(cli("report", session.id), session.id, "delivery")
    one_line_error(cli("replay", session.id, "--no-audio"), session.id)
    one_line_error(cli("report", "nope"), "no session 'nope'")
    one_line_error(cli("compare", session.id, "last"), session.id)


def test_terminal_output_never_passes_escape_sequences(cli):
    _nasty_attempt()
    for args in (("report", "last"), ("replay", "last", "--no-audio"), ("history",)):
        r = cli(*args)
        assert r.returncode == 0, r.stderr
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout, args


def test_replay_without_a_terminal_prints_the_timeline_once(cli):
    session = save(WEAK)
    r = cli("replay", session.id, "--no-audio")
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.count("Transcript") == 1 and "✘ manager_assigned" in r.stdout
    r = cli("replay", "last", "--json")
    assert json.loads(r.stdout)["id"] == session.id


def test_replay_with_no_output_device_notes_it_in_one_line_and_shows_the_timeline(cli):
    save(WEAK)
    r = cli("replay", "last", "--device", "no-such-speaker-anywhere")
    assert r.returncode == 0
    [note] = r.stderr.strip().splitlines()
    assert note.startswith("mockinterview: no sound (") and "without it" in note
    assert "Transcript" in r.stdout


def test_replay_of_a_session_without_an_analysed_answer_says_so(cli):
    session = save(WEAK)
    manifest = session.load()
    manifest["turns"][0].pop("analysis")
    manifest["status"] = "no_speech"
    session.save(manifest)
    one_line_error(cli("replay", session.id, "--no-audio"), "no analysed answer", "no_speech")
    r = cli("report", session.id)
    assert r.returncode == 0 and "No analysed answer" in r.stdout


def _three_attempts():
    weak = save(WEAK)
    strong = save(STRONG, when=WHEN + _dt.timedelta(days=1))
    other = save(WEAK, when=WHEN + _dt.timedelta(days=2), scenario="customer-obsession")
    return weak, strong, other


def test_history_lists_sessions_trends_and_tests_and_skips_damaged_folders(cli):
    weak, strong, other = _three_attempts()
    for k, how in enumerate(("manifest", "analysis-missing", "analysis-field")):
        damage(save(WEAK, when=WHEN + _dt.timedelta(days=10 + k)), how)
    (list_sessions()[0].folder.parent / "stray-folder").mkdir()
    save_test({"schema": "mockinterview.test/1", "when": "2025-03-02T10:00:00", "score": 7, "total": 10, "lp": []}, WHEN)
    r = cli("history")
    assert r.returncode == 0
    skipped = r.stderr.strip().splitlines()
    assert len(skipped) == 4 and all(line.startswith("mockinterview: skipped: session ") for line in skipped)
    for s in (weak, strong, other):
        assert s.id in r.stdout
    assert "Trends over 3 analysed attempts" in r.stdout and "words per minute" in r.stdout
    assert "gained:" in r.stdout and "Test scores" in r.stdout and "7/10" in r.stdout

    data = json.loads(cli("history", "--json").stdout)
    assert [s["id"] for s in data["sessions"]] == [weak.id, strong.id, other.id]
    assert len(data["skipped"]) == 4 and data["tests"][0]["score"] == 7
    series = data["trends"]["series"]
    assert len(series["words_per_minute"]) == 3 and set(series["parts"]) == set(PART_NAMES)
    [change] = data["trends"]["signal_changes"]  # only highest-standards has two attempts
    assert change["from"] == weak.id and change["to"] == strong.id
    assert "quantified_result" in change["gained"] and "we_language" in change["dropped_red_flags"]

    only = json.loads(cli("history", "--scenario", "customer-obsession", "--json").stdout)
    assert [s["id"] for s in only["sessions"]] == [other.id] and only["trends"]["signal_changes"] == []
    one_line_error(cli("history", "--scenario", "no-such-scenario"), "no-such-scenario")


def test_history_with_no_sessions_says_how_to_make_one(cli):
    r = cli("history")
    assert r.returncode == 0 and "No sessions yet" in r.stdout
    assert json.loads(cli("history", "--json").stdout)["sessions"] == []


def test_compare_puts_two_attempts_side_by_side(cli):
    weak, strong, _ = _three_attempts()
    data = json.loads(cli("compare", weak.id, strong.id, "--json").stdout)
    assert data["same_scenario"] and data["verdict"]["change"] > 0
    assert "quantified_result" in data["signals"]["gained"] and "manager_assigned" in data["signals"]["dropped_red_flags"]
    assert [p["part"] for p in data["parts"]] == list(PART_NAMES)
    assert data["parts"][2]["change_s"] == pytest.approx(data["parts"][2]["b"]["duration_s"] - data["parts"][2]["a"]["duration_s"], abs=0.01)
    r = cli("compare", weak.id, strong.id)
    assert r.returncode == 0 and "gained:" in r.stdout and "better" in r.stdout and "Delivery" in r.stdout


def test_clock_text():
    assert clock(0) == "0:00.0" and clock(59.96) == "1:00.0" and clock(75, tenths=False) == "1:15" and clock(None) == "-"


# -- a practice session (follow-ups asked) and a story ---------------------------------------------


@pytest.fixture
def practised(capsys):
    """A practice session run with fakes (tests/test_practice.py): hs-weak, one follow-up."""
    from .test_practice import Rig

    rig = Rig()
    rig.answer("hs-weak")
    rig.follow_up()
    rig.run(max_probes=1, silence_stop_s=2.0)
    capsys.readouterr()  # the session's own screen is not what the tests read
    [session] = list_sessions()
    return session


def test_reports_of_a_practice_session_show_the_follow_ups_and_their_ratings(cli, practised, tmp_path):
    attempt = read_attempt(practised)
    [follow_up] = attempt.follow_ups
    assert follow_up.probe == "verification" and follow_up.rating and follow_up.text
    data = json.loads(cli("report", "last", "--json").stdout)
    assert data["follow_ups"][0]["rating"] == follow_up.rating and data["kind"] == "practice"
    page = html_report(attempt)
    assert "How did you confirm the fix really solved the problem?" in page and f">{follow_up.rating}</span>" in page
    assert "Not asked yet" in page  # the probes the analysis chose beyond the one asked
    text = markdown_report(attempt)
    assert f"— {follow_up.rating}" in text and "> " in text
    r = cli("report", "last")
    assert "Follow-ups" in r.stdout and follow_up.rating in r.stdout
    r = cli("history")
    assert practised.id in r.stdout and {"strong": "✔", "mixed": "~", "weak": "✘"}.get(follow_up.rating, "∅") in r.stdout


def test_a_story_on_a_session_is_shown_wherever_the_session_is(cli):
    session = save(WEAK)
    manifest = session.load()
    manifest["story"] = "nightly-export"
    session.save(manifest)
    assert read_attempt(session).story == "nightly-export"
    assert "story: nightly-export" in cli("report", session.id).stdout
    assert "story nightly-export" in cli("report", session.id, "--html", "-").stdout
    assert "nightly-export" in cli("history").stdout
    assert json.loads(cli("history", "--json").stdout)["sessions"][0]["story"] == "nightly-export"


# -- the interactive screen, in a pseudo-terminal ---------------------------------------------------


def test_replay_in_a_terminal_follows_the_keys():
    pty = pytest.importorskip("pty")
    import select
    import subprocess
    import sys
    import time

    save(WEAK)
    leader, follower = pty.openpty()
    env = dict(os.environ, COLUMNS="90", LINES="40", TERM="xterm")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockinterview", "replay", "last", "--no-audio"],
        stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True,
    )
    os.close(follower)
    out = b""

    def pump(seconds: float) -> None:
        nonlocal out
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if select.select([leader], [], [], 0.05)[0]:
                try:
                    out += os.read(leader, 65536)
                except OSError:
                    return

    try:
        pump(2.5)  # start-up, then the screen runs
        for key in ("A", " "):
            os.write(leader, key.encode())
            pump(0.5)
        os.write(leader, b"q")
        proc.wait(timeout=20)
        pump(0.3)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
    screen = out.decode(errors="replace")
    assert proc.returncode == 0, screen[-2000:]
    assert "ACTION" in screen and "paused" in screen and "q quit" in screen
