"""The streaming transcriber: incremental VAD, chunking at pauses, and parity with the file path."""
from __future__ import annotations

import time

import numpy as np
import pytest

from mockinterview.errors import NoSpeechError
from mockinterview.eval import tokens, word_error_rate
from mockinterview.io.asr import speech_spans, vad_pauses
from mockinterview.io.stream import (
    ChunkPolicy,
    IncrementalVad,
    StreamingTranscriber,
    _to_float32,
    blocks_from_audio,
    transcribe_blocks,
)
from tests.fakes import RATE, FakeClock, ScriptDecoder, fixture_audio, script_words

NO_EAGER = ChunkPolicy(eager_silence_s=None, likely_end_s=None, speculate=False)


def as_float(samples: np.ndarray) -> np.ndarray:
    return samples.astype(np.float32) / 32768.0


@pytest.mark.parametrize("name", ["hs-weak", "co-no-reflection"])
@pytest.mark.parametrize("block_s", [0.1, 0.037, 1.3])
def test_incremental_vad_finds_exactly_the_spans_of_the_whole_file(name, block_s):
    audio = fixture_audio(name)
    vad = IncrementalVad()
    for block in blocks_from_audio(audio, block_s):
        vad.push(_to_float32(block))
    got = [(a / RATE, b / RATE) for a, b in vad.finish(audio.size)]
    assert got == speech_spans(as_float(audio))


def test_chunks_are_cut_in_pauses_cover_all_speech_once_and_only_the_tail_waits():
    whole = fixture_audio("hs-strong")
    # End the recording right after the last word, as a key press would, so there is a tail.
    audio = whole[: round((speech_spans(as_float(whole))[-1][1] + 0.1) * RATE)]
    decoder = ScriptDecoder(script_words("hs-strong"))
    stream = StreamingTranscriber(decode=decoder, policy=NO_EAGER, background=False)
    for block in blocks_from_audio(audio):
        stream.feed(block)
    before_finish = len(decoder.calls)
    transcript = stream.finish()

    spans = speech_spans(as_float(audio))
    chunks = stream.chunks
    assert decoder.calls == list(chunks)
    assert len(chunks) - before_finish == 1  # finish() decoded only the tail
    assert before_finish >= 5  # the rest was decoded while "recording"
    # No audio decoded twice: chunks are in order and do not overlap.
    assert all(a[1] <= b[0] for a, b in zip(chunks, chunks[1:]))
    # Every speech span is inside exactly one chunk.
    for start, end in spans:
        assert sum(lo <= start and end <= hi for lo, hi in chunks) == 1
    # Cut in pauses, long enough to amortise Whisper's fixed cost (8 s), short enough for its
    # 30 s window: at a pause of 0.5 s or more, or, past 28 s, at any pause the VAD found.
    pauses = vad_pauses(spans)
    for lo, hi in chunks[:-1]:
        assert any(p.start <= hi <= p.end for p in pauses)
        assert hi - lo >= 8.0
    assert all(hi - lo <= 28.0 + 0.4 for lo, hi in chunks)

    assert transcript.pauses == vad_pauses(spans)
    assert transcript.duration_s == round(audio.size / RATE, 2)
    assert [w.text for w in transcript.words] == [w.text for w in script_words("hs-strong")]


def test_an_idle_decoder_takes_the_speech_at_a_long_pause_so_little_is_left_at_the_end():
    audio = np.concatenate([fixture_audio("hs-weak"), np.zeros(3 * RATE, np.int16)])
    decoder = ScriptDecoder(script_words("hs-weak"))
    stream = StreamingTranscriber(decode=decoder, background=False)
    for block in blocks_from_audio(audio):
        stream.feed(block)
        if stream.speech_started and stream.trailing_silence_s >= 2.0:
            break  # a silence stop
    assert len(decoder.calls) >= 2  # everything is decoded before the end is even detected
    calls = len(decoder.calls)
    transcript = stream.finish()
    assert len(decoder.calls) == calls  # nothing left for finish()
    assert len(transcript.words) == len(script_words("hs-weak"))


