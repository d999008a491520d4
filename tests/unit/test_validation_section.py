"""The document's "Tested against outcomes" section, from the summary `validate --calibrate` stores."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icpchat.domain.models import Criterion, Meta, Profile, Provenance, Quality, Rate, Scale, ValidationSummary
from icpchat.export.validation import validation_view

SUMMARY = ValidationSummary(
    date=date(2026, 3, 1),
    source="deals.csv",
    n=1234,
    in_icp=Rate(n=400, rate=0.5),
    out_icp=Rate(n=834, rate=0.2),
    lift=2.5,
    auc=0.71,
    verdict="The ICP predicts wins.",
)


def _profile(**extra: object) -> Profile:
    return Profile(meta=Meta.new(datetime(2026, 3, 2, tzinfo=UTC)), quality=Quality(completeness=10), **extra)


def test_no_summary_no_section():
    assert validation_view(_profile()) is None


def test_the_section_says_when_how_many_rates_lift_auc_and_verdict():
    view = validation_view(_profile(validation=SUMMARY), language="de")
    assert view is not None and view.heading == "Tested against outcomes"
    assert view.verdict == "The ICP predicts wins."
    assert view.lines[0] == "2026-03-01: 1.234 decided deals from deals.csv."
    assert "Inside the ICP 50% won (of 400), outside 20% won (of 834); lift 2.50; AUC" in view.lines[1]
    assert len(view.lines) == 2


def test_fitted_weights_are_named():
    scale = Scale(icp="x", criteria=[Criterion(field="industry", weight=10, ideal=["a"], provenance=Provenance.DATA)])
    view = validation_view(_profile(validation=SUMMARY, scoring=[scale]))
    assert view is not None and "fitted on these outcomes" in view.lines[-1]


def test_a_summary_round_trips_through_json():
    profile = _profile(validation=SUMMARY)
    assert Profile.model_validate_json(profile.model_dump_json()).validation == SUMMARY


def test_hostile_source_and_verdict_stay_text_in_every_format(catalog):
    from icpchat.export.docx import render_docx
    from icpchat.export.html import render_html
    from icpchat.export.markdown import render_markdown

    hostile = SUMMARY.model_copy(update={"source": "<script>x</script>.csv", "verdict": "**bold** \x1b[31m"})
    profile = _profile(validation=hostile)
    html = render_html(profile, catalog)
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;.csv" in html and "\x1b" not in html
    md = render_markdown(profile, catalog)
    assert "## Tested against outcomes" in md and "\\*\\*bold\\*\\*" in md and "\x1b" not in md
    assert render_docx(profile, catalog)  # python-docx refuses control characters: they were shown, not kept
