"""Transcribe while recording: audio blocks in, a `Transcript` out moments after the answer ends.

A whole-file transcription of a 3-minute answer takes ~13 s with tiny.en on 2 cores, and every
Whisper call costs ~1.2-2 s whatever its length (it pads its input to 30 s). So the stream:

- keeps all the audio, and runs Silero VAD on it incrementally, window by window, carrying the
  model's state, so its speech spans are the very spans ``asr.speech_spans`` finds on the whole
  file (checked sample for sample in the tests);
- cuts a chunk at a pause once the chunk holds enough audio to amortise the fixed cost, and hands
  it to one background thread that owns the model; a chunk, once cut, is final and is never
  decoded again (and the previous text is never passed as a prompt: that made some chunks 10x
  slower, see ../shared/notes/asr-and-voice.md);
- on ``finish()`` decodes only the tail since the last cut, and returns the same kind of
  `Transcript` as the file path (``asr.Transcriber``): word starts corrected with VAD, VAD pauses,
  the audio's duration.

The core takes numpy blocks from any iterator (a microphone, or a file replayed in real time or
faster by ``blocks_from_audio``), so it is tested without a microphone. ``decode`` is injectable:
tests replay known words instead of running Whisper.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
import time
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Callable, Iterable, Iterator

import numpy as np

from ..errors import NoSpeechError
from ..types import Pause, Transcript, Word
from .asr import PAUSE_MIN_MS, _fix_word_starts, decode_words, vad_pauses
from .audio import SAMPLE_RATE

__all__ = [
    "STREAM_CPU_THREADS",
    "ChunkPolicy",
    "IncrementalVad",
    "StreamingTranscriber",
    "blocks_from_audio",
    "load_stream_model",
    "transcribe_blocks",
]

log = logging.getLogger(__name__)

# Silero VAD's framing, as in faster_whisper.vad.get_speech_timestamps / SileroVADModel.
VAD_WINDOW = 512  # samples per speech probability (32 ms)
VAD_CONTEXT = 64  # samples of the previous window the model sees with each window
VAD_THRESHOLD = 0.5  # probability at or above which a window is speech
VAD_NEG_THRESHOLD = VAD_THRESHOLD - 0.15  # below this a window is silence (faster-whisper's rule)
VAD_MIN_SPEECH_MS = 100  # ms; shorter blips are dropped (same as asr.speech_spans)
_FULL_SCALE_INT16 = 32768.0
_INITIAL_CAPACITY_S = 60.0  # s of audio preallocated; the buffer doubles when full

Decode = Callable[[np.ndarray, float], list[Word]]  # (float32 audio, its offset in s) -> words

# Threads for decoding while recording: all cores but one, which the recording loop, the sound
# server and the screen need. Measured on 2 busy cores (hs-weak through practice on the virtual
# microphone): with 2 threads a 10 s chunk took 6-21 s (the thread pool stalls whenever one of
# its threads is preempted), with 1 thread 1.2-2.9 s.
STREAM_CPU_THREADS = max(1, min(4, (os.cpu_count() or 2) - 1))


@lru_cache(maxsize=2)
def load_stream_model(name_or_path: str | None = None):
    """The speech model for a `StreamingTranscriber`: ``asr.load_model``'s, on fewer threads,
    so the recording loop and the sound server keep a core while a chunk decodes."""
    from .asr import load_model

    return load_model(name_or_path, cpu_threads=STREAM_CPU_THREADS)


@dataclass(frozen=True)
class ChunkPolicy:
    """When a stretch of speech is cut off and sent to Whisper. Times in seconds."""

    cut_silence_s: float = 0.5  # a pause at least this long may end a chunk
    min_chunk_s: float = 8.0  # ...once the chunk holds this much audio (amortises the fixed cost)
    # Heuristic: a longer pause while the decoder is idle ends the chunk whatever its length.
    # The answer may be over (the silence stop needs seconds more to be sure), and a decode
    # started now is usually done before the end is confirmed; an idle decoder costs nothing.
    eager_silence_s: float | None = 1.0
    # Heuristic: a pause this long usually ends the answer; cut even behind a busy decoder.
    likely_end_s: float | None = 1.5
    eager_min_s: float = 1.0  # but not for a lone word or two: tiny.en may invent text there
    # At every pause the VAD reports (>= 0.25 s), an idle decoder decodes the speech not yet in
    # a chunk, without making it final. If the answer ends there, or a chunk is later cut at
    # exactly that speech, the words are ready; if the candidate goes on, only the words after
    # that pause wait for finish().
    speculate: bool = True
    max_chunk_s: float = 28.0  # Whisper's window is 30 s; cut at any pause before that
    pad_s: float = 0.2  # s of audio kept either side of a chunk, as the file path does


def _to_float32(block: np.ndarray) -> np.ndarray:
    samples = np.asarray(block)
    if samples.ndim == 2:
        if samples.shape[1] != 1:
            raise ValueError(f"blocks must be mono, not {samples.shape[1]} channels")
        samples = samples[:, 0]
    elif samples.ndim != 1:
        raise ValueError(f"a block must be shaped (frames,) or (frames, 1), not {samples.shape}")
    if samples.dtype == np.int16:
        # Same scaling as PyAV decoding a 16-bit WAV, so a saved answer re-analysed from its
        # file gives the same samples to VAD and Whisper.
        return samples.astype(np.float32) / np.float32(_FULL_SCALE_INT16)
    if np.issubdtype(samples.dtype, np.floating):
        return samples.astype(np.float32, copy=False)
    raise ValueError(f"blocks must be int16 or float, not {samples.dtype}")


class IncrementalVad:
    """Silero VAD fed piece by piece; its spans equal ``asr.speech_spans`` on the whole audio.

    faster-whisper runs the model over all windows in one batch with the LSTM state carried
    from window to window, each window preceded by the last 64 samples of the one before. Doing
    the same per piece, with the state kept between calls, gives bit-identical probabilities;
    the thresholding below is get_speech_timestamps' loop for speech_pad_ms=0 and no maximum
    speech length, run one window at a time.
    """

    def __init__(self, min_silence_ms: int = PAUSE_MIN_MS, sample_rate: int = SAMPLE_RATE) -> None:
        if sample_rate != 16_000:
            raise ValueError("Silero VAD here runs at 16 kHz only")
        from faster_whisper.vad import get_vad_model  # lazy: onnxruntime

        self._session = get_vad_model().session
        self.sample_rate = sample_rate
        self._min_silence = sample_rate * min_silence_ms / 1000  # samples
        self._min_speech = sample_rate * VAD_MIN_SPEECH_MS / 1000  # samples
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(VAD_CONTEXT, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)  # samples not yet a whole window
        self._windows = 0  # windows processed
        self._triggered = False
        self._start = 0  # sample where the open span started
        self._temp_end = 0  # sample where the open span may end (0: not in a silence)
        self._finished_at: int | None = None
        self.spans: list[tuple[int, int]] = []  # closed speech spans, in samples

    # -- feeding -----------------------------------------------------------------------------

    def push(self, audio: np.ndarray) -> None:
        """Add float32 samples; every whole window is classified now."""
        if self._finished_at is not None:
            raise RuntimeError("the VAD has finished")
        data = np.concatenate([self._pending, audio]) if self._pending.size else audio
        whole = data.size // VAD_WINDOW * VAD_WINDOW
        self._pending = data[whole:].copy()
        if whole:
            self._run(data[:whole].reshape(-1, VAD_WINDOW))

    def finish(self, total_samples: int) -> list[tuple[int, int]]:
        """Close the stream (the audio is `total_samples` long) and return every span."""
        if self._finished_at is None:
            # get_speech_timestamps pads to a multiple of the window, adding a whole window of
            # zeros when the length is already one; do the same for identical results.
            pad = np.zeros(VAD_WINDOW - self._pending.size, dtype=np.float32)
            self._run(np.concatenate([self._pending, pad]).reshape(1, VAD_WINDOW))
            self._pending = np.zeros(0, dtype=np.float32)
            if self._triggered and total_samples - self._start > self._min_speech:
                self.spans.append((self._start, total_samples))
            self._triggered = False
            self._finished_at = total_samples
        return list(self.spans)

    # -- reading -----------------------------------------------------------------------------

    @property
    def processed(self) -> int:
        """Samples classified so far (the VAD's "now")."""
        return self._windows * VAD_WINDOW

    @property
    def in_speech(self) -> bool:
        """A span is open: speech now, or a silence too short yet to end it."""
        return self._triggered

    @property
    def open_start(self) -> int | None:
        return self._start if self._triggered else None

    @property
    def speech_started(self) -> bool:
        return bool(self.spans) or (
            self._triggered and self.processed - self._start > self._min_speech
        )

    def speech(self) -> int:
        """Samples of speech heard so far (spans, and the open one up to now)."""
        closed = sum(b - a for a, b in self.spans)
        if self._triggered:
            closed += (self._temp_end or self.processed) - self._start
        return closed

    def trailing_silence(self) -> int:
        """Samples of silence since the last speech (all of it before any speech)."""
        if self._triggered:
            return self.processed - self._temp_end if self._temp_end else 0
        last_end = self.spans[-1][1] if self.spans else 0
        return self.processed - last_end

    # -- private -----------------------------------------------------------------------------

    def _run(self, windows: np.ndarray) -> None:
        contexts = np.concatenate([self._context[None, :], windows[:-1, -VAD_CONTEXT:]], axis=0)
        batch = np.concatenate([contexts, windows], axis=1)
        probs, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self._context = windows[-1, -VAD_CONTEXT:].copy()
        for p in np.asarray(probs).reshape(-1):
            self._step(float(p))
            self._windows += 1

    def _step(self, p: float) -> None:
        pos = self._windows * VAD_WINDOW
        if p >= VAD_THRESHOLD and self._temp_end:
            self._temp_end = 0
        if p >= VAD_THRESHOLD and not self._triggered:
            self._triggered = True
            self._start = pos
            return
        if p < VAD_NEG_THRESHOLD and self._triggered:
            if not self._temp_end:
                self._temp_end = pos
            if pos - self._temp_end < self._min_silence:
                return
            if self._temp_end - self._start > self._min_speech:
                self.spans.append((self._start, self._temp_end))
            self._triggered = False
            self._temp_end = 0


@dataclass(frozen=True, eq=False)
class _Chunk:
    index: int  # -1: a speculative decode, not (yet) a chunk
    lo: int  # samples
    hi: int  # samples
    audio: np.ndarray  # a copy: the stream's buffer may be reallocated while this is decoded
    speech: tuple[int, int] = (0, 0)  # samples: the first span's start, the last span's end

    @property
    def speculative(self) -> bool:
        return self.index < 0


class StreamingTranscriber:
    """Feed audio blocks while recording; ``finish()`` returns the `Transcript`.

        stream = StreamingTranscriber(load_stream_model(None))
        for block in mic.blocks():
            stream.feed(block)
            if stream.speech_s > 1.5 and stream.trailing_silence_s > 3:
                break
        transcript = stream.finish()

    Blocks are int16 (as the microphone gives them) or float32 in [-1, 1], shaped (frames,) or
    (frames, 1), at 16 kHz. One background thread decodes the chunks in order with the model
    (share one model between streams, one stream at a time); ``background=False`` decodes in
    ``feed()`` instead (deterministic, for tests).
    """

    def __init__(
        self,
        model=None,
        *,
        decode: Decode | None = None,
        policy: ChunkPolicy = ChunkPolicy(),
        background: bool = True,
        vad: IncrementalVad | None = None,
    ) -> None:
        if decode is None:
            decode = partial(decode_words, model if model is not None else load_stream_model(None))
        self._decode = decode
        self.policy = policy
        self.sample_rate = SAMPLE_RATE
        self._vad = vad or IncrementalVad()
        self._audio = np.zeros(round(_INITIAL_CAPACITY_S * SAMPLE_RATE), dtype=np.float32)
        self._size = 0  # samples held
        self._next_span = 0  # index of the first VAD span not yet in a chunk
        self._chunks: list[_Chunk] = []
        self._results: dict[int, list[Word]] = {}
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._inflight = 0
        # Speculations queued since the last final cut, as (start, end) of their speech: a chain,
        # each starting at the first span after the previous one (never the same speech twice).
        self._spec_chain: list[tuple[int, int]] = []
        self._spec_words: dict[tuple[int, int], list[Word]] = {}  # speech -> words, once decoded
        self._chain_hi = 0  # where the last piece's audio ends (samples)
        self._covered_by: dict[int, list[tuple[int, int]]] = {}  # chunk -> the pieces that decoded its speech
        self._started: set[int] = set()  # final chunks the decoder has started on
        self._take_pieces: set[int] = set()  # final chunks finish() will not wait to decode
        self.reused = 0  # chunks whose words came from a speculation (no decode at all)
        self._decodes = 0  # decodes finished, final and speculative
        self._finished: Transcript | None = None
        self._closed = False
        self.decode_seconds = 0.0  # s spent in Whisper, all chunks
        self._queue: queue.Queue[_Chunk | None] | None = None
        self._worker: threading.Thread | None = None
        if background:
            self._queue = queue.Queue()
            self._worker = threading.Thread(
                target=self._work, name="mockinterview-asr", daemon=True
            )
            self._worker.start()

    # -- feeding -----------------------------------------------------------------------------

    def feed(self, block: np.ndarray) -> None:
        if self._finished is not None or self._closed:
            raise RuntimeError("this stream has finished; start a new StreamingTranscriber")
        samples = _to_float32(block)
        if not samples.size:
            return
        self._append(samples)
        self._vad.push(samples)
        self._maybe_cut()

    def finish(self) -> Transcript:
        """Decode what is left and return the whole transcript.

        Raises NoSpeechError, like the file path, when the audio holds no speech or no words.
        """
        if self._finished is not None:
            return self._finished
        if self._closed:
            raise RuntimeError("this stream was closed")
        spans = self._vad.finish(self._size)
        with self._lock:  # chunks cut moments ago, not started yet: their pieces will do
            self._take_pieces = {i for i in self._covered_by if i not in self._started}
        pending = spans[self._next_span :]
        # The speech up to the last speculated pause is decoded (or decoding) already: make each
        # speculated piece a chunk of its own, so only what was said after it waits.
        for n in self._speculated_pieces(pending):
            self._submit(pending[0][0], pending[n - 1][1], pending[n][0] if n < len(pending) else None)
            pending = pending[n:]
        groups = list(_group_spans(pending, self.policy.max_chunk_s * SAMPLE_RATE))
        for group, after in zip(groups, groups[1:] + [None]):
            self._submit(group[0][0], group[-1][1], None if after is None else after[0][0])
        self._next_span = len(spans)
        self._wait_all()
        self._stop_worker()
        seconds = [(a / SAMPLE_RATE, b / SAMPLE_RATE) for a, b in spans]
        if not seconds or sum(b - a for a, b in seconds) < 0.3:
            raise NoSpeechError(
                "no speech detected in the recording; check the microphone level or the file"
            )
        words = _fix_word_starts(self._ordered_words(), seconds)
        if not words:
            raise NoSpeechError("no words recognised in the recording; is it English speech?")
        self._finished = Transcript(
            words=tuple(words), duration_s=round(self.duration_s, 2), pauses=vad_pauses(seconds)
        )
        return self._finished

    def close(self) -> None:
        """Stop the decoder without waiting for it (after an error or Ctrl-C)."""
        self._closed = True
        self._stop_worker(wait=False)

    def __enter__(self) -> StreamingTranscriber:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()

    # -- reading while recording -------------------------------------------------------------

    @property
    def duration_s(self) -> float:
        return self._size / SAMPLE_RATE

    @property
    def speech_started(self) -> bool:
        return self._vad.speech_started

    @property
    def speech_s(self) -> float:
        """Seconds of speech heard so far."""
        return self._vad.speech() / SAMPLE_RATE

    @property
    def trailing_silence_s(self) -> float:
        """Seconds since the candidate last spoke (the whole recording before they start)."""
        return self._vad.trailing_silence() / SAMPLE_RATE

    @property
    def speech_start_s(self) -> float | None:
        if self._vad.spans:
            return self._vad.spans[0][0] / SAMPLE_RATE
        start = self._vad.open_start
        return None if start is None else start / SAMPLE_RATE

    @property
    def chunks(self) -> tuple[tuple[float, float], ...]:
        """(start, end) in seconds of every chunk sent to the decoder so far."""
        with self._lock:
            return tuple((c.lo / SAMPLE_RATE, c.hi / SAMPLE_RATE) for c in self._chunks)

    @property
    def decoded(self) -> int:
        """How many decodes have finished, speculative ones included: `words_so_far()` can
        only change when this does."""
        with self._lock:
            return self._decodes

    def pauses_so_far(self) -> tuple[Pause, ...]:
        return vad_pauses([(a / SAMPLE_RATE, b / SAMPLE_RATE) for a, b in self._vad.spans])

    def words_so_far(self) -> tuple[Word, ...]:
        """Words heard so far, in order, for a live cue: the decoded chunks, then the latest
        speculation beyond them (so the cue is current up to the last pause it decoded)."""
        seconds = [(a / SAMPLE_RATE, b / SAMPLE_RATE) for a, b in self._vad.spans]
        words = self._ordered_words()
        with self._lock:
            if len(self._results) == len(self._chunks):  # the finals are all in: add the chain
                for key in self._spec_chain:
                    if key not in self._spec_words:
                        break
                    words = words + self._spec_words[key]
        return tuple(_fix_word_starts(words, seconds))

    def audio(self) -> np.ndarray:
        """All the audio so far, float32 (a view: copy it to keep it)."""
        return self._audio[: self._size]

    # -- private -----------------------------------------------------------------------------

    def _append(self, samples: np.ndarray) -> None:
        need = self._size + samples.size
        if need > self._audio.size:
            grown = np.zeros(max(need, 2 * self._audio.size), dtype=np.float32)
            grown[: self._size] = self._audio[: self._size]
            self._audio = grown
        self._audio[self._size : need] = samples
        self._size = need

    def _maybe_cut(self) -> None:
        spans = self._vad.spans
        pending = spans[self._next_span :]
        if not pending:
            return
        p = self.policy
        rate = SAMPLE_RATE
        now = self._vad.processed
        first = pending[0][0]
        extent = (pending[-1][1] - first) / rate
        cut = False
        if not self._vad.in_speech:
            silence = (now - pending[-1][1]) / rate
            if silence >= p.cut_silence_s and extent >= p.min_chunk_s:
                cut = True
            elif extent >= p.eager_min_s and (
                (p.likely_end_s is not None and silence >= p.likely_end_s)
                or (p.eager_silence_s is not None and silence >= p.eager_silence_s and self._idle())
            ):
                cut = True
        # No pause long enough for too long: cut at the last pause of any length (>= the VAD's
        # 250 ms), so a chunk stays inside Whisper's 30 s window.
        if not cut and (now - first) / rate >= p.max_chunk_s:
            cut = True
        if cut:
            pieces = self._speculated_pieces(pending)
            self._submit(first, pending[-1][1], self._vad.open_start)
            if sum(pieces) == len(pending) and len(pieces) > 1:
                # Decoded as one long window for accuracy; but if the answer ends before the
                # decoder starts on it, finish() takes the pieces' words instead of waiting.
                with self._lock:
                    self._covered_by[len(self._chunks) - 1] = list(self._spec_chain)
            self._next_span = len(spans)
            self._spec_chain = []
        elif p.speculate and extent >= p.eager_min_s and self._idle():
            self._speculate(pending)

    def _idle(self) -> bool:
        with self._lock:
            return self._inflight == 0

    def _window(self, start: int, end: int, next_start: int | None) -> tuple[int, int]:
        """The samples decoded for the speech from `start` to `end`: padded, but the pads never
        reach into another chunk (`next_start`: where the following speech begins, if it has)."""
        pad = round(self.policy.pad_s * SAMPLE_RATE)
        previous_hi = self._chunks[-1].hi if self._chunks else 0
        lo = max(0, start - pad, previous_hi)
        hi = min(self._size, end + pad)
        if next_start is not None:
            hi = min(hi, (end + next_start) // 2)
        return lo, hi

    def _speculate(self, pending: list[tuple[int, int]]) -> None:
        """Decode the pending speech the chain of speculations has not covered yet."""
        covered = sum(self._speculated_pieces(pending))
        if covered >= len(pending):
            return
        start, end = pending[covered][0], pending[-1][1]
        self._spec_chain.append((start, end))
        lo, hi = self._window(start, end, self._vad.open_start)
        lo = max(lo, self._chain_hi) if covered else lo  # the pieces' pads never overlap
        self._chain_hi = hi
        self._enqueue(_Chunk(-1, lo, hi, self._audio[lo:hi].copy(), (start, end)))

    def _speculated_pieces(self, pending: list[tuple[int, int]]) -> list[int]:
        """The speculation chain over `pending`, as span counts: [3, 2] means spans 0-2 were
        decoded as one piece and spans 3-4 as the next."""
        pieces, i = [], 0
        chain = set(self._spec_chain)
        while i < len(pending):
            n = next((n for n in range(len(pending), i, -1) if (pending[i][0], pending[n - 1][1]) in chain), 0)
            if not n:
                break
            pieces.append(n - i)
            i = n
        return pieces

    def _submit(self, start: int, end: int, next_start: int | None = None) -> None:
        """Queue the speech from `start` to `end` (samples) as the next chunk: final."""
        lo, hi = self._window(start, end, next_start)
        chunk = _Chunk(len(self._chunks), lo, hi, self._audio[lo:hi].copy(), (start, end))
        with self._lock:
            self._chunks.append(chunk)
        log.debug("chunk %d: %.2f-%.2f s", chunk.index, chunk.lo / SAMPLE_RATE, chunk.hi / SAMPLE_RATE)
        self._enqueue(chunk)

    def _enqueue(self, chunk: _Chunk) -> None:
        """Hand a chunk or a speculation to the decoder (it counts as in flight until done)."""
        with self._lock:
            self._inflight += 1
        if self._queue is None:
            self._decode_chunk(chunk)
        else:
            self._queue.put(chunk)

    def _decode_chunk(self, chunk: _Chunk) -> None:
        lo_s, hi_s = chunk.lo / SAMPLE_RATE, chunk.hi / SAMPLE_RATE
        with self._lock:
            spec_words = None if chunk.speculative else self._spec_words.get(chunk.speech)
            if spec_words is None and chunk.index in self._take_pieces:
                pieces = self._covered_by[chunk.index]
                if all(k in self._spec_words for k in pieces):
                    spec_words = [w for k in pieces for w in self._spec_words[k]]
            if not chunk.speculative:
                self._started.add(chunk.index)
        if spec_words is not None:
            # The worker runs jobs in order, so a speculation of this very speech queued before
            # it has finished by now: its words are final. Never decode twice. (Its window may
            # differ a little, in the pauses: keep the words that start inside this one.)
            log.debug("chunk %d: words from the speculation", chunk.index)
            with self._done:
                self.reused += 1
                self._results[chunk.index] = [w for w in spec_words if lo_s <= w.start < hi_s]
                self._inflight -= 1
                self._done.notify_all()
            return
        started = time.perf_counter()
        try:
            words = [w for w in self._decode(chunk.audio, lo_s) if w.start < hi_s]
        except Exception as error:  # noqa: BLE001 - handed to finish() in the caller's thread
            with self._done:
                if not chunk.speculative:  # a final chunk decodes it again and reports it
                    self._error = error
                self._inflight -= 1
                self._done.notify_all()
            return
        took = time.perf_counter() - started
        log.debug("%s %d (%.1f s of audio) decoded in %.2f s", "speculation" if chunk.speculative else "chunk",
                  chunk.index, hi_s - lo_s, took)
        with self._done:
            self.decode_seconds += took
            self._decodes += 1
            if chunk.speculative:
                self._spec_words[chunk.speech] = words
            else:
                self._results[chunk.index] = words
            self._inflight -= 1
            self._done.notify_all()

    def _work(self) -> None:
        assert self._queue is not None
        while True:
            chunk = self._queue.get()
            if chunk is None or self._closed:
                return
            self._decode_chunk(chunk)

    def _wait_all(self) -> None:
        with self._done:
            while self._inflight and self._error is None:
                if self._worker is not None and not self._worker.is_alive():
                    raise RuntimeError("the speech decoder thread stopped with chunks left")
                self._done.wait(0.1)
            if self._error is not None:
                raise self._error

    def _stop_worker(self, wait: bool = True) -> None:
        worker, self._worker = self._worker, None
        if worker is None or self._queue is None:
            return
        self._queue.put(None)
        if wait:
            worker.join()

    def _ordered_words(self) -> list[Word]:
        with self._lock:
            words: list[Word] = []
            for chunk in self._chunks:
                got = self._results.get(chunk.index)
                if got is None:
                    break  # keep the words in order: stop at the first chunk still decoding
                words.extend(got)
            return words


def _group_spans(spans: list[tuple[int, int]], max_samples: float) -> Iterator[list[tuple[int, int]]]:
    """Group spans greedily into windows under `max_samples`, cut at pauses (the tail is rarely
    longer than one window)."""
    group: list[tuple[int, int]] = []
    for span in spans:
        if group and span[1] - group[0][0] > max_samples:
            yield group
            group = []
        group.append(span)
    if group:
        yield group


def blocks_from_audio(
    audio: np.ndarray,
    block_s: float = 0.1,
    *,
    realtime: bool = False,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[np.ndarray]:
    """Yield int16 blocks shaped (frames, 1), like the microphone, from float or int16 audio.

    With ``realtime=True`` each block is yielded when it would have finished arriving from a
    microphone, so a recorded answer can stand in for a live one.
    """
    samples = np.asarray(audio)
    if np.issubdtype(samples.dtype, np.floating):
        samples = np.clip(np.round(samples * _FULL_SCALE_INT16), -32768, 32767).astype(np.int16)
    samples = samples.reshape(-1)
    step = max(1, round(block_s * SAMPLE_RATE))
    started = clock()
    for i in range(0, samples.size, step):
        block = samples[i : i + step]
        if realtime:
            due = started + (i + block.size) / SAMPLE_RATE
            wait = due - clock()
            if wait > 0:
                sleep(wait)
        yield block.reshape(-1, 1)


def transcribe_blocks(blocks: Iterable[np.ndarray], model=None, **kwargs) -> Transcript:
    """Stream every block through a `StreamingTranscriber` and return its transcript."""
    stream = StreamingTranscriber(model, **kwargs)
    try:
        for block in blocks:
            stream.feed(block)
        return stream.finish()
    finally:
        stream.close()