def _fed_until(audio, stream):
    for block in blocks_from_audio(audio):
        stream.feed(block)


def test_enter_right_after_the_last_word_leaves_only_the_speech_since_the_last_pause():
    whole = fixture_audio("hs-strong")
    spans = speech_spans(as_float(whole))
    audio = whole[: round((spans[-1][1] + 0.1) * RATE)]  # a key press right after the last word
    decoder = ScriptDecoder(script_words("hs-strong"))
    stream = StreamingTranscriber(decode=decoder, background=False)
    _fed_until(audio, stream)
    calls = len(decoder.calls)
    transcript = stream.finish()

    left = decoder.calls[calls:]
    assert len(left) == 1  # one decode after the key...
    last_pause_end = spans[-1][0]
    assert left[0][0] >= last_pause_end - 0.3  # ...of the words after the last pause only
    assert stream.reused >= 1  # the speech before it came from the speculation, not decoded again
    assert [w.text for w in transcript.words] == [w.text for w in script_words("hs-strong")]
    # Final chunks still tile the speech: in order, no overlap, every span in exactly one.
    chunks = stream.chunks
    assert all(a[1] <= b[0] for a, b in zip(chunks, chunks[1:]))
    for start, end in speech_spans(as_float(audio)):
        assert sum(lo <= start and end <= hi for lo, hi in chunks) == 1


def test_enter_after_a_short_pause_finds_every_word_decoded_already():
    whole = fixture_audio("hs-weak")
    spans = speech_spans(as_float(whole))
    audio = whole[: round((spans[-1][1] + 0.6) * RATE)]  # Enter 0.6 s after the last word
    decoder = ScriptDecoder(script_words("hs-weak"))
    stream = StreamingTranscriber(decode=decoder, background=False)
    _fed_until(audio, stream)
    calls = len(decoder.calls)
    transcript = stream.finish()
    assert len(decoder.calls) == calls  # nothing left to decode when the answer ended
    assert [w.text for w in transcript.words] == [w.text for w in script_words("hs-weak")]


def test_no_window_is_decoded_twice():
    audio = np.concatenate([fixture_audio("hs-weak"), np.zeros(3 * RATE, np.int16)])
    decoder = ScriptDecoder(script_words("hs-weak"))
    stream = StreamingTranscriber(decode=decoder, background=False)
    _fed_until(audio, stream)
    stream.finish()
    assert all(decoder.calls.count(c) <= 1 for c in stream.chunks)  # each final window decoded once
    assert len(set(decoder.calls)) == len(decoder.calls)  # and no window twice


def test_a_failed_speculation_is_not_an_error_when_the_chunk_decodes():
    audio = np.concatenate([fixture_audio("hs-weak"), np.zeros(2 * RATE, np.int16)])
    script = ScriptDecoder(script_words("hs-weak"))
    failed = []

    def flaky(samples, offset):
        if not failed:
            failed.append(offset)
            raise RuntimeError("decoder hiccup")
        return script(samples, offset)

    stream = StreamingTranscriber(decode=flaky, background=False)
    _fed_until(audio, stream)
    transcript = stream.finish()
    assert failed and [w.text for w in transcript.words] == [w.text for w in script_words("hs-weak")]


def test_a_long_pause_queues_the_tail_even_behind_a_busy_decoder():
    audio = np.concatenate([fixture_audio("hs-weak"), np.zeros(3 * RATE, np.int16)])
    script = ScriptDecoder(script_words("hs-weak"))

    def slow(samples, offset):
        time.sleep(0.5)  # still busy while the rest of the answer is fed
        return script(samples, offset)

    stream = StreamingTranscriber(decode=slow)
    for block in blocks_from_audio(audio):
        stream.feed(block)
        if stream.speech_started and stream.trailing_silence_s >= 2.0:
            break
    queued = len(stream.chunks)
    transcript = stream.finish()
    assert len(stream.chunks) == queued  # the tail was queued at the 1.5 s pause
    assert len(transcript.words) == len(script_words("hs-weak"))


