"""The README's table of bad inputs, one test per row not covered in test_cli_errors.py."""
import os
import subprocess
import sys
import wave

import numpy as np
import pytest

from mockinterview.errors import SessionError
from mockinterview.store import find_session, new_session, safe_name

from .conftest import FIXTURES
from .test_cli_errors import one_line_error, run


def _decode(path, rate):
    from faster_whisper.audio import decode_audio

    return decode_audio(str(path), sampling_rate=rate)


def _write_wav(path, samples, rate, channels=1):
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path


def _encode_mp3(src_wav, dst):
    import av

    with wave.open(str(src_wav)) as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    with av.open(str(dst), "w", format="mp3") as out:
        stream = out.add_stream("libmp3lame", rate=rate)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for p in stream.encode(frame):
            out.mux(p)
        for p in stream.encode(None):
            out.mux(p)
    return dst


def test_truncated_mp3(tmp_path):
    wav = _write_wav(tmp_path / "a.wav", _decode(FIXTURES / "hs-weak.ogg", 16_000), 16_000)
    mp3 = _encode_mp3(wav, tmp_path / "a.mp3")
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(mp3.read_bytes()[:300])  # the header and almost nothing else
    r = run("analyze", str(cut))
    # a few hundred bytes of MP3 hold no speech: either unreadable or silent, said in one line
    one_line_error(r)
    assert "not a readable audio file" in r.stderr or "no speech" in r.stderr or "no audio" in r.stderr


def test_duplicate_scenario_ids(tmp_path, monkeypatch):
    extra = tmp_path / "bank"
    extra.mkdir()
    text = (FIXTURES.parent / "scenarios" / "ownership.yaml").read_text()
    (extra / "ownership.yaml").write_text(text)
    (extra / "ownership-copy.yaml").write_text(text.replace("id: ownership", "id: ownership-copy"))
    r = run("scenarios", "check", str(extra / "ownership.yaml"), str(FIXTURES.parent / "scenarios" / "ownership.yaml"))
    assert r.returncode == 4
    assert "duplicate id 'ownership'" in r.stderr


@pytest.mark.parametrize("name", ["../escape", "a/b", "..", ".", "", "x" * 101, "/etc"])
def test_session_names_cannot_traverse(name):
    with pytest.raises(SessionError, match="invalid name"):
        safe_name(name)
    with pytest.raises(SessionError):
        find_session(name) if name not in ("", ".", "..") else safe_name(name)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder; permissions cannot be tested as root")
def test_unreadable_data_folder_non_root(tmp_path, monkeypatch):
    home = tmp_path / "ro"
    home.mkdir(mode=0o500)
    monkeypatch.setenv("MOCKINTERVIEW_HOME", str(home))
    with pytest.raises(SessionError, match="MOCKINTERVIEW_HOME"):
        new_session("highest-standards")


def test_data_folder_that_is_a_file(tmp_path, monkeypatch):
    # what root still cannot do: a data folder path that is a regular file
    f = tmp_path / "not-a-folder"
    f.write_text("x")
    monkeypatch.setenv("MOCKINTERVIEW_HOME", str(f))
    with pytest.raises(SessionError, match="MOCKINTERVIEW_HOME"):
        new_session("highest-standards")


@pytest.mark.model
@pytest.mark.parametrize("rate,channels", [(8_000, 1), (48_000, 2)])
def test_other_sample_rates_and_stereo(tmp_path, rate, channels):
    mono = _decode(FIXTURES / "hs-weak.ogg", rate)
    samples = np.repeat(mono[:, None], channels, axis=1).reshape(-1) if channels == 2 else mono
    f = _write_wav(tmp_path / f"a{rate}.wav", samples, rate, channels)
    r = run("analyze", str(f), "--json")
    assert r.returncode == 0, r.stderr
    import json

    d = json.loads(r.stdout)
    assert abs(d["duration_s"] - len(mono) / rate) < 0.1
    assert len(d["transcript"]["words"]) > 30


@pytest.mark.model
def test_five_second_answer(tmp_path):
    five = _decode(FIXTURES / "hs-weak.ogg", 16_000)[: 16_000 * 5]
    f = _write_wav(tmp_path / "five.wav", five, 16_000)
    r = run("analyze", str(f), "--json")
    assert r.returncode == 0, r.stderr
    import json

    d = json.loads(r.stdout)
    statuses = {p["part"]: p["status"] for p in d["parts"]}
    assert statuses["result"] == "missing" and statuses["reflection"] == "missing"
    assert d["verdict"]["lean"] in ("no_hire", "leaning_no_hire")


@pytest.mark.model
def test_non_english_speech_is_refused(tmp_path):
    import shutil

    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed")
    f = tmp_path / "es.wav"
    subprocess.run(["espeak-ng", "-v", "es", "-s", "160", "-w", str(f),
                    "El año pasado trabajé en un almacén. Los envíos llegaban tarde y nadie sabía por qué. "
                    "Analicé los datos durante una semana y encontré el error en el sistema."], check=True)
    one_line_error(run("analyze", str(f)), "does not sound like English")


@pytest.mark.slow
@pytest.mark.model
def test_twenty_minute_answer_memory_stays_bounded(tmp_path):
    one = _decode(FIXTURES / "hs-strong.ogg", 16_000)
    long = np.tile(one, int(np.ceil(20 * 60 * 16_000 / len(one))))[: 20 * 60 * 16_000]
    f = _write_wav(tmp_path / "long.wav", long, 16_000)
    code = ("import resource, sys; from mockinterview.cli import main; rc = main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr); sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code, "analyze", str(f), "--json"], capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-500:]
    peak_mib = int(r.stderr.strip().splitlines()[-1])
    assert peak_mib < 1024, peak_mib
