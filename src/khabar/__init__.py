"""Khabar (خبر): an Arabic news aggregation engine."""

__version__ = "0.1.0"
