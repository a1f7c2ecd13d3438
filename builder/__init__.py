"""Wellbeing Plans: check, record, compare and publish living wellbeing plans."""

from __future__ import annotations

__version__ = "0.1.0"
