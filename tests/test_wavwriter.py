"""PartialWavWriter and recover_partials, without devices."""
from __future__ import annotations

import errno
import wave
from pathlib import Path

import numpy as np
import pytest

from mockinterview.errors import AudioError
from mockinterview.io.wavwriter import (
    HEADER_BYTES,
    PartialWavWriter,
    RecoveredRecording,
    recover_partials,
)
from tests.fakes import QuotaFile

RATE = 16_000  # Hz


class FakeClock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def ramp(n: int, start: int = 0) -> np.ndarray:
    """Distinct, recognisable samples: (start + i) wrapped into int16."""
    return ((np.arange(start, start + n) % 65536) - 32768).astype(np.int16)


def read_wav(path: Path) -> tuple[np.ndarray, wave._wave_params]:
    with wave.open(str(path), "rb") as f:
        params = f.getparams()
        data = np.frombuffer(f.readframes(params.nframes), dtype="<i2")
    return data, params


def test_write_close_gives_a_wav_with_every_sample(tmp_path: Path) -> None:
    target = tmp_path / "answer.wav"
    blocks = [ramp(1600, start=i * 1600) for i in range(10)]
    with PartialWavWriter(target) as out:
        assert out.partial_path == tmp_path / "answer.wav.partial"
        assert out.partial_path.exists() and not target.exists()
        for block in blocks:
            out.write(block)
        assert out.frames_written == 16_000
    assert not out.partial_path.exists()
    data, params = read_wav(target)
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, RATE)
    np.testing.assert_array_equal(data, np.concatenate(blocks))
    assert target.stat().st_size == HEADER_BYTES + 2 * 16_000


def test_close_returns_the_final_path_and_is_idempotent(tmp_path: Path) -> None:
    out = PartialWavWriter(tmp_path / "a.wav")
    out.write(ramp(10))
    assert out.close() == tmp_path / "a.wav"
    assert out.close() == tmp_path / "a.wav"


def test_float_blocks_are_converted_and_clipped(tmp_path: Path) -> None:
    samples = np.array([0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -3.0], dtype=np.float32)
    with PartialWavWriter(tmp_path / "f.wav") as out:
        out.write(samples)
    data, _ = read_wav(tmp_path / "f.wav")
    assert data.tolist() == [0, 16384, -16384, 32767, -32767, 32767, -32767]


def test_stereo_and_other_rates(tmp_path: Path) -> None:
    block = np.stack([ramp(100), ramp(100, start=5000)], axis=1)
    with PartialWavWriter(tmp_path / "s.wav", channels=2, sample_rate=48_000) as out:
        out.write(block)
        assert out.frames_written == 100
    with wave.open(str(tmp_path / "s.wav"), "rb") as f:
        assert (f.getnchannels(), f.getframerate(), f.getnframes()) == (2, 48_000, 100)
        interleaved = np.frombuffer(f.readframes(100), dtype="<i2")
    np.testing.assert_array_equal(interleaved.reshape(-1, 2), block)


def test_block_shape_must_match_channels(tmp_path: Path) -> None:
    with PartialWavWriter(tmp_path / "x.wav", channels=2) as out:
        with pytest.raises(ValueError, match="channels"):
            out.write(ramp(10))
        with pytest.raises(ValueError, match="does not match"):
            out.write(np.zeros((10, 3), dtype=np.int16))


def test_header_is_valid_mid_write_after_a_sync(tmp_path: Path) -> None:
    clock = FakeClock()
    out = PartialWavWriter(tmp_path / "live.wav", sync_interval_s=1.0, clock=clock)
    out.write(ramp(1600))
    clock.advance(0.5)
    out.write(ramp(1600, start=1600))  # no sync yet: the header still says 0 frames
    with wave.open(str(out.partial_path), "rb") as f:
        assert f.getnframes() == 0
    clock.advance(0.6)
    out.write(ramp(1600, start=3200))  # 1.1 s since the last sync: header patched + fsync
    data, params = read_wav(out.partial_path)
    assert params.nframes == 4800
    np.testing.assert_array_equal(data, ramp(4800))
    out.write(ramp(1600, start=4800))  # written, but not yet in the header
    assert read_wav(out.partial_path)[1].nframes == 4800
    out.close()
    assert read_wav(tmp_path / "live.wav")[1].nframes == 6400


def test_an_existing_partial_is_never_overwritten(tmp_path: Path) -> None:
    leftover = tmp_path / "answer.wav.partial"
    leftover.write_bytes(b"crashed recording")
    with pytest.raises(AudioError, match="unfinished recording .*answer.wav.partial"):
        PartialWavWriter(tmp_path / "answer.wav")
    assert leftover.read_bytes() == b"crashed recording"


def _crashed_partial(folder: Path, name: str, frames: int, extra_bytes: int) -> Path:
    """A partial as a SIGKILL leaves it: stale header (0 frames), data cut mid-frame."""
    out = PartialWavWriter(folder / name)
    out.write(ramp(frames))
    out._file.write(b"\x7f" * extra_bytes)  # half of a frame that never finished
    out._file.close()  # no sync, no rename: the process "died"
    return out.partial_path


