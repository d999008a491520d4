"""Where the interview meets the LLM port: what to tell the model about an answer, and
what an :class:`Assessment` may change in the interview state.

The interview's state is changed only through the engine (``set_extracted``,
``request_followup``): the founder's text (``raw``) and its parsed ``value`` are never touched,
and the probe-once rule lives in one place.
"""

from __future__ import annotations

from dataclasses import replace

from icpchat.domain.models import Answer, Finding, Meta, Profile
from icpchat.engine.interview import Interview, Outcome, QuestionSlot, Slot
from icpchat.llm.port import LLM, AnswerContext, Assessment, Synthesis
from icpchat.llm.prompts import clip
from icpchat.questions.models import Question

SUMMARY_FIELDS = ("name", "model", "offering")


def _text(answer: Answer | None) -> str | None:
    if answer is None:
        return None
    return answer.raw if isinstance(answer.raw, str) else "; ".join(answer.raw)


def context_for(interview: Interview, slot: Slot) -> AnswerContext:
    """The context of the answer at ``slot``: its section's questions and a short summary."""
    business = interview.state.business
    lines = [
        f"business {qid}: {clip(text, 160)}"
        for qid in SUMMARY_FIELDS
        if (text := _text(getattr(business, qid))) is not None
    ]
    if slot.section != "business":
        lines.append(f"this answer is about: {interview.entity_label(slot.section, slot.index)}")
    return AnswerContext(
        field=slot.key,
        section=slot.section,
        questions=tuple(interview.catalog.section(slot.section).questions),
        summary="\n".join(lines) or "(nothing yet)",
    )


def answered_slots(interview: Interview) -> list[tuple[QuestionSlot, Question]]:
    """Every answered question, in document order (answers outside the depth included)."""
    slots = []
    for qset in interview.catalog.sets:
        for index, entity in enumerate(interview.state.entities(qset.section)):
            for q in qset.questions:
                if getattr(entity, q.id) is not None:
                    slots.append((QuestionSlot(qset.section, index, q.id), q))
    return slots


def store_extracted(interview: Interview, slot: Slot, assessment: Assessment) -> None:
    """Keep the fields the model read out of the answer beside it (the answer is unchanged)."""
    interview.set_extracted(slot, dict(assessment.extracted or {}))


def apply_assessment(interview: Interview, outcome: Outcome, assessment: Assessment) -> Outcome:
    """Fold a model's verdict into the engine's outcome of an answer.

    The offline rules already ran inside the engine. A model's verdict can sharpen their probe,
    or ask one the rules missed, but only while the question has not been probed yet: each
    question is followed up at most once, as offline. It withdraws the rules' probe only when
    it says why their flag does not apply (``Assessment.overruled``).
    """
    slot = outcome.slot
    if slot.is_gate:
        return outcome
    store_extracted(interview, slot, assessment)
    if assessment.source != "llm":
        return outcome
    if outcome.followup is not None and assessment.specific and assessment.overruled:
        # The model cleared the rules' flag and said why: no probe (their finding stays on record).
        interview.withdraw_followup(slot)
        return replace(outcome, followup=None)
    if outcome.followup is not None:
        return replace(outcome, followup=assessment.followup or outcome.followup)
    if assessment.specific or not assessment.followup or not interview.request_followup(slot):
        return outcome
    return replace(outcome, followup=assessment.followup)


def assess_all(llm: LLM, interview: Interview) -> list[Assessment]:
    """One assessment per answered question (the scripted run), extractions stored."""
    results = []
    for slot, question in answered_slots(interview):
        answer = interview.answer_of(slot)
        assert answer is not None
        assessment = llm.assess(question, answer, context_for(interview, slot))
        store_extracted(interview, slot, assessment)
        results.append(assessment)
    return results


def enrich(llm: LLM, interview: Interview, meta: Meta) -> tuple[Profile, Synthesis]:
    """The scripted run with a model: every answer assessed, then one synthesis.

    ``meta.mode`` says llm only when the model answered at least one step (a run whose every
    step fell back is an offline profile); usage is recorded whenever the model was called.
    """
    used = any(a.source == "llm" for a in assess_all(llm, interview))
    profile = interview.to_profile(meta)
    synthesis = llm.synthesize(profile)
    used = used or synthesis.source == "llm"
    update = {
        "mode": "llm" if used else "offline",
        "model": llm.model if used else None,
        "usage": llm.usage.model_copy() if llm.usage.llm_calls else None,
    }
    # The model's advice travels as info findings (rule ids llm-*), so every export shows it
    # and `icpchat lint`, which re-runs only the offline rules, leaves it out. A synthesis that
    # fell back carries the offline rules' gaps: those are findings of the profile already, and
    # labelling them llm-gap would present the rules' words as the model's.
    model_gaps = synthesis.gaps if synthesis.source == "llm" else ()
    advice = [
        Finding(rule="llm-name", severity="info", field=f"{path}.name", message=f"Suggested persona name: {name}")
        for path, name in synthesis.persona_names.items()
    ] + [Finding(rule="llm-gap", severity="info", field="profile", message=gap) for gap in model_gaps]
    profile = profile.model_copy(
        update={
            "meta": profile.meta.model_copy(update=update),
            "narrative": dict(synthesis.narratives),
            "quality": profile.quality.model_copy(update={"findings": [*profile.quality.findings, *advice]}),
        }
    )
    return Profile.model_validate(profile.model_dump()), synthesis
