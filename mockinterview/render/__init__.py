"""Renderers: each takes a value (and a stream or console) and produces output."""
