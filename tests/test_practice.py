"""Practice sessions end to end with fakes at the edges: a microphone replaying a fixture answer,
a voice that keeps what it said, keys pressed at set times, a clock driven by the audio, and a
decoder that replays the fixture's script instead of running Whisper."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import wave

import numpy as np
import pytest
from rich.console import Console

from mockinterview.errors import DeviceError, MockInterviewError, NoSpeechError, SessionError
from mockinterview.io.stream import StreamingTranscriber
from mockinterview.io.wavwriter import PartialWavWriter
from mockinterview.practice import (
    LiveCue,
    NoKeys,
    PracticeIO,
    PracticeOptions,
    live_cue,
    pick_question,
    recording_view,
    run_practice,
)
from mockinterview.recovery import recover_recordings, recovery_message, session_lock
from mockinterview.store import Session, list_sessions, new_session
from mockinterview.types import PART_NAMES
from tests.fakes import (
    REPO,
    RATE,
    FakeClock,
    FakeKeys,
    FakeMic,
    FakeVoice,
    QuotaFile,
    ScriptDecoder,
    fixture_audio,
    script_words,
)

TARGETS = {"situation": 30.0, "task": 20.0, "action": 90.0, "result": 20.0, "reflection": 15.0}
FOLLOW_UP = slice(round(105.5 * RATE), round(131.2 * RATE))  # hs-strong: verifying, the result


class Rig:
    """A practice session's edges, all fake; `scripts` are the words each turn's decoder knows."""

    def __init__(self, *, heard: bool = True, keys: bool = False) -> None:
        self.clock = FakeClock()
        self.mic = FakeMic(self.clock)
        self.voice = FakeVoice(heard)
        self.keys = FakeKeys(self.clock) if keys else None
        self.scripts: list[tuple] = []
        self.decoders: list[ScriptDecoder] = []
        self.console = Console(record=True, width=100, force_terminal=False, color_system=None)

    def transcriber(self) -> StreamingTranscriber:
        decoder = ScriptDecoder(self.scripts.pop(0) if self.scripts else ())
        self.decoders.append(decoder)
        return StreamingTranscriber(decode=decoder, background=False)

    def io(self, speak: bool = True) -> PracticeIO:
        return PracticeIO(
            open_mic=self.mic,
            speak=self.voice if speak else None,
            transcriber=self.transcriber,
            keys=self.keys if self.keys is not None else NoKeys,
            clock=self.clock,
        )

    def answer(self, name: str, audio=None, words=None, then=None) -> None:
        self.mic.enqueue(fixture_audio(name) if audio is None else audio, then=then)
        self.scripts.append(script_words(name) if words is None else words)

    def follow_up(self, then=None) -> None:
        audio = fixture_audio("hs-strong")[FOLLOW_UP]
        offset = FOLLOW_UP.start / RATE
        words = tuple(
            type(w)(w.text, round(w.start - offset, 3), round(w.end - offset, 3))
            for w in script_words("hs-strong")
            if FOLLOW_UP.start / RATE <= w.start < FOLLOW_UP.stop / RATE
        )
        self.answer("hs-strong", audio=audio, words=words, then=then)

    def run(self, speak: bool = True, **options):
        return run_practice(PracticeOptions(**options), self.io(speak), self.console)

    @property
    def output(self) -> str:
        return self.console.export_text()


def read_wav(path) -> np.ndarray:
    with wave.open(str(path), "rb") as f:
        assert (f.getnchannels(), f.getsampwidth(), f.getframerate()) == (1, 2, RATE)
        return np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")


def only_session() -> Session:
    [session] = list_sessions()
    return session


def test_a_whole_session_is_spoken_recorded_analysed_and_saved():
    rig = Rig()
    rig.answer("hs-weak")
    rig.follow_up()
    result = rig.run(max_probes=1, silence_stop_s=2.0)

    session = only_session()
    manifest = session.load()
    assert manifest == result.manifest | {"schema": manifest["schema"], "id": session.id}
    question = "Tell me about a time you raised the bar on quality when nobody asked you to."
    assert manifest["question"] == question and manifest["status"] == "complete"
    answer, probe = manifest["turns"]
    assert [t["n"] for t in manifest["turns"]] == [1, 2]
    assert rig.voice.history == [question, probe["question"]]  # spoken, in order

    # Turn 1: the audio is exactly what the microphone gave, and the answer ended by silence.
    assert answer["audio"] == "turn-01-answer.wav" and answer["status"] == "complete"
    saved = read_wav(session.folder / answer["audio"])
    assert np.array_equal(saved, np.concatenate(rig.mic.delivered[0]))
    assert answer["ended_by"] == "silence"
    speech_end = 29.733  # hs-weak's labels
    assert speech_end + 2.0 <= answer["duration_s"] <= speech_end + 2.0 + 1.0
    analysis = json.loads((session.folder / answer["analysis"]).read_text())
    assert analysis["schema"] == "mockinterview.analysis/1"
    assert [p["part"] for p in analysis["parts"]] == list(PART_NAMES)
    assert analysis["verdict"]["lean"] == answer["verdict"] in ("no_hire", "leaning_no_hire")
    assert analysis["probes"][0]["id"] == probe["probe"]
    transcript = json.loads((session.folder / answer["transcript"]).read_text())
    assert len(transcript["words"]) == len(script_words("hs-weak")) and transcript["pauses"]

    # Turn 2: the probe the analysis chose first, judged.
    assert probe["kind"] == "probe" and probe["audio"] == f"turn-02-probe-{probe['probe']}.wav"
    assert read_wav(session.folder / probe["audio"]).size == sum(b.size for b in rig.mic.delivered[1])
    judgement = json.loads((session.folder / probe["judgement"]).read_text())
    assert judgement["probe"] == probe["probe"] and judgement["rating"] == probe["rating"]
    assert judgement["question"] == probe["question"] and "watched the delivery metrics" in judgement["text"]

    out = rig.output
    for shown in (question, "Recording: answer now", "STAR parts", "Bar raiser verdict", "Follow-up answer", "Session summary", str(session.folder)):
        assert shown in out
    assert rig.mic.opened == 3  # the check before anything is said, then one per turn
    assert {"transcript_s", "report_s"} <= set(answer["timing"])


def test_no_follow_ups_when_max_probes_is_zero_and_no_voice_with_no_speak():
    rig = Rig()
    rig.answer("hs-weak")
    rig.run(max_probes=0, speak=False)
    [turn] = only_session().load()["turns"]
    assert turn["kind"] == "answer" and not turn["spoken"]
    assert rig.voice.history == []
    assert "could not be spoken" not in rig.output


def test_without_audio_output_the_question_is_printed_and_that_is_said():
    rig = Rig(heard=False)
    rig.answer("hs-weak")
    rig.run(max_probes=0)
    assert "No audio output: the question could not be spoken" in rig.output
    assert only_session().load()["turns"][0]["spoken"] is False


def test_keys_mark_the_parts_and_finish_the_answer():
    rig = Rig(keys=True)
    rig.answer("hs-weak")
    labels = {"task": 6.9, "action": 11.5, "result": 22.4, "reflection": 27.2}
    for at in labels.values():
        rig.keys.enqueue(at + 0.3, "n")  # a press just after starting the part
    rig.keys.enqueue(30.0, "\n")
    rig.run(max_probes=0)
    [turn] = only_session().load()["turns"]
    assert turn["ended_by"] == "key" and turn["duration_s"] == pytest.approx(30.0, abs=0.15)
    assert turn["marks"] == pytest.approx([at + 0.3 for at in labels.values()], abs=0.11)
    parts = json.loads((only_session().folder / turn["analysis"]).read_text())["parts"]
    for part in parts[1:]:
        assert part["start"] == pytest.approx(labels[part["part"]], abs=0.6)


def test_a_short_sound_then_a_thinking_pause_does_not_end_the_answer():
    rig = Rig()
    um = fixture_audio("hs-weak")[round(0.5 * RATE) : round(1.0 * RATE)]  # "So": half a second
    pause = np.zeros(4 * RATE, np.int16)
    rig.answer("hs-weak", audio=np.concatenate([um, pause, fixture_audio("hs-weak")]), words=())
    with pytest.raises(NoSpeechError):  # the fake decoder knows no words here; timing is the point
        rig.run(max_probes=0, silence_stop_s=3.0)
    [turn] = only_session().load()["turns"]
    assert turn["ended_by"] == "silence" and turn["duration_s"] > 4.5 + 29.7 + 3.0


def test_an_answer_is_cut_at_the_maximum_length():
    rig = Rig()
    rig.answer("hs-weak")
    rig.run(max_probes=0, max_seconds=12.0)
    [turn] = only_session().load()["turns"]
    assert turn["ended_by"] == "max_length" and turn["duration_s"] == pytest.approx(12.0, abs=0.1)


def test_no_microphone_is_one_message_before_anything_is_said_or_saved():
    rig = Rig()
    rig.mic.fail_open = DeviceError("No microphone: cannot open the default microphone (x). Pick one with `--device`.")
    with pytest.raises(DeviceError) as caught:
        rig.run()
    message = str(caught.value)
    assert "\n" not in message and "`mockinterview analyze FILE`" in message and "`--device`" in message
    assert rig.voice.history == [] and list_sessions() == []


def test_a_microphone_lost_mid_answer_keeps_the_audio_and_says_what_to_do():
    rig = Rig()
    lost = DeviceError("The microphone stopped delivering audio (device disconnected or sound server stopped); what was recorded so far is saved.")
    rig.answer("hs-weak", audio=fixture_audio("hs-weak")[: 12 * RATE], then=lost)
    with pytest.raises(DeviceError) as caught:
        rig.run()
    session = only_session()
    manifest = session.load()
    assert manifest["status"] == "device_lost"
    [turn] = manifest["turns"]
    assert turn["status"] == "device_lost" and turn["duration_s"] == pytest.approx(12.0)
    audio = session.folder / "turn-01-answer.wav"
    assert np.array_equal(read_wav(audio), fixture_audio("hs-weak")[: 12 * RATE])
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("The microphone stopped delivering audio")
    assert f"`mockinterview analyze {audio}`" in message and "`mockinterview devices`" in message


def test_ctrl_c_mid_answer_keeps_the_recording_and_saves_the_session():
    rig = Rig()
    rig.answer("hs-weak")
    rig.follow_up(then=KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        rig.run(max_probes=2)
    session = only_session()
    manifest = session.load()
    assert manifest["status"] == "interrupted"
    answer, probe = manifest["turns"]
    assert answer["status"] == "complete" and probe["status"] == "interrupted"
    assert read_wav(session.folder / probe["audio"]).size == FOLLOW_UP.stop - FOLLOW_UP.start
    assert not list(session.folder.glob("*.partial"))
    assert "Interrupted: what was recorded is saved" in rig.output


def test_a_full_disk_mid_answer_stops_cleanly_keeps_the_audio_and_says_what_to_do(monkeypatch):
    """The disk fills 10 s into the answer: the WAV stops growing and the session file can no
    longer be written either. The audio up to there survives, the message is one line that says
    where it is, and the next start (space freed) repairs it and marks the turn."""
    import functools

    from mockinterview import store

    quota = 44 + 2 * 10 * RATE  # the WAV header and 10 s of 16-bit mono
    monkeypatch.setattr("mockinterview.practice.PartialWavWriter",
                        functools.partial(PartialWavWriter, opener=lambda p: QuotaFile(p, quota)))
    rig = Rig()
    rig.answer("hs-weak")
    real_write = store.atomic_write_text
    full = []

    def write_unless_full(path, text):
        if list(only_session().folder.glob("*.partial")) and len(read_partial()) >= 10 * RATE:
            full.append(path)  # fails as atomic_write_text does on a full disk
            raise SessionError(f"cannot write {path} (No space left on device); free some disk space or check permissions")
        return real_write(path, text)

    def read_partial():
        [partial] = only_session().folder.glob("*.partial")
        return partial.read_bytes()[44:]

    monkeypatch.setattr(store, "atomic_write_text", write_unless_full)
    with pytest.raises(MockInterviewError) as caught:
        rig.run()
    message = str(caught.value)
    assert "\n" not in message and "disk is full" in message.lower()
    session = only_session()
    partial = session.folder / "turn-01-answer.wav.partial"
    assert str(partial) in message or str(partial.with_suffix("")) in message
    kept = np.frombuffer(partial.read_bytes()[44:], dtype="<i2")
    assert np.array_equal(kept, fixture_audio("hs-weak")[: 10 * RATE])

    monkeypatch.setattr(store, "atomic_write_text", real_write)  # space is freed
    [recovered] = recover_recordings()
    assert recovered.duration_s == pytest.approx(10.0)
    assert np.array_equal(read_wav(session.folder / "turn-01-answer.wav"), fixture_audio("hs-weak")[: 10 * RATE])
    assert session.load()["turns"][0]["status"] == "recovered"


def test_silence_only_is_no_speech_and_still_saved():
    rig = Rig()
    rig.answer("hs-weak", audio=np.zeros(2 * RATE, np.int16), words=())
    with pytest.raises(NoSpeechError, match="no speech heard"):
        rig.run(max_seconds=5.0)
    manifest = only_session().load()
    assert manifest["status"] == "no_speech"
    assert manifest["turns"][0]["status"] == "no_speech"
    assert (only_session().folder / "turn-01-answer.wav").exists()


def test_questions_rotate_between_sessions_unless_one_is_chosen(bank):
    scenario = bank["highest-standards"]
    assert pick_question(scenario) == (1, scenario.questions[0])
    for asked in (1, 2, 3):
        rig = Rig()
        rig.answer("hs-weak")
        rig.run(max_probes=0)
        assert scenario.questions[asked - 1][:40] in rig.output
        assert pick_question(scenario)[0] == asked % 3 + 1
    assert pick_question(scenario, 2) == (2, scenario.questions[1])
    with pytest.raises(MockInterviewError, match="choose 1 to 3"):
        pick_question(scenario, 4)


def test_unknown_angle_is_refused_with_the_choices():
    with pytest.raises(MockInterviewError, match="choose one of"):
        Rig().run(angle="speed")


# -- recovery ---------------------------------------------------------------------------------


def _crashed_session(seconds: float = 3.0) -> tuple[Session, np.ndarray]:
    """A session as a killed practice leaves it: session.json says "recording", a .partial."""
    session = new_session("highest-standards")
    session.save({"kind": "practice", "status": "in_progress", "turns": [
        {"n": 1, "kind": "answer", "question": "Q?", "audio": "turn-01-answer.wav", "status": "recording"}]})
    audio = fixture_audio("hs-weak")[: round(seconds * RATE)]
    writer = PartialWavWriter(session.folder / "turn-01-answer.wav")
    writer.write(audio)
    writer.sync()
    return session, audio


def test_an_unfinished_recording_is_recovered_and_its_turn_marked():
    session, audio = _crashed_session()
    [found] = recover_recordings()
    assert found.path == session.folder / "turn-01-answer.wav" and not found.broken
    assert np.array_equal(read_wav(found.path), audio)
    manifest = session.load()
    assert manifest["status"] == "crashed"
    assert manifest["turns"][0]["status"] == "recovered"
    assert manifest["turns"][0]["duration_s"] == pytest.approx(3.0)
    message = recovery_message(found)
    assert "\n" not in message and "(3.0 s)" in message
    assert f"`mockinterview analyze {found.path}`" in message
    assert recover_recordings() == []  # nothing left


def test_a_session_being_recorded_by_another_process_is_left_alone():
    session, _ = _crashed_session()
    with session_lock(session.folder):
        assert recover_recordings() == []
        assert (session.folder / "turn-01-answer.wav.partial").exists()
    assert len(recover_recordings()) == 1


# -- the live cue and screen -------------------------------------------------------------------


def test_live_cue_follows_marks_when_there_are_any():
    cue = live_cue(50.0, TARGETS, marks=(10.0, 25.0), speech_start_s=0.5)
    assert cue == LiveCue("action", 25.0, 90.0, "marks")
    assert live_cue(50.0, TARGETS, marks=(1, 2, 3, 4, 5, 6)).part == "reflection"


def test_live_cue_before_speech_is_none_then_goes_by_the_clock():
    assert live_cue(3.0, TARGETS) is None
    assert live_cue(10.0, TARGETS, speech_start_s=1.0) == LiveCue("situation", 9.0, 30.0, "clock")
    assert live_cue(41.0, TARGETS, speech_start_s=1.0) == LiveCue("task", 10.0, 20.0, "clock")


def test_live_cue_from_the_words_so_far_does_not_jump_to_the_end():
    words = script_words("hs-strong")
    heard = tuple(w for w in words if w.end < 40.5)  # the situation and the task, in chunks
    cue = live_cue(41.0, TARGETS, speech_start_s=0.6, words=heard)
    assert cue == LiveCue("task", pytest.approx(41.0 - 21.246, abs=0.1), 20.0, "words")
    # Later, with no new words yet, the targets carry the cue on to the action.
    assert live_cue(52.0, TARGETS, speech_start_s=0.6, words=heard).part == "action"
    # A situation the words show running long stays the situation, and says so.
    long_situation = tuple(w for w in words if w.end < 20.0)
    stretched = tuple(type(w)(w.text, w.start * 2, w.end * 2) for w in long_situation)
    cue = live_cue(41.0, TARGETS, speech_start_s=1.2, words=stretched)
    assert cue.part == "situation" and cue.remaining_s < 0


def test_recording_view_shows_time_level_part_and_keys():
    console = Console(record=True, width=100, color_system=None)
    console.print(recording_view(
        elapsed_s=42.0, max_s=300.0, level_db=-23.0, cue=LiveCue("action", 12.0, 90.0, "words"),
        silence_s=1.5, silence_stop_s=3.0, keys_enabled=True,
    ))
    text = console.export_text()
    assert "0:42 / 5:00" in text and "-23 dB" in text
    assert "ACTION (guess)  78 s left of 90 s" in text
    assert "n or space: next part · Enter or q: finish" in text and "(silence 1.5 s)" in text
    console = Console(record=True, width=100, color_system=None)
    console.print(recording_view(
        elapsed_s=5.0, max_s=300.0, level_db=-120.0, cue=LiveCue("result", 25.0, 20.0, "marks"),
        silence_s=0.0, silence_stop_s=3.0, keys_enabled=False,
    ))
    text = console.export_text()
    assert "over by 5 s (target 20 s)" in text and "your marks" in text and "Enter" not in text


# -- the command line -----------------------------------------------------------------------


def test_help_does_not_load_audio_or_speech_libraries():
    code = (
        "import sys\n"
        "from mockinterview.cli import main\n"
        "for argv in (['--help'], ['practice', '--help'], ['devices', '--help']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('faster_whisper', 'sounddevice', 'pyttsx3', 'ctranslate2', 'numpy') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout
    assert "--silence-stop SECONDS" in result.stdout and "--max-probes N" in result.stdout


@pytest.mark.parametrize(
    "argv, complaint",
    [
        (["--silence-stop", "0"], "must be more than 0 seconds"),
        (["--max-probes", "-1"], "must be 0 or more"),
        (["--question", "zero"], "is not a whole number"),
    ],
)
def test_bad_practice_options_are_refused_in_plain_words(argv, complaint, capsys):
    from mockinterview.cli import main

    with pytest.raises(SystemExit) as caught:
        main(["practice", *argv])
    assert caught.value.code == 2
    assert complaint in capsys.readouterr().err


def test_terminal_keys_arrive_one_by_one_without_enter_and_the_terminal_is_restored():
    import os
    import termios

    from mockinterview.practice import TerminalKeys

    master, slave = os.openpty()
    try:
        with os.fdopen(slave, "r", closefd=False) as stream:
            before = termios.tcgetattr(slave)
            with TerminalKeys(stream) as keys:
                assert keys.enabled
                assert not termios.tcgetattr(slave)[3] & termios.ICANON  # cbreak: no line editing
                assert keys.read() == ""
                os.write(master, b"n n")
                assert keys.read() == "n n"
                os.write(master, b"q")
                assert keys.read() == "q"
            assert termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)


def test_terminal_keys_are_off_when_stdin_is_not_a_terminal(tmp_path):
    from mockinterview.practice import TerminalKeys

    with open(tmp_path / "stdin", "w+") as stream, TerminalKeys(stream) as keys:
        assert not keys.enabled and keys.read() == ""


def test_on_a_terminal_the_live_screen_runs_and_goes_away():
    import io

    rig = Rig(keys=True)
    rig.console = Console(file=io.StringIO(), force_terminal=True, width=100, color_system="truecolor")
    rig.answer("hs-weak")
    rig.keys.enqueue(12.0, " ")
    rig.run(max_probes=0)
    out = rig.console.file.getvalue()
    assert "● REC" in out and "Part:" in out and "n or space: next part" in out
    assert "\x1b[2K" in out  # the live screen redrew itself in place (transient)
    assert only_session().load()["turns"][0]["marks"] == [12.0]


def test_practice_without_portaudio_names_the_fix_and_the_alternative():
    code = (
        "import ctypes.util, sys\n"
        "ctypes.util.find_library = lambda name: None  # as on a machine without libportaudio2\n"
        "from mockinterview.cli import main\n"
        "sys.exit(main(['practice', '--no-speak']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.returncode == DeviceError.exit_code
    [line] = result.stderr.splitlines()
    assert line.startswith("mockinterview: error: PortAudio is missing")
    assert "apt-get install libportaudio2" in line and "`mockinterview analyze FILE`" in line
    assert list_sessions() == []


def test_a_story_picks_questions_from_its_principles_and_is_recorded():
    from mockinterview.commands.practice import story_question
    from mockinterview.stories import Story, save_story

    save_story(Story(name="warehouse", title="The warehouse pallets", principles=("ownership", "dive-deep"), notes=(), path=None))
    first = story_question("warehouse")
    assert first[0] == "ownership" and first[1] == 1
    rig = Rig()
    rig.answer("hs-weak")
    rig.run(max_probes=0, silence_stop_s=2.0, scenario=first[0], question=first[1], story="warehouse")
    assert only_session().load()["story"] == "warehouse"
    # the next attempt at the same story moves on to its next principle's question
    second = story_question("warehouse")
    assert second[0] == "dive-deep"


def test_native_stderr_goes_to_the_log_while_recording_and_comes_back(tmp_path, capfd):
    from mockinterview.io.mic import native_stderr_to

    log = tmp_path / "audio.log"
    with native_stderr_to(log):
        os.write(2, b"Expression 'x' failed in 'src/hostapi/alsa/pa_linux_alsa.c'\n")
    os.write(2, b"after\n")
    assert log.read_text() == "Expression 'x' failed in 'src/hostapi/alsa/pa_linux_alsa.c'\n"
    assert capfd.readouterr().err == "after\n"
    with native_stderr_to(tmp_path / "quiet.log"):
        pass
    assert not (tmp_path / "quiet.log").exists()  # an empty log is not left behind
