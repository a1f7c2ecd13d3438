"""Wellbeing Plans: check, record, compare and publish living wellbeing plans.

The pipeline, one sub-package a stage; imports run only downwards:
``commands`` -> ``demo`` -> ``site`` / ``paper`` -> ``story`` -> ``view`` -> ``plan``,
and everything may use ``workspace`` (where files are) and ``errors``.
"""

from __future__ import annotations

__version__ = "0.1.0"
