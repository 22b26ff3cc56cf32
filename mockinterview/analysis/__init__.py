"""The pure analysis core: segmentation, signals, probes, verdict and delivery."""
from .core import analyze, choose_probes, judge_followup, part_status
from .delivery import count_fillers, delivery

__all__ = ["analyze", "choose_probes", "judge_followup", "part_status", "count_fillers", "delivery"]
