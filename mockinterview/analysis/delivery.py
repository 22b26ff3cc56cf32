"""Delivery figures: pace over speaking time, fillers, the longest pause."""
from __future__ import annotations

import re

from ..types import Delivery, Transcript

__all__ = ["delivery", "count_fillers", "FILLER_PAUSE_S"]

FILLER_PAUSE_S = 0.25  # gaps shorter than this are part of speaking time
_FILLER = re.compile(
    r"\b(?:u+m+|u+h+m*|e+r+m+|a+h+|h+m+|mm+)\b"  # hesitation sounds
    r"|\byou know\b(?! (?:what|how|why|when|where|that|if|the|a|an|this|it|them|him|her))"  # "you know" used as a filler
    r"|(?:^|[,.] |\b(?:was|is|it's|and|but|so|just|were|it|i|they|we) )like,"  # filler "like," set off by a comma
    r"|\blike,? (?:um|uh)\b"
)


def count_fillers(text: str) -> int:
    t = text.lower().replace("\u2019", "'")
    return len(_FILLER.findall(t))


def delivery(transcript: Transcript) -> Delivery:
    words = transcript.words
    if not words:
        return Delivery(0.0, 0, 0.0, 0.0, 0.0)
    speech_start, speech_end = words[0].start, words[-1].end
    span = max(speech_end - speech_start, 1e-6)
    if transcript.pauses:
        inner = [p for p in transcript.pauses if p.end > speech_start and p.start < speech_end]
        silent = sum(min(p.end, speech_end) - max(p.start, speech_start) for p in inner)
        longest = max((min(p.end, speech_end) - max(p.start, speech_start) for p in inner), default=0.0)
    else:
        gaps = [b.start - a.end for a, b in zip(words, words[1:])]
        silent = sum(g for g in gaps if g >= FILLER_PAUSE_S)
        longest = max(gaps, default=0.0)
    speaking = max(span - silent, 1e-6)
    fillers = count_fillers(transcript.text)
    if transcript.fillers_heard is not None:
        fillers = max(fillers, transcript.fillers_heard)
    n_words = sum(1 for w in words if w.text.strip(" ,.?!-"))
    minutes = speaking / 60.0
    return Delivery(
        words_per_minute=round(n_words / minutes, 1),
        fillers=fillers,
        fillers_per_minute=round(fillers / (span / 60.0), 2),
        longest_pause_s=round(max(longest, 0.0), 2),
        speaking_time_s=round(speaking, 2),
    )
