"""Offline question answering over Chinese government policy notices."""

__version__ = "0.1.0"
