"""A private PulseAudio daemon that gives a headless machine a real microphone and speaker.

CI machines have no sound card and cannot load snd-aloop. This daemon provides, at 16 kHz mono
s16le everywhere (so nothing is resampled and the microphone path is bit-exact):

- ``vmic``: the default source. Whatever is played into the sink ``vmic_in`` comes out of it.
- ``vspeaker``: the default sink. What is played to it can be recorded from ``vspeaker.monitor``.
- ``vclock``: a null source looped into ``vspeaker`` with 20 ms latency. An idle null sink
  renders in 2 s lumps (a recorder on its monitor gets nothing for up to 2 s); the steady
  20 ms clock plus one suspend/resume of the sink avoids that.

PortAudio reaches the daemon through ALSA's ``pulse`` plugin; ``PULSE_SERVER`` points clients at
it. PortAudio scans devices at ``import sounddevice``, so ``activate()`` re-initialises it if it
was already imported.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE_RATE = 16_000  # Hz
CHANNELS = 1
SAMPLE_FORMAT = "s16le"
CLOCK_LATENCY_MS = 20  # ms; also what parec is given, or it delivers 2 s lumps
READY_TIMEOUT_S = 10.0  # s to wait for the daemon to answer
STOP_TIMEOUT_S = 5.0  # s to wait for the daemon to exit

MIC_SOURCE = "vmic"
MIC_UPLINK_SINK = "vmic_in"
SPEAKER_SINK = "vspeaker"

_SPEC = f"rate={SAMPLE_RATE} channels={CHANNELS} format={SAMPLE_FORMAT}"


class PulseUnavailable(RuntimeError):
    """The pulseaudio binary (or its utilities) is not installed."""


def missing_tools() -> list[str]:
    return [tool for tool in ("pulseaudio", "pactl", "paplay", "parec") if not shutil.which(tool)]


class PulseServer:
    """Start with ``start()``, point this process at it with ``activate()``, end with ``stop()``."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self._own_folder = folder is None
        self.folder = Path(folder or tempfile.mkdtemp(prefix="mi-pulse-"))
        self.socket = self.folder / "native"
        self.server = f"unix:{self.socket}"
        self.log_path = self.folder / "pulse.log"
        self._proc: subprocess.Popen | None = None
        self._saved_env: dict[str, str | None] = {}

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def env(self) -> dict[str, str]:
        """Environment for child processes (paplay, parec, python -c ...) that use the daemon."""
        env = dict(os.environ)
        env.update(self._client_env())
        return env

    def _client_env(self) -> dict[str, str]:
        return {
            "PULSE_SERVER": self.server,
            "PULSE_SOURCE": MIC_SOURCE,
            "PULSE_SINK": SPEAKER_SINK,
            # Never autospawn a daemon from a client if ours is gone: a test must fail instead.
            "PULSE_CLIENTCONFIG": str(self.folder / "client.conf"),
        }

    def _daemon_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key in ("PULSE_SERVER", "PULSE_SOURCE", "PULSE_SINK"):
            env.pop(key, None)
        env.update(
            HOME=str(self.folder / "home"),
            XDG_RUNTIME_DIR=str(self.folder / "run"),
            XDG_CONFIG_HOME=str(self.folder / "home" / ".config"),
            PULSE_RUNTIME_PATH=str(self.folder / "run"),
            PULSE_STATE_PATH=str(self.folder / "state"),
            PULSE_CLIENTCONFIG=str(self.folder / "client.conf"),
        )
        return env

    def start(self) -> PulseServer:
        missing = missing_tools()
        if missing:
            raise PulseUnavailable(f"not installed: {', '.join(missing)}")
        for sub in ("home", "run", "state"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        (self.folder / "run").chmod(0o700)
        (self.folder / "client.conf").write_text("autospawn = no\n")
        script = self.folder / "default.pa"
        script.write_text(
            "\n".join(
                [
                    "load-module module-native-protocol-unix auth-anonymous=1 "
                    f"socket={self.socket}",
                    f"load-module module-null-source source_name=vclock "
                    f"max_latency_msec={CLOCK_LATENCY_MS} {_SPEC}",
                    f"load-module module-null-sink sink_name={SPEAKER_SINK} {_SPEC}",
                    f"load-module module-loopback source=vclock sink={SPEAKER_SINK} "
                    f"latency_msec={CLOCK_LATENCY_MS}",
                    f"load-module module-virtual-source source_name={MIC_SOURCE} master=vclock "
                    f"uplink_sink={MIC_UPLINK_SINK} {_SPEC}",
                    f"set-default-sink {SPEAKER_SINK}",
                    f"set-default-source {MIC_SOURCE}",
                    # One suspend/resume, or the null sink may keep rendering in 2 s lumps.
                    f"suspend-sink {SPEAKER_SINK} 1",
                    f"suspend-sink {SPEAKER_SINK} 0",
                    "",
                ]
            )
        )
        command = [
            "pulseaudio",
            "-n",
            "-F",
            str(script),
            # A child, not a daemon: we hold its handle, stop it by pid, and reap it.
            "--daemonize=no",
            "--use-pid-file=no",
            "--exit-idle-time=-1",
            "--realtime=no",
            "--high-priority=no",
            "--disallow-exit=yes",
            f"--log-target=file:{self.log_path}",
        ]
        if shutil.which("setpriv"):
            # If the test process dies without tearing down (a hard timeout, kill -9), the
            # daemon gets SIGTERM instead of running on forever.
            command = ["setpriv", "--pdeathsig", "TERM", *command]
        self._proc = subprocess.Popen(
            command, env=self._daemon_env(), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                code = self._proc.returncode
                self._proc = None
                raise RuntimeError(f"pulseaudio exited with {code} at start: {self._log_tail()}")
            if self.socket.exists():
                probe = subprocess.run(
                    ["pactl", "list", "short", "sources"],
                    env=self.env, capture_output=True, text=True, timeout=READY_TIMEOUT_S,
                )
                if probe.returncode == 0 and MIC_SOURCE in probe.stdout:
                    return
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"pulseaudio did not become ready: {self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return " | ".join(self.log_path.read_text().strip().splitlines()[-5:])
        except OSError:
            return ""

    def activate(self) -> None:
        """Point this process (and its children) at the daemon, and make PortAudio see it."""
        for key, value in self._client_env().items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value
        _rescan_portaudio()

    def deactivate(self) -> None:
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()
        _rescan_portaudio()

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(STOP_TIMEOUT_S)
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def kill(self) -> None:
        """Kill the daemon abruptly (to simulate the sound server dying); stop() still works."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(STOP_TIMEOUT_S)

    def __enter__(self) -> PulseServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- helpers for tests -------------------------------------------------------------------

    def play_into_mic(self, wav_path: str | os.PathLike[str]) -> subprocess.Popen:
        """Start playing a WAV into the virtual microphone; returns the paplay process."""
        return subprocess.Popen(
            ["paplay", f"--device={MIC_UPLINK_SINK}", str(wav_path)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def record_speaker(self, out_path: str | os.PathLike[str]) -> subprocess.Popen:
        """Start recording what reaches the speaker into a 16 kHz mono WAV.

        Stop it with ``stop_recorder(proc)`` (SIGTERM), so parec finishes the WAV header.
        """
        return subprocess.Popen(
            [
                "parec",
                f"--device={SPEAKER_SINK}.monitor",
                f"--latency-msec={CLOCK_LATENCY_MS}",
                f"--rate={SAMPLE_RATE}",
                f"--channels={CHANNELS}",
                f"--format={SAMPLE_FORMAT}",
                "--file-format=wav",
                str(out_path),
            ],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    @staticmethod
    def stop_recorder(proc: subprocess.Popen, timeout_s: float = STOP_TIMEOUT_S) -> int:
        proc.terminate()
        try:
            return proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait(timeout_s)


def _rescan_portaudio() -> None:
    """PortAudio lists devices once, at initialisation; re-initialise it if already loaded."""
    sd = sys.modules.get("sounddevice")
    if sd is not None:
        sd._terminate()
        sd._initialize()
