"""The scenario bank: YAML files -> validated `Scenario` values."""
from .loader import check_file, get_scenario, load_bank, load_file, scenario_dirs
from .model import DISQUALIFIERS, LEVELS, SIGNAL_IDS, Scenario

__all__ = ["check_file", "get_scenario", "load_bank", "load_file", "scenario_dirs", "Scenario", "SIGNAL_IDS", "DISQUALIFIERS", "LEVELS"]
