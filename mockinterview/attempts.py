"""A saved session read back as one typed value (`Attempt`), for replay, reports and history.

Reading is the edge: ``read_attempt`` opens a session folder's JSON files once and converts the
loose dicts into frozen values (``attempt_from_data`` does the conversion and opens nothing).
A damaged file becomes one `SessionError` that names the session, the file and the field, so
``history`` can report it in one line and go on.

Writing: ``save_analysis`` turns `mockinterview analyze FILE --save` into a session folder laid
out like a practice session (see ``mockinterview.practice``), with ``kind: "analyze"``, one
answer turn, no follow-ups asked, and the probes the analysis chose listed in ``probes``.

The analysis contract (``render.json_out``) keeps words, parts and signals but not each part's
word range, the VAD pauses or the signal labels; they are rebuilt here: word ranges from the
part end times (a part ends on its last word's end), pauses from the transcript file, labels
from the scenario bank when the scenario still exists.
"""
from __future__ import annotations

import datetime as _dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .errors import MockInterviewError, SessionError
from .store import Session, atomic_write_json, list_sessions, new_session
from .types import PART_NAMES, Analysis, Delivery, Evidence, PartSpan, Pause, ProbeChoice, SignalResult, Transcript, Verdict, Word

__all__ = [
    "FollowUp",
    "Attempt",
    "analysis_from_dict",
    "attempt_from_data",
    "read_attempt",
    "scan_attempts",
    "attempt_to_dict",
    "save_analysis",
    "ATTEMPT_SCHEMA",
]

log = logging.getLogger(__name__)

ATTEMPT_SCHEMA = "mockinterview.attempt/1"  # the --json of `report`: a session with its analysis
_END_TOLERANCE_S = 0.005  # s; part ends and word ends are both rounded to 0.01 s
_CONTRACT_KEYS = frozenset(
    {"schema", "scenario", "level", "angle", "duration_s", "transcript", "parts", "signals", "probes", "delivery", "verdict"}
)


@dataclass(frozen=True)
class FollowUp:
    """A follow-up turn: the probe asked, what was said, and how it was judged."""

    n: int
    probe: str | None
    question: str
    status: str
    rating: str | None  # strong | mixed | weak | no_answer; None when it was never judged
    showed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    text: str = ""
    duration_s: float = 0.0
    audio: Path | None = None


@dataclass(frozen=True)
class Attempt:
    """One session as a candidate reviews it: the answer's analysis and its follow-ups."""

    id: str
    folder: Path
    kind: str  # practice | analyze
    status: str
    started: str | None  # local time, ISO 8601
    scenario: str
    title: str
    principle: str
    level: str | None
    angle: str | None
    question: str | None
    story: str | None
    audio: Path | None  # the answer's recording; None when it is gone
    duration_s: float
    analysis: Analysis | None  # None when the answer was never analysed (no speech, interrupted)
    follow_ups: tuple[FollowUp, ...] = ()
    listed_probes: tuple[ProbeChoice, ...] = ()  # chosen by the analysis (asked or not)
    source: str | None = None  # the file `analyze --save` read

    @property
    def when(self) -> str:
        """The date and time for a table: `2025-03-01 14:02`, or the id when unknown."""
        if self.started and len(self.started) >= 16:
            return self.started[:16].replace("T", " ")
        return self.id


# -- converting loose JSON into values (pure) ------------------------------------------------------


