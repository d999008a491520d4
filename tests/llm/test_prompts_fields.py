"""The synthesis sees the 1.1 fields that change a narrative most: why they switch, the
message per persona, and a consumer ICP's life stage and buying moment (it has no firmographics)."""

from __future__ import annotations

from icpchat.llm.prompts import SYNTHESIS_FIELDS
from icpchat.questions import load_catalog


def test_every_synthesis_field_is_a_question_of_its_section():
    catalog = load_catalog()
    for section, qids in SYNTHESIS_FIELDS.items():
        known = {q.id for q in catalog.section(section).questions}
        assert set(qids) <= known, f"{section}: {sorted(set(qids) - known)} are not questions"


def test_the_synthesis_sees_why_they_switch_and_a_consumer_icp():
    assert {"switching", "life_stage", "purchase_occasion"} <= set(SYNTHESIS_FIELDS["icp"])
    assert "key_message" in SYNTHESIS_FIELDS["persona"]