def test_words_so_far_reach_the_last_pause_not_the_last_chunk():
    whole = fixture_audio("hs-strong")
    audio = whole[: 60 * RATE]
    stream = StreamingTranscriber(decode=ScriptDecoder(script_words("hs-strong")), background=False)
    _fed_until(audio, stream)
    last_final = stream.chunks[-1][1]
    last_pause = max(p.start for p in stream.pauses_so_far())
    heard = stream.words_so_far()
    assert last_pause - last_final > 2.0  # the case worth testing: speech after the last chunk
    assert heard[-1].start > last_pause  # the cue is not a chunk behind...
    assert heard[-1].end <= stream.duration_s  # ...and only what was said
    assert [w.text for w in heard] == [w.text for w in script_words("hs-strong")[: len(heard)]]


def test_words_so_far_grow_in_order_while_recording():
    audio = fixture_audio("hs-strong")[: 60 * RATE]
    stream = StreamingTranscriber(decode=ScriptDecoder(script_words("hs-strong")), background=False)
    seen = []
    for block in blocks_from_audio(audio):
        stream.feed(block)
        seen.append(len(stream.words_so_far()))
    assert seen == sorted(seen) and seen[-1] > 0
    words = stream.words_so_far()
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))
    assert stream.speech_start_s == pytest.approx(0.6, abs=0.15)


def test_background_decoding_gives_the_same_transcript():
    audio = fixture_audio("hs-weak")
    results = []
    for background in (False, True):
        results.append(
            transcribe_blocks(
                blocks_from_audio(audio),
                decode=ScriptDecoder(script_words("hs-weak")),
                policy=NO_EAGER,
                background=background,
            )
        )
    assert results[0] == results[1]


def test_a_decoder_error_reaches_the_caller_of_finish():
    def broken(audio, offset):
        raise RuntimeError("model exploded")

    stream = StreamingTranscriber(decode=broken)
    for block in blocks_from_audio(fixture_audio("hs-weak")):
        stream.feed(block)
    with pytest.raises(RuntimeError, match="model exploded"):
        stream.finish()


def test_silence_only_is_no_speech_like_the_file_path():
    stream = StreamingTranscriber(decode=ScriptDecoder(), background=False)
    for block in blocks_from_audio(np.zeros(3 * RATE, np.int16)):
        stream.feed(block)
    assert not stream.speech_started
    assert stream.trailing_silence_s == pytest.approx(3.0, abs=0.05)
    with pytest.raises(NoSpeechError, match="no speech detected"):
        stream.finish()


def test_blocks_from_audio_in_real_time_waits_for_each_block():
    clock = FakeClock(0.0)

    def sleep(seconds):
        clock.advance(seconds)

    blocks = list(blocks_from_audio(np.zeros(RATE, np.int16), 0.25, realtime=True, clock=clock, sleep=sleep))
    assert [b.shape for b in blocks] == [(4000, 1)] * 4
    assert clock() == pytest.approx(1.0)


@pytest.mark.model
def test_streaming_matches_the_file_transcript(whisper_model):
    from mockinterview.io.asr import Transcriber

    audio = fixture_audio("hs-weak")
    streamed = transcribe_blocks(blocks_from_audio(audio), whisper_model)
    whole = Transcriber()(as_float(audio))
    assert streamed.duration_s == whole.duration_s
    assert streamed.pauses == whole.pauses
    starts = [w.start for w in streamed.words]
    assert starts == sorted(starts)
    assert all(0 <= w.start <= w.end <= streamed.duration_s + 0.5 for w in streamed.words)
    # Different chunking may change a few words, not the answer. Whisper's temperature
    # fallback samples at random on hard windows, so two runs over the same 30 s differ by up
    # to ~0.17 (seen in CI); the bound against the script below is the accuracy check.
    assert word_error_rate(tokens(whole.text), tokens(streamed.text)) < 0.25
    script = " ".join(w.text for w in script_words("hs-weak"))
    assert word_error_rate(tokens(script), tokens(streamed.text)) < 0.3