def _f(value, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{field} must be a number, not {value!r}")
    return float(value)


def _opt_f(value, field: str) -> float | None:
    return None if value is None else _f(value, field)


def _word_ranges(words: tuple[Word, ...], parts: list[dict]) -> list[tuple[int, int]]:
    """Each part's [first, last) word indices: a part runs up to its last word's end."""
    ranges, cursor = [], 0
    for p in parts:
        end = p.get("end")
        if p.get("status") == "missing" or end is None:
            ranges.append((cursor, cursor))
            continue
        last = cursor
        while last < len(words) and words[last].end <= end + _END_TOLERANCE_S:
            last += 1
        ranges.append((cursor, last))
        cursor = last
    present = [k for k, p in enumerate(parts) if p.get("status") != "missing" and p.get("end") is not None]
    if present and cursor < len(words):  # words after the last part's end belong to that part
        last_part = present[-1]
        ranges[last_part] = (ranges[last_part][0], len(words))
        for k in range(last_part + 1, len(ranges)):
            ranges[k] = (len(words), len(words))
    return ranges


def analysis_from_dict(data: dict, labels: dict[str, str] | None = None, pauses: tuple[Pause, ...] = ()) -> Analysis:
    """The analysis contract (``analysis_to_dict``) back as an `Analysis` value.

    Raises KeyError, TypeError or ValueError on a malformed dict; the caller names the file.
    """
    labels = labels or {}
    raw_words = data["transcript"]["words"]
    words = tuple(Word(str(w["text"]), _f(w["start"], "word start"), _f(w["end"], "word end")) for w in raw_words)
    transcript = Transcript(words, _f(data["duration_s"], "duration_s"), tuple(pauses))
    raw_parts = list(data["parts"])
    if [p["part"] for p in raw_parts] != list(PART_NAMES):
        raise ValueError(f"parts must be {', '.join(PART_NAMES)} in that order")
    ranges = _word_ranges(words, raw_parts)
    parts = tuple(
        PartSpan(
            part=p["part"],
            start=_opt_f(p.get("start"), "part start"),
            end=_opt_f(p.get("end"), "part end"),
            target_s=_f(p["target_s"], "target_s"),
            status=str(p["status"]),
            text=str(p.get("text", "")),
            word_range=r,
        )
        for p, r in zip(raw_parts, ranges)
    )
    signals = tuple(
        SignalResult(
            id=str(s["id"]),
            present=bool(s["present"]),
            kind=str(s["kind"]),
            label=labels.get(str(s["id"]), str(s["id"]).replace("_", " ")),
            evidence=tuple(Evidence(str(e["text"]), _f(e["start"], "evidence start")) for e in s.get("evidence", ())),
        )
        for s in data["signals"]
    )
    probes = tuple(ProbeChoice(str(p["id"]), str(p["question"]), tuple(map(str, p.get("triggered_by", ())))) for p in data.get("probes", ()))
    d = data["delivery"]
    delivery = Delivery(
        words_per_minute=_f(d["words_per_minute"], "words_per_minute"),
        fillers=int(d["fillers"]),
        fillers_per_minute=_f(d["fillers_per_minute"], "fillers_per_minute"),
        longest_pause_s=_f(d["longest_pause_s"], "longest_pause_s"),
        speaking_time_s=_f(d.get("speaking_time_s", 0.0), "speaking_time_s"),
    )
    v = data["verdict"]
    verdict = Verdict(str(v["lean"]), tuple(map(str, v.get("reasons", ()))))
    extras = {k: val for k, val in data.items() if k not in _CONTRACT_KEYS}
    return Analysis(
        scenario=str(data["scenario"]),
        level=str(data["level"]),
        angle=data.get("angle"),
        transcript=transcript,
        parts=parts,
        signals=signals,
        probes=probes,
        delivery=delivery,
        verdict=verdict,
        extras=extras,
    )


def _story_name(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return str(value.get("title") or value.get("name") or "") or None
    return str(value)


def attempt_from_data(
    session_id: str,
    folder: Path,
    manifest: dict,
    read_json: Callable[[str], dict],
    labels: Callable[[str], dict[str, str]] = lambda scenario: {},
) -> Attempt:
    """Build an `Attempt` from a session manifest; `read_json(name)` gives a file of the folder.

    Raises SessionError naming the session, the file and what is wrong.
    """
    current = "session.json"
    try:
        turns = manifest.get("turns") or []
        if not isinstance(turns, list):
            raise TypeError("turns must be a list")
        answer = next((t for t in turns if isinstance(t, dict) and t.get("kind") == "answer"), None)
        analysis = None
        scenario = str(manifest["scenario"])
        if answer is not None and answer.get("analysis"):
            pauses: tuple[Pause, ...] = ()
            if answer.get("transcript"):
                current = str(answer["transcript"])
                try:
                    t = read_json(current)
                    pauses = tuple(Pause(_f(p["start"], "pause start"), _f(p["end"], "pause end")) for p in t.get("pauses", ()))
                except FileNotFoundError:
                    pauses = ()  # the pauses only refine the timeline; the analysis is enough
            current = str(answer["analysis"])
            analysis = analysis_from_dict(read_json(current), labels(scenario), pauses)
        follow_ups = []
        for t in turns:
            if not isinstance(t, dict) or t.get("kind") != "probe":
                continue
            judgement: dict = {}
            if t.get("judgement"):
                current = str(t["judgement"])
                judgement = read_json(current)
            current = "session.json"
            follow_ups.append(
                FollowUp(
                    n=int(t["n"]),
                    probe=t.get("probe"),
                    question=str(t.get("question") or judgement.get("question") or ""),
                    status=str(t.get("status", "")),
                    rating=t.get("rating") or judgement.get("rating"),
                    showed=tuple(map(str, judgement.get("showed", ()))),
                    missing=tuple(map(str, judgement.get("missing", ()))),
                    red_flags=tuple(map(str, judgement.get("red_flags", ()))),
                    text=str(judgement.get("text", "")),
                    duration_s=float(t.get("duration_s") or 0.0),
                    audio=_in_folder(folder, str(t["audio"])) if t.get("audio") else None,
                )
            )
        current = "session.json"
        listed = manifest.get("probes")
        if isinstance(listed, list):
            listed_probes = tuple(ProbeChoice(str(p["id"]), str(p["question"]), tuple(p.get("triggered_by", ()))) for p in listed)
        else:
            listed_probes = analysis.probes if analysis is not None else ()
        audio = None
        if answer is not None and answer.get("audio"):
            audio = _in_folder(folder, str(answer["audio"]))
        duration = float(answer.get("duration_s") or 0.0) if answer is not None else 0.0
        if analysis is not None:
            duration = analysis.transcript.duration_s or duration
        level = manifest.get("level") or (analysis.level if analysis else None)
        source = manifest.get("source")
        return Attempt(
            id=session_id,
            folder=folder,
            kind=str(manifest.get("kind", "practice")),
            status=str(manifest.get("status", "")),
            started=manifest.get("started"),
            scenario=scenario,
            title=str(manifest.get("title") or ""),
            principle=str(manifest.get("principle") or ""),
            level=level,
            angle=manifest.get("angle"),
            question=manifest.get("question"),
            story=_story_name(manifest.get("story")),
            audio=audio,
            duration_s=duration,
            analysis=analysis,
            follow_ups=tuple(follow_ups),
            listed_probes=listed_probes,
            source=(source.get("name") if isinstance(source, dict) else source) or None,
        )
    except FileNotFoundError:
        raise SessionError(f"session {session_id}: {current} is missing; the folder is damaged") from None
    except json.JSONDecodeError as exc:
        raise SessionError(f"session {session_id}: {current} is not valid JSON (line {exc.lineno}); the folder is damaged") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        what = f"field {exc.args[0]!r} is missing" if isinstance(exc, KeyError) else str(exc)
        raise SessionError(f"session {session_id}: {current}: {what}; the folder is damaged") from None


# -- reading from disk (the edge) -------------------------------------------------------------------


def _bank_labels(scenario_id: str) -> dict[str, str]:
    from .bank import get_scenario

    try:
        return {s.id: s.label for s in get_scenario(scenario_id).signals}
    except MockInterviewError:  # the scenario is gone (a custom file removed): ids will do
        return {}


def _in_folder(folder: Path, name: str) -> Path:
    path = folder / name
    if path.parent != folder:  # a hand-edited manifest must not reach outside its folder
        raise ValueError(f"{name!r} is not a file name in the session folder")
    return path


def _read_json(folder: Path, name: str) -> dict:
    path = _in_folder(folder, name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{name} is not UTF-8 text") from None
    if not isinstance(data, dict):
        raise TypeError(f"{name} does not hold a JSON object")
    return data


def read_attempt(session: Session) -> Attempt:
    """A session folder as an `Attempt`; SessionError (one line) when it is damaged."""
    manifest = session.load()
    return attempt_from_data(session.id, session.folder, manifest, lambda name: _read_json(session.folder, name), _bank_labels)


def scan_attempts() -> Iterator[Attempt | SessionError]:
    """Every session in the data folder, oldest first; a damaged one yields its SessionError."""
    found: list[Attempt] = []
    for session in list_sessions():
        try:
            found.append(read_attempt(session))
        except SessionError as exc:
            yield exc
        except OSError as exc:
            yield SessionError(f"session {session.id}: cannot read it ({exc.strerror}); it is skipped")
    yield from sorted(found, key=lambda a: (a.started or "", a.id))


# -- the --json of report -------------------------------------------------------------------------


def attempt_to_dict(attempt: Attempt) -> dict:
    from .render.json_out import analysis_to_dict

    return {
        "schema": ATTEMPT_SCHEMA,
        "id": attempt.id,
        "folder": str(attempt.folder),
        "kind": attempt.kind,
        "status": attempt.status,
        "started": attempt.started,
        "scenario": attempt.scenario,
        "title": attempt.title,
        "principle": attempt.principle,
        "level": attempt.level,
        "angle": attempt.angle,
        "question": attempt.question,
        "story": attempt.story,
        "source": attempt.source,
        "duration_s": attempt.duration_s,
        "analysis": analysis_to_dict(attempt.analysis) if attempt.analysis is not None else None,
        "follow_ups": [
            {
                "n": f.n,
                "probe": f.probe,
                "question": f.question,
                "status": f.status,
                "rating": f.rating,
                "showed": list(f.showed),
                "missing": list(f.missing),
                "red_flags": list(f.red_flags),
                "text": f.text,
                "duration_s": f.duration_s,
            }
            for f in attempt.follow_ups
        ],
        "probes": [{"id": p.id, "question": p.question, "triggered_by": list(p.triggered_by)} for p in attempt.listed_probes],
    }


# -- analyze --save ---------------------------------------------------------------------------------


def save_analysis(
    source: str | Path,
    samples,
    analysis: Analysis,
    scenario,
    *,
    now: _dt.datetime | None = None,
    settings: dict | None = None,
) -> Session:
    """Store an analysed recording as a session (``kind: "analyze"``) and return it.

    `samples` is the recording as 16 kHz mono float32 (``io.audio.load_audio``); it is kept as
    ``turn-01-answer.wav`` (16-bit PCM), so a replay needs no decoder whatever the file was.
    """
    from .io.audio import SAMPLE_RATE
    from .io.wavwriter import PartialWavWriter
    from .practice import TRANSCRIPT_SCHEMA
    from .render.json_out import analysis_to_dict

    import numpy as np

    now = now or _dt.datetime.now()
    source = Path(source)
    session = new_session(scenario.id, now=now)
    name = "turn-01-answer"
    pcm = np.clip(np.round(np.asarray(samples, dtype=np.float32) * 32768.0), -32768, 32767).astype(np.int16)
    with PartialWavWriter(session.folder / f"{name}.wav") as writer:
        writer.write(pcm)
    t = analysis.transcript
    atomic_write_json(
        session.folder / f"{name}.transcript.json",
        {
            "schema": TRANSCRIPT_SCHEMA,
            "duration_s": t.duration_s,
            "text": t.text,
            "words": [{"text": w.text, "start": w.start, "end": w.end, "probability": w.probability} for w in t.words],
            "pauses": [{"start": p.start, "end": p.end} for p in t.pauses],
            "marks": [],
        },
    )
    atomic_write_json(session.folder / f"{name}.analysis.json", analysis_to_dict(analysis))
    probes = [{"id": p.id, "question": p.question, "triggered_by": list(p.triggered_by)} for p in analysis.probes]
    stamp = now.isoformat(timespec="seconds")
    session.save(
        {
            "kind": "analyze",
            "scenario": scenario.id,
            "title": scenario.title,
            "principle": scenario.principle,
            "level": analysis.level,
            "angle": analysis.angle,
            "question_index": None,
            "question": None,
            "started": stamp,
            "ended": stamp,
            "status": "complete",
            "source": {"name": source.name, "format": source.suffix.lstrip(".").lower() or None, "sample_rate": SAMPLE_RATE},
            "settings": dict(settings or {}),
            "probes": probes,
            "turns": [
                {
                    "n": 1,
                    "kind": "answer",
                    "probe": None,
                    "question": None,
                    "spoken": False,
                    "audio": f"{name}.wav",
                    "status": "complete" if t.words else "no_speech",
                    "duration_s": round(pcm.size / SAMPLE_RATE, 2),
                    "ended_by": "file",
                    "marks": [],
                    "transcript": f"{name}.transcript.json",
                    "analysis": f"{name}.analysis.json",
                    "verdict": analysis.verdict.lean,
                }
            ],
        }
    )
    return session
