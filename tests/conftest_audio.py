"""Fixtures for tests that use real (virtual) audio devices.

Not loaded automatically: a test module imports the fixture it needs,
``from tests.conftest_audio import pulse_server  # noqa: F401``.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pulse import PulseServer, missing_tools

_MAX_SOCKET_PATH = 100  # characters; a unix socket path must fit in 108 bytes


@pytest.fixture(scope="session")
def pulse_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    """A private PulseAudio daemon (virtual mic ``vmic``, speaker ``vspeaker``) for the session.

    Sets PULSE_SERVER / PULSE_SOURCE / PULSE_SINK in os.environ and re-scans PortAudio if
    sounddevice is already imported; everything is restored and the daemon stopped at the end.
    """
    missing = missing_tools()
    if missing:
        pytest.skip(
            f"PulseAudio is not installed ({', '.join(missing)} missing): "
            "apt-get install pulseaudio pulseaudio-utils libasound2-plugins"
        )
    folder = tmp_path_factory.mktemp("pulse")
    if len(str(folder / "native")) > _MAX_SOCKET_PATH:
        folder = None  # PulseServer makes a short one under /tmp and removes it afterwards
    server = PulseServer(folder)
    server.start()
    try:
        server.activate()
        yield server
    finally:
        server.deactivate()
        server.stop()
