"""Golden files of the document (issue 11): a B2B profile (a field from data), a B2C profile and
a founder with no customers yet, in md, html and docx (as readable text), under tests/data/golden/.

The profiles' quality is pinned (completeness and one finding) so that a change of the quality
rules does not move these files: they show the document, not the critic.

After an intended change of the documents, regenerate them and review the diff:

    python -m tests.unit.test_document_golden
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import pytest

from icpchat.domain.models import Finding, Quality, Rate, ValidationSummary
from icpchat.export.document import DocumentOptions
from icpchat.export.registry import render
from icpchat.runner import Runner, decode_answers
from icpchat.services import build_catalog, clock
from tests.conftest import FIXED_EPOCH

from .documents import docx_outline

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
QUALITY = Quality(
    completeness=80,
    findings=[Finding(rule="example", severity="warning", field="icps[0].geographies", message="Name the regions.")],
)
#: The b2b profile was tested against outcomes (`icpchat validate --calibrate`): its document
#: shows the "Tested against outcomes" section.
TESTED = ValidationSummary(
    date=date(2026, 11, 2),
    source="deals-2025.csv",
    n=242,
    in_icp=Rate(n=144, rate=67 / 144),
    out_icp=Rate(n=98, rate=21 / 98),
    lift=2.17,
    auc=0.68,
    verdict="The ICP predicts wins: inside the ICP 67 of 144 won (47%), outside 21 of 98 (21%); the lift is at least 1.43 (95%).",
)
#: name -> the options it is rendered with: each shows one more setting.
CASES = {
    "b2b": DocumentOptions(),
    "b2c": DocumentOptions(paper="letter"),
    "no-customers": DocumentOptions(findings=True, language="de"),
}


def golden_profile(catalog, name: str):
    answers = GOLDEN / f"{name}.yaml"
    seed = GOLDEN / f"{name}.seed.json"
    profile = Runner(catalog, clock=clock()).run(
        decode_answers(answers.read_bytes(), answers.name),
        answers.name,
        seed=decode_answers(seed.read_bytes(), seed.name) if seed.exists() else None,
        seed_file=seed.name,
    )
    tested = {"validation": TESTED} if name == "b2b" else {}
    return profile.model_copy(update={"quality": QUALITY, **tested})


def rendered(catalog, name: str) -> dict[str, str]:
    profile = golden_profile(catalog, name)
    options = CASES[name]
    return {
        f"{name}.md": render(profile, catalog, "md", options).decode(),
        f"{name}.html": render(profile, catalog, "html", options).decode(),
        f"{name}.docx.txt": docx_outline(render(profile, catalog, "docx", options)),
    }


@pytest.mark.parametrize("name", list(CASES))
def test_documents_match_golden_files(catalog, name):
    for filename, text in rendered(catalog, name).items():
        assert text == (GOLDEN / filename).read_text(encoding="utf-8"), (
            f"{filename} changed; if intended: python -m tests.unit.test_document_golden"
        )


def regenerate() -> None:
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    catalog = build_catalog()
    for name in CASES:
        for filename, text in rendered(catalog, name).items():
            (GOLDEN / filename).write_text(text, encoding="utf-8")
            print(f"wrote {GOLDEN / filename}", file=sys.stderr)


if __name__ == "__main__":
    regenerate()