def test_recover_rebuilds_sizes_and_drops_the_half_frame(tmp_path: Path) -> None:
    partial = _crashed_partial(tmp_path, "answer.wav", frames=12_345, extra_bytes=1)
    assert read_wav(partial)[1].nframes == 0  # the header was never patched

    found = recover_partials(tmp_path)

    assert found == [
        RecoveredRecording(tmp_path / "answer.wav", 12_345 / RATE, frames=12_345)
    ]
    assert not partial.exists()
    data, params = read_wav(tmp_path / "answer.wav")
    assert params.nframes == 12_345
    np.testing.assert_array_equal(data, ramp(12_345))
    assert (tmp_path / "answer.wav").stat().st_size == HEADER_BYTES + 2 * 12_345


def test_recover_stereo_keeps_whole_frames(tmp_path: Path) -> None:
    out = PartialWavWriter(tmp_path / "st.wav", channels=2)
    out.write(np.zeros((100, 2), dtype=np.int16))
    out._file.write(b"\x01\x02\x03")  # 3 of the 4 bytes of a stereo frame
    out._file.close()
    [found] = recover_partials(tmp_path)
    assert found.frames == 100
    with wave.open(str(found.path), "rb") as f:
        assert (f.getnchannels(), f.getnframes()) == (2, 100)


def test_recover_searches_subfolders_unless_told_not_to(tmp_path: Path) -> None:
    session = tmp_path / "sessions" / "2024-01-01"
    session.mkdir(parents=True)
    _crashed_partial(session, "q1.wav", frames=800, extra_bytes=0)
    assert recover_partials(tmp_path, recursive=False) == []
    [found] = recover_partials(tmp_path)
    assert found.path == session / "q1.wav"
    assert found.duration_s == pytest.approx(0.05)


def test_a_partial_with_a_truncated_header_is_marked_broken(tmp_path: Path) -> None:
    (tmp_path / "short.wav.partial").write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt ")  # 16 bytes
    (tmp_path / "empty.wav.partial").write_bytes(b"")
    found = recover_partials(tmp_path)
    assert [(r.path.name, r.broken, r.duration_s) for r in found] == [
        ("empty.wav.broken", True, 0.0),
        ("short.wav.broken", True, 0.0),
    ]
    assert "16 of 44 bytes" in found[1].reason
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.wav.broken", "short.wav.broken"]


def test_recovery_never_overwrites_a_finished_recording(tmp_path: Path) -> None:
    with PartialWavWriter(tmp_path / "a.wav") as out:
        out.write(ramp(10))
    _crashed_partial(tmp_path, "a.wav", frames=20, extra_bytes=0)
    [found] = recover_partials(tmp_path)
    assert found.path == tmp_path / "a.recovered-1.wav"
    assert read_wav(tmp_path / "a.wav")[1].nframes == 10
    assert read_wav(found.path)[1].nframes == 20


def test_recover_on_a_missing_folder_finds_nothing(tmp_path: Path) -> None:
    assert recover_partials(tmp_path / "nope") == []


def test_disk_full_raises_audio_error_and_keeps_the_audio_so_far(tmp_path: Path) -> None:
    quota = HEADER_BYTES + 2 * 4000 + 1  # room for 4000 frames and one stray byte
    out = PartialWavWriter(tmp_path / "full.wav", opener=lambda p: QuotaFile(p, quota))
    out.write(ramp(1600))
    out.write(ramp(1600, start=1600))
    with pytest.raises(AudioError) as caught:
        out.write(ramp(1600, start=3200))  # only 800 frames + 1 byte fit: a short write...
    message = str(caught.value)
    assert "disk is full" in message
    assert str(out.partial_path) in message
    assert "\n" not in message
    assert caught.value.__cause__.errno == errno.ENOSPC

    # What was written before the failing block is a valid WAV right now, as it is.
    data, params = read_wav(out.partial_path)
    assert params.nframes == 3200
    np.testing.assert_array_equal(data, ramp(3200))

    with pytest.raises(AudioError, match="closed"):
        out.write(ramp(10))
    assert out.close() == out.partial_path  # the audio stays where the message said
    [found] = recover_partials(tmp_path)
    assert (found.path, found.frames) == (tmp_path / "full.wav", 3200)


def test_writing_to_dev_full_raises_audio_error(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("/dev/full is Linux-only")
    with pytest.raises(AudioError, match="disk is full"):
        PartialWavWriter(
            tmp_path / "x.wav", opener=lambda p: open("/dev/full", "wb", buffering=0)
        )


def test_exit_with_an_exception_still_finishes_the_file(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        with PartialWavWriter(tmp_path / "k.wav") as out:
            out.write(ramp(500))
            raise KeyboardInterrupt
    assert read_wav(tmp_path / "k.wav")[1].nframes == 500
