"""One small hierarchy of errors a user can act on.

The library raises these; only the CLI turns them into a one-line message and an exit code.
Every message says what is wrong and what to do about it.
"""
from __future__ import annotations

__all__ = [
    "MockInterviewError",
    "AudioError",
    "NoSpeechError",
    "ScenarioError",
    "UnknownScenarioError",
    "ModelError",
    "DeviceError",
    "SessionError",
]


class MockInterviewError(Exception):
    """Base class: `str(error)` is the one-line message shown to the user."""

    exit_code = 1


class AudioError(MockInterviewError):
    """An audio file is missing, empty, unreadable or not audio."""

    exit_code = 3


class NoSpeechError(AudioError):
    """The audio decodes but holds no speech."""


class ScenarioError(MockInterviewError):
    """A scenario file is invalid; the message names the file, line and field path."""

    exit_code = 4


class UnknownScenarioError(ScenarioError):
    """No scenario has the id asked for; the message suggests close matches."""


class ModelError(MockInterviewError):
    """The speech model cannot be found or loaded."""

    exit_code = 5


class DeviceError(MockInterviewError):
    """No microphone / speaker, PortAudio missing, or the device vanished."""

    exit_code = 6


class SessionError(MockInterviewError):
    """A session cannot be found, read or written."""

    exit_code = 7
