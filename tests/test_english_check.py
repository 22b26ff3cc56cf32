"""The English check on transcripts the bundled model really produced for foreign speech.

Each foreign line below is what tiny.en wrote for espeak Spanish or French under one sampling
seed; each passed the single-feature check that this replaced, so each is a regression case.
"""

import pytest

from mockinterview.errors import NoSpeechError
from mockinterview.io.asr import _check_english, english_features
from mockinterview.types import Word


def words(text: str, prob: float, speech_s: float) -> tuple[list[Word], float]:
    toks = text.split()
    step = speech_s / len(toks)
    return [Word(t, round(i * step, 3), round((i + 0.8) * step, 3), prob) for i, t in enumerate(toks)], speech_s


FOREIGN = {
    "loop of one sentence": ("We can't get it. We can't get it. We can't get it. Thank you very much.", 0.69, 9.0),
    "backchannel": ("Yeah, no, no, no, no, no, no, I don't know. Um, yeah, I don't know.", 0.57, 7.6),
    "one word repeated": ("Yes, man, man, yeah, man, nah, nah, nah, nah, nah, nah, nah, nah. We can't do it in a way. We can't do it in a way.", 0.59, 7.6),
    "low confidence": ("The thing that I was like, uh, I'm a bit worried about what happened, but I think", 0.15, 9.0),
    "too few words": ("Yes, yes, yes, yes, yes, yes.", 0.89, 9.0),
}


@pytest.mark.parametrize("case", FOREIGN)
def test_foreign_speech_decoded_as_english_looking_text_is_refused(case):
    ws, speech_s = words(*FOREIGN[case])
    with pytest.raises(NoSpeechError, match="does not sound like English"):
        _check_english(ws, speech_s)


ENGLISH = {
    "plain answer": ("Last spring our checkout kept failing for one customer in ten. I owned the fix: I read the logs, "
                     "found a timeout we had set too low, and rolled out a change that cut failures to zero.", 0.88, 11.0),
    "slow and careful": ("I decided to call every supplier myself, and within two weeks we had the backlog down by half.", 0.82, 8.0),
    "fillers": ("So, um, I, uh, took the on-call pager that week and, um, I wrote the runbook we still use.", 0.8, 6.0),
}


@pytest.mark.parametrize("case", ENGLISH)
def test_english_answers_pass(case):
    ws, speech_s = words(*ENGLISH[case])
    _check_english(ws, speech_s)


def test_under_three_seconds_of_speech_is_not_judged():
    ws, speech_s = words("Nah nah nah nah nah nah nah nah", 0.3, 2.5)
    _check_english(ws, speech_s)


def test_features_of_a_loop():
    ws, speech_s = words(*FOREIGN["loop of one sentence"])
    f = english_features(ws, speech_s)
    assert f["distinct word triples"] < 0.6 and f["median word confidence"] == 0.69
