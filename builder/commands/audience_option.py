"""The --audience (and --for) option every command shares: an audience, or one carer by id."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

AUDIENCES = ("person", "carer", "gp", "team")
_NAMED_CARER = re.compile(r"^carer:[a-z0-9][a-z0-9-]{0,63}$")
HELP = "person, carer, gp or team, or carer:ID for one carer (their care-team id)"


def audience_option(value: str) -> str:
    """argparse type: refuse anything that is not an audience, in words that say what is."""
    if value in AUDIENCES or _NAMED_CARER.match(value):
        return value
    raise argparse.ArgumentTypeError(
        f"'{value}' is not an audience; use {HELP}, for example carer:sam.")


def refuse_unknown_carer(workspace: Path, plan_ids: list[str], audience: str) -> None:
    """Refuse carer:ID when ID is no carer of the plan: a typo never makes a copy for nobody."""
    from builder.errors import UsageError
    from builder.view import unknown_carer_in_files
    from builder.workspace import plan_file

    nobody = unknown_carer_in_files([plan_file(workspace, pid) for pid in plan_ids], audience)
    if nobody:
        raise UsageError(" ".join(nobody))
