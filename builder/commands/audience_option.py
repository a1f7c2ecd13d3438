"""The --audience option shared by build, pdf and calendar: an audience, or one carer by id."""

from __future__ import annotations

import argparse
import re

AUDIENCES = ("person", "carer", "gp", "team")
_NAMED_CARER = re.compile(r"^carer:[a-z0-9][a-z0-9-]{0,63}$")
HELP = "person, carer, gp or team, or carer:ID for one carer (their care-team id)"


def audience_option(value: str) -> str:
    """argparse type: refuse anything that is not an audience, in words that say what is."""
    if value in AUDIENCES or _NAMED_CARER.match(value):
        return value
    raise argparse.ArgumentTypeError(
        f"'{value}' is not an audience; use {HELP}, for example carer:sam.")
