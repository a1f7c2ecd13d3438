"""Each carer's FHIR bundle holds only what that carer may see (two carers who may see different things)."""

from __future__ import annotations

from pathlib import Path

from builder.exchange.fhir_export import export_plan
from tests.test_named_sharing import AUDIENCES, CANARIES, workspace  # noqa: F401 - workspace is a fixture

#: The canaries a FHIR bundle carries at all (a carer's own needs and the consent record are not sent).
CARRIED = {"CANARY-MEDS", "CANARY-DADGOAL"}


def test_every_named_audience_gets_exactly_its_canaries(workspace: Path) -> None:  # noqa: F811
    for audience in AUDIENCES:
        text = export_plan(workspace, "dan", audience)
        for canary, allowed in CANARIES.items():
            if audience not in allowed:
                assert canary not in text, f"{canary} leaked into the {audience} FHIR bundle"
            elif canary in CARRIED:
                assert canary in text, f"{canary} should be in the {audience} FHIR bundle"
