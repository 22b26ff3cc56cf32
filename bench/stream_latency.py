"""How long after an answer ends is its transcript (and its report) ready?

    python bench/stream_latency.py [--answer hs-strong] [--runs 3] [--fast]

Feeds a recorded answer through the code path the microphone uses, in real time (0.1 s int16
blocks, each delivered when a microphone would have delivered it): ``StreamingTranscriber.feed``
per block, the silence stop of ``practice`` (the answer ends once --silence-stop seconds of
silence have been heard), then ``finish()``, ``analyze()`` and the rendered report. Two ways an
answer ends are measured:

- ``silence``: the candidate stops talking and the silence stop ends the answer;
- ``key``: the candidate presses Enter right after the last word (the worst case: the words
  since the last pause are still to be decoded);
- ``pause``: the candidate presses Enter half a second after the last word.

For each it prints the median and spread of "answer ended -> transcript" and "answer ended ->
report rendered", the chunks and decoder time, the whole-file transcription time for comparison
and the word error rate between the two, with the machine's load, so figures from a busy machine
are recognisable as such. Not a test: timings depend on the machine.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mockinterview.analysis import analyze  # noqa: E402
from mockinterview.bank import get_scenario  # noqa: E402
from mockinterview.io.asr import CPU_THREADS, Transcriber, speech_spans  # noqa: E402
from mockinterview.io.audio import SAMPLE_RATE, load_audio  # noqa: E402
from mockinterview.io.stream import STREAM_CPU_THREADS, StreamingTranscriber, blocks_from_audio, load_stream_model  # noqa: E402
from mockinterview.eval import tokens, word_error_rate  # noqa: E402

BLOCK_S = 0.1  # s, the microphone's block
PAUSE_BEFORE_KEY_S = 0.5  # s between the last word and Enter in the "pause" mode


def one_run(audio: np.ndarray, model, scenario, mode: str, silence_stop_s: float, realtime: bool) -> dict:
    """Stream `audio` (ending right after its last word) and time the end of the answer."""
    from rich.console import Console

    from mockinterview.render.terminal import report

    tail_s = {"silence": silence_stop_s + 1.0, "key": 0.0, "pause": PAUSE_BEFORE_KEY_S}[mode]
    tail = np.zeros(round(tail_s * SAMPLE_RATE), np.float32)
    stream = StreamingTranscriber(model)
    submitted = []
    started = time.monotonic()
    for block in blocks_from_audio(np.concatenate([audio, tail]), BLOCK_S, realtime=realtime):
        stream.feed(block)
        if len(stream.chunks) > len(submitted):
            submitted.append(round(stream.duration_s, 2))
        if mode == "silence" and stream.speech_started and stream.trailing_silence_s >= silence_stop_s:
            break
    ended = time.monotonic()
    pending = len(stream.chunks)
    transcript = stream.finish()
    t_transcript = time.monotonic()
    analysis = analyze(transcript, scenario)
    Console(file=io.StringIO(), width=100).print(report(analysis))
    t_report = time.monotonic()
    return {
        "transcript_s": t_transcript - ended,
        "report_s": t_report - ended,
        "fed_s": ended - started,
        "chunks": len(stream.chunks),
        "chunks_at_end": len(stream.chunks) - pending,
        "cut_at": submitted,
        "decode_s": stream.decode_seconds,
        "reused": stream.reused,
        "text": transcript.text,
    }


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f} s"
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--answer", default="hs-strong", help="fixture in audio_fixtures/ (default: hs-strong)")
    p.add_argument("--runs", type=int, default=3, help="runs per way of ending (default: 3)")
    p.add_argument("--silence-stop", type=float, default=3.0, help="s of silence that end an answer (default: 3)")
    p.add_argument("--modes", default="silence,key,pause", help="silence,key,pause (default: all)")
    p.add_argument("--no-whole", action="store_true", help="skip the whole-file comparison (its second model), so the peak RSS is the streaming path's alone")
    p.add_argument("--fast", action="store_true", help="feed as fast as possible, not in real time (chunking differs)")
    args = p.parse_args(argv)

    audio = load_audio(REPO / "audio_fixtures" / f"{args.answer}.ogg")
    audio = np.round(audio * 32768).clip(-32768, 32767).astype(np.int16).astype(np.float32) / 32768  # as recorded
    last_word = speech_spans(audio)[-1][1]
    audio = audio[: round((last_word + 0.1) * SAMPLE_RATE)]  # the answer ends with its last word
    scenario = get_scenario("highest-standards")
    t = time.monotonic()
    model = load_stream_model(None)
    load_s = time.monotonic() - t
    StreamingTranscriber(model).close()  # load the VAD too

    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start")
    print(f"answer: {args.answer}, {audio.size / SAMPLE_RATE:.1f} s, fed {'as fast as possible' if args.fast else 'in real time'}; model load {load_s:.2f} s")
    print(f"decoder threads: streaming {STREAM_CPU_THREADS}, whole file {CPU_THREADS}")
    whole = None
    if not args.no_whole:
        t = time.monotonic()
        whole = Transcriber()(audio)
        whole_s = time.monotonic() - t
        print(f"whole-file transcription after the answer (the old way): {whole_s:.2f} s")

    for mode in args.modes.split(","):
        runs = [one_run(audio, model, scenario, mode, args.silence_stop, not args.fast) for _ in range(args.runs)]
        how = {
            "silence": f"after {args.silence_stop:g} s of silence",
            "key": "by Enter right after the last word",
            "pause": f"by Enter {PAUSE_BEFORE_KEY_S:g} s after the last word",
        }[mode]
        print(f"\nanswer ended {how}:")
        print(f"  answer ended -> transcript: {spread([r['transcript_s'] for r in runs])}")
        print(f"  answer ended -> report rendered: {spread([r['report_s'] for r in runs])}")
        if mode == "silence":
            total = [r["report_s"] + args.silence_stop for r in runs]
            print(f"  last word -> report (with the silence stop): {spread(total)}")
        for r in runs:
            print(
                f"  run: {r['chunks']} chunks (cut at {', '.join(f'{c:g}' for c in r['cut_at'])} s; "
                f"{r['chunks_at_end']} left for finish, {r['reused']} taken from a speculation), decoder busy {r['decode_s']:.1f} s"
                + (f", WER vs whole file {word_error_rate(tokens(whole.text), tokens(r['text'])):.3f}" if whole else "")
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak:.0f} MiB; load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
