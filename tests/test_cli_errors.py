"""Bad input gets one line on stderr, a non-zero exit and never a traceback."""
import subprocess
import sys
import wave

import numpy as np
import pytest

from .conftest import FIXTURES


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "mockinterview", *args], capture_output=True, text=True, timeout=120, **kw)


def one_line_error(r, *needles):
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("mockinterview: error: ")
    for n in needles:
        assert n in lines[0], lines[0]
    assert r.stdout == ""


def _wav(path, samples, rate=16_000, channels=1):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return path


def test_missing_file(tmp_path):
    one_line_error(run("analyze", str(tmp_path / "nope.wav")), "no such file")


def test_folder_instead_of_file(tmp_path):
    one_line_error(run("analyze", str(tmp_path)), "is a folder")


def test_empty_file(tmp_path):
    f = tmp_path / "empty.wav"
    f.write_bytes(b"")
    one_line_error(run("analyze", str(f)), "empty")


def test_zero_length_wav(tmp_path):
    f = _wav(tmp_path / "zero.wav", np.zeros(0))
    one_line_error(run("analyze", str(f)), "no audio")


def test_text_file_named_wav(tmp_path):
    f = tmp_path / "notes.wav"
    f.write_text("this is not audio\n" * 50)
    one_line_error(run("analyze", str(f)), "not a readable audio file")


def test_corrupt_header(tmp_path):
    data = bytearray((FIXTURES / "hs-weak.ogg").read_bytes())
    data[:64] = b"\x00" * 64
    f = tmp_path / "corrupt.ogg"
    f.write_bytes(bytes(data))
    one_line_error(run("analyze", str(f)), "not a readable audio file")


def test_silence_only(tmp_path):
    f = _wav(tmp_path / "silence.wav", np.zeros(16_000 * 3))
    one_line_error(run("analyze", str(f)), "no speech detected")


def test_unknown_scenario_suggests_close_matches():
    one_line_error(run("analyze", str(FIXTURES / "hs-weak.ogg"), "--scenario", "ownershipp"), "unknown scenario", "did you mean ownership")


def test_unknown_model_folder(tmp_path):
    one_line_error(run("analyze", str(FIXTURES / "hs-weak.ogg"), "--model", str(tmp_path)), "not a CTranslate2 Whisper model folder")


def test_a_model_name_without_internet_says_so_and_how_to_go_on(tmp_path):
    import os

    # Offline as CI is (the hub unreachable), and sure to stay so: no cache, offline mode.
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"))
    r = run("analyze", str(FIXTURES / "hs-weak.ogg"), "--model", "base.en", env=env)
    assert r.returncode == 5
    one_line_error(r, "cannot download model 'base.en'", "needs internet", "omit --model")


def test_help_does_not_import_heavy_libraries():
    code = "import sys; from mockinterview.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\nprint(sorted(m for m in ('faster_whisper', 'sounddevice', 'pyttsx3', 'ctranslate2', 'av') if m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip().splitlines()[-1] == "[]"
