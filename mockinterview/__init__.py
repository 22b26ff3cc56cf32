"""mockinterview: voice mock interviews for behavioral questions, analysed offline."""

__version__ = "0.1.0"
__all__ = ["__version__"]
