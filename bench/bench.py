"""The performance figures of issue 7, each as median and spread over several runs.

    python bench/bench.py [--runs 5] [--skip-analyze]

- `mockinterview --help` wall time (fresh interpreter each run);
- `mockinterview analyze` of a 3-minute answer, wall time including imports and model load,
  as a fraction of the audio's duration (fresh interpreter each run);
- the analysis core (segmentation, signals, probes, verdict, delivery) per answer, on real
  transcripts of the dev corpus;
- peak memory (max RSS) of the analyze run.
The streaming latency (answer ended -> report) is measured by bench/stream_latency.py.
Prints the machine's load before and after, so a busy machine's figures are recognisable.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _spread(xs):
    xs = sorted(xs)
    return f"median {statistics.median(xs):.3f}  min {xs[0]:.3f}  max {xs[-1]:.3f}  (n={len(xs)})"


def _load():
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def bench_help(runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mockinterview", "--help"], capture_output=True, check=True, cwd=REPO)
        times.append(time.perf_counter() - t0)
    return times


def three_minute_answer(path: Path) -> float:
    """hs-strong (146 s) followed by the start of co-no-reflection: 180 s of speech."""
    from faster_whisper.audio import decode_audio

    a = decode_audio(str(REPO / "audio_fixtures/hs-strong.ogg"), sampling_rate=16_000)
    b = decode_audio(str(REPO / "audio_fixtures/co-no-reflection.ogg"), sampling_rate=16_000)
    x = np.concatenate([a, b])[: 180 * 16_000]
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
    return len(x) / 16_000


def bench_analyze(runs, audio: Path):
    code = (
        "import resource, sys, time; t0 = time.perf_counter(); from mockinterview.cli import main; "
        "rc = main(sys.argv[1:]); "
        "print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr); sys.exit(rc)"
    )
    times, rss = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", code, "analyze", str(audio), "--json"], capture_output=True, text=True, cwd=REPO)
        times.append(time.perf_counter() - t0)
        if r.returncode:
            raise SystemExit(r.stderr)
        rss.append(int(r.stderr.split("RSS")[-1].split()[0]))
    return times, rss


def bench_core(repeats=20):
    from mockinterview.analysis import analyze
    from mockinterview.bank import get_scenario
    from mockinterview.corpus import labels_path, load_answers
    from mockinterview.eval import _transcribe_cached

    per_answer = []
    for a in load_answers("dev"):
        if not labels_path(a).exists():
            continue
        try:
            t = _transcribe_cached(a, None, True)
        except Exception:
            continue
        s = get_scenario(a.scenario)
        analyze(t, s, a.level)
        ts = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            analyze(t, s, a.level)
            ts.append(time.perf_counter() - t0)
        per_answer.append(statistics.median(ts) * 1000)
    return per_answer


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-analyze", action="store_true")
    args = ap.parse_args()
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores; {_load()}")
    h = bench_help(args.runs)
    print(f"--help wall (s):                {_spread(h)}   goal <= 0.3")
    core = bench_core()
    if core:
        print(f"analysis core per answer (ms):  {_spread(core)}   goal <= 20   ({len(core)} dev answers, cached transcripts)")
    else:
        print("analysis core: no cached dev transcripts; run `python -m mockinterview.eval` first")
    if not args.skip_analyze:
        with tempfile.TemporaryDirectory() as tmp:
            audio = Path(tmp) / "three-minutes.wav"
            dur = three_minute_answer(audio)
            times, rss = bench_analyze(max(1, args.runs // 2 + 1), audio)
            ratios = [t / dur for t in times]
            print(f"analyze {dur:.0f} s file, wall (s): {_spread(times)}")
            print(f"analyze wall / duration:        {_spread(ratios)}   goal <= 0.08")
            print(f"analyze peak RSS (MiB):         {_spread(rss)}")
    print(f"after: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
