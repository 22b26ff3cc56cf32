"""Quantities as Whisper writes them: digits ("0.3%", "$8k", "1.8k") or words ("two percent")."""
from __future__ import annotations

import re

__all__ = ["NUMBER", "QUANTITY", "METRIC_QUANTITY"]

_WORD_NUM = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand|million|billion|half|a dozen|dozens|a third|a quarter|a couple)"
)
_DIGITS = r"[$£€]?\d[\d,]*(?:\.\d+)?(?:k|m|x|%)?"
# one number, possibly several words long: "three hundred thousand", "$8k", "forty-five"
NUMBER = rf"(?:{_DIGITS}|{_WORD_NUM}(?:[ -](?:and )?{_WORD_NUM})*(?: point {_WORD_NUM})?)"

_UNITS = (
    r"(?:%|percent|per cent|percentage points?|points?|dollars?|euros?|pounds?|bucks|k\b|grand|"
    r"times|x\b|fold|"
    r"customers?|users?|clients?|patients?|orders?|tickets?|calls?|complaints?|requests?|errors?|"
    r"failures?|defects?|incidents?|escalations?|returns?|refunds?|accounts?|people|staff|students?|"
    r"donors?|visits?|sign ?ups?|subscribers?|shipments?|packages?|units?|items?|pages?|alerts?|bugs?|"
    r"transactions?|payments?|messages?|cases?|hires?|families|members?|volunteers?|beds?|"
    r"hours?|minutes?|seconds?|days?|weeks?|months?|milliseconds?|ms\b)"
)
# a number followed by a unit, or a money/percent figure on its own
QUANTITY = re.compile(
    rf"(?<![\w.])(?:[$£€]\d[\d,.]*(?:k|m)?|\d[\d,]*(?:\.\d+)?(?:%|k\b)|{NUMBER} (?:\w+ )?{_UNITS})"
)
# a quantity that measures an outcome, not just when something happened ("two weeks later")
METRIC_QUANTITY = re.compile(
    rf"(?:[$£€]\d[\d,.]*(?:k|m)?|(?<![\w.])\d[\d,]*(?:\.\d+)?(?:%|k\b)"
    rf"|{NUMBER} (?:\w+ )?(?:%|percent|per cent|percentage points?|dollars?|euros?|pounds?|bucks|grand|times|fold|"
    rf"customers?|users?|clients?|patients?|orders?|tickets?|calls?|complaints?|errors?|failures?|defects?|"
    rf"incidents?|escalations?|returns?|refunds?|accounts?|students?|donors?|sign ?ups?|subscribers?|"
    rf"shipments?|packages?|units?|transactions?|payments?|cases?|families|volunteers?|bugs?|alerts?)"
    rf"|(?:under|below|saved|saving|cut|down to|reduced to|less than) "
    rf"(?:about |around |roughly |nearly |almost |just |only )?{NUMBER} (?:\w+ )?(?:hours?|minutes?|seconds?|days?|weeks?|milliseconds?|ms\b)"
    rf"|{NUMBER} (?:hours?|minutes?|days?) (?:a|per|every) (?:day|week|month|year|shift)"
    rf"|from (?:about |around |roughly |nearly |almost |over |under )?{NUMBER} (?:\w+ ){{0,5}}to (?:about |around |roughly |under |just )?(?:{NUMBER}|zero|none)"
    rf"|{NUMBER} (?:\w+ ){{0,2}}(?:a|per|every) (?:day|week|month|year|quarter|shift|night)"
    rf"|(?<![\w.])(?:\d[\d,]*(?:\.\d+)?) (?!(?:days?|weeks?|months?|years?|hours?|minutes?|seconds?|times|am|pm)\b)(?:\w+ ){{0,2}}[a-z]+s\b"
    rf"|\b(?:doubled|tripled|halved|cut (?:it )?in half|(?:went|dropped|fell|down) to zero|to zero\b|zero (?:\w+ )?(?:errors?|complaints?|failures?|defects?|incidents?|drops?|escalations?)))"
)
