"""Turns engine state into what the chat says: questions, follow-ups, the closing line,
/why and the transcript re-shown on resume. Pure functions over engine values; no I/O.

Everything the founder typed passes through :func:`escape`, so their text is shown, never
interpreted as Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

from icpchat.conversation.replies import Reply
from icpchat.domain.models import Answer, Citation, SizeRange
from icpchat.engine.interview import Interview, Outcome, Turn
from icpchat.engine.parse import is_count_bucket
from icpchat.export import words
from icpchat.questions.models import Question, choice_key
from icpchat.text.markdown import escape
from icpchat.text.passages import passage_markdown

HISTORY_LIMIT = 24
"""Founder messages re-shown on resume: enough to see where you were, short enough to read."""


def answer_for_input(answer: Answer) -> str:
    """An answer as the founder would type it again: list items one per line."""
    if isinstance(answer.value, list):
        return "\n".join(answer.value)
    return answer.text("\n")


def _answer_line(answer: Answer) -> str:
    return "; ".join(answer.value) if isinstance(answer.value, list) else answer.text()


def _choice_shown(choice: str) -> str:
    """A choice as the document names it ("Decision maker" for ``decision_maker``) when the
    founder can type those words back; otherwise the code itself ("b2b")."""
    shown = words.choice(choice)
    return shown if choice_key(shown) == choice_key(choice) else choice


def understood(question: Question, answer: Answer | None, *, icp_link: bool = False) -> Reply | None:
    """How a choice, a range or a persona's ICP was read, when the founder typed it otherwise
    ("2" -> b2c, "100 a 1.500 trabalhadores" -> 100-1,500 trabalhadores), in the words the
    document will use: a wrong reading is seen at once."""
    if answer is None or not isinstance(answer.raw, str):
        return None
    if isinstance(answer.value, SizeRange):
        unit, currency = words.range_unit(answer, question.id)
        shown = words.range_words(answer.value, unit=unit, currency=currency)
    elif isinstance(answer.value, str) and (question.kind == "choice" or icp_link):
        shown = answer.value
    elif isinstance(answer.value, list) and question.kind == "choice":  # several roles: "1, 3"
        shown = ", ".join(answer.value)
    elif isinstance(answer.value, list) and len(answer.value) > 1 and "\n" not in answer.raw.strip():
        # One typed line read as several items ("Germany, Austria and the Netherlands"): say
        # so, since scoring matches each item on its own.
        items = " · ".join(escape(item) for item in answer.value)
        return Reply("info", f"*Read as {len(answer.value)} items:* {items}. *(One item per line to say otherwise.)*")
    else:
        return None
    typed = answer.raw.strip().casefold()
    bare = words.range_words(answer.value) if isinstance(answer.value, SizeRange) else shown
    if typed in (shown.casefold(), bare.casefold()):  # "50-200": nothing to say
        return None
    return Reply("info", f"*Read as* **{escape(shown)}**.")


def welcome(session_name: str, depth: str, completeness: int, resumed: bool) -> Reply:
    if resumed:
        return Reply(
            "info",
            f"Welcome back. Session **{escape(session_name)}** is {completeness}% complete; "
            "your last messages are above, and here is where you stopped.",
        )
    return Reply(
        "info",
        "Let's draft your Ideal Customer Profile and buyer personas, one question at a time. "
        f"Depth: **{escape(depth)}**. Type **/help** for commands; every answer is saved as you go.",
    )


def question(turn: Turn, *, prefill_current: bool = False) -> Reply:
    lines: list[str] = []
    if turn.section_start and turn.intro and turn.slot.index == 0:
        lines += [f"### {escape(turn.section_title)}", "", escape(turn.intro), ""]
    if turn.question is None:
        lines.append(f"**{escape(turn.prompt)}** (yes / no)")
        return Reply("question", "\n".join(lines))
    q = turn.question
    tag = "required" if q.required else "optional, /skip to pass"
    lines.append(f"*{escape(turn.entity_label)} · question {turn.number} of {turn.of} · {tag}*")
    lines += ["", f"**{escape(turn.prompt)}**", "", escape(q.help)]
    lines += ["", "Example: " + " / ".join(f"*{escape(e)}*" for e in q.examples[:2])]
    if turn.suggestions and any(is_count_bucket(s) for s in turn.suggestions):
        # Count buckets ("1-9", "10-99"): a typed number is a count, so no numbering here.
        lines += ["", "Choose: " + ", ".join(f"`{escape(s)}`" for s in turn.suggestions)]
    elif turn.suggestions:
        numbered = "  \n".join(f"{i}. {escape(_choice_shown(s))}" for i, s in enumerate(turn.suggestions, 1))
        how = (
            "Type every one that fits, by number or word (such as 1, 3):"
            if q.multiple
            else "Type a number or the word:"
        )
        lines += ["", how, "", numbered]
    if q.kind == "list":
        lines += ["", "One item per line (Ctrl+J for a new line)."]
    prefill = None
    if turn.current is not None:
        lines += ["", f"Current answer: {escape(_answer_line(turn.current))}"]
        if prefill_current:
            prefill = answer_for_input(turn.current)
            lines += ["", "It is in the input below: change it and press Enter, or press Enter to keep it."]
        else:
            lines += ["", "Enter on an empty line keeps it."]
    elif turn.start is not None:
        # Not asked from scratch: the linked ICP's answer or a suggested label is put in the
        # input the way /edit puts the current answer there (issue 11).
        lines += ["", f"From {escape(turn.start.source)}: {escape(_answer_line(turn.start.answer))}"]
        lines += ["", "It is in the input below: press Enter (or type *same*) to keep it, or change it first."]
        prefill = answer_for_input(turn.start.answer)
    return Reply("question", "\n".join(lines), prefill=prefill)


def followup(outcome: Outcome, reason: str | None) -> Reply:
    notes = " ".join(f.message for f in outcome.findings) or reason or ""
    assert outcome.followup is not None
    return Reply(
        "followup",
        f"{escape(notes)}\n\n**{escape(outcome.followup)}**\n\n"
        "Answer again to refine it, or press Enter on an empty line to keep what you wrote.",
    )


def done(completeness: int) -> Reply:
    return Reply(
        "info",
        f"That's the interview done: completeness **{completeness}%**. "
        "Type **/review** to see the draft and its findings, **/export md** to save it, "
        "or **/edit** with a question id (such as `/edit icp.pains`) to change an answer.",
    )


WHY_LIMIT = 400
"""Characters of a passage /why quotes: cut at a sentence end (text.passages)."""


def _quoted(markdown: str, title: str) -> str:
    """``markdown`` as a block quote (its paragraphs and list items kept), signed ``title``."""
    lines = [f"> {line}" if line else ">" for line in markdown.split("\n")]
    return "\n".join([*lines, ">", f"> — *{escape(title)}*"])


def why(help_text: str, citations: Sequence[Citation], unavailable: str | None) -> Reply:
    body = f"**Why we ask:** {escape(help_text)}"
    if unavailable:
        body += f"\n\n*Guidance is unavailable: {escape(unavailable)}*"
    if citations:
        body += "\n\n" + "\n\n".join(_quoted(passage_markdown(c.text, WHY_LIMIT), c.title) for c in citations[:2])
    return Reply("info", body, list(citations))


def reminder(turn: Turn | None) -> list[Reply]:
    """One line naming the question still open, after an aside such as /why or /ask."""
    if turn is None:
        return []
    return [Reply("info", f"*Still open, {escape(turn.entity_label)}: {escape(turn.prompt)}*")]


def error(problem: str) -> Reply:
    """A problem with what the founder sent, said as it is: the question stays open."""
    return Reply("error", escape(problem[:1].upper() + problem[1:]))


def history(interview: Interview, limit: int = HISTORY_LIMIT) -> list[Reply]:
    """The last messages the founder sent, each under the question it answered, so a resumed
    session reads as a conversation rather than starting blank."""
    replies: list[Reply] = []
    last_asked: str | None = None
    for message in interview.state.typed[-limit:]:
        asked = interview.asked_at(message.slot) if message.slot else None
        if asked and message.slot != last_asked:
            replies.append(Reply("asked", f"*{escape(asked)}*"))
        last_asked = message.slot
        replies.append(Reply("founder", message.text))
    return replies


def evidence(fields: dict[str, Answer], utterances: int, places: dict[str, str]) -> Reply:
    """What /evidence found: contested fields first (with the quote against them), then the
    supported ones, then how many rest on the founder's word alone."""
    rank = {"contested": 0, "supported": 1, "belief": 2}
    found = sorted(((p, a) for p, a in fields.items() if a.evidence), key=lambda pa: rank[pa[1].confidence.value])
    lines = [f"Read {utterances} lines of notes and transcripts."]
    for path, answer in found:
        best = answer.best_evidence()
        if best is None:
            continue
        who = ", ".join(x for x in (best.speaker, best.source.rsplit("/", 1)[-1], best.location) if x)
        label = words.CONFIDENCE_WORDS[answer.confidence]
        lines.append(f'- **{label}** {escape(places.get(path, path))}: "{escape(best.quote)}" ({escape(who)})')
    bare = sum(1 for a in fields.values() if not a.evidence)
    lines.append(f"\n{bare} answers have no quote yet. Type **/review** to see them in the draft.")
    return Reply("info", "\n".join(lines))
