"""Knowledge passages as they are shown: cut at a sentence end, rendered as Markdown (or plain
text for a terminal), tables as lists, nothing injected."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from icpchat.text.passages import ELLIPSIS, cut, normalise, passage_markdown, passage_plain

TABLE_PASSAGE = """For each criterion, write three bands.

| Criterion | Ideal (2 points) | Acceptable (1 point) | Disqualifying |
|---|---|---|---|
| Employees | 50-250 | 20-49 or 251-600 | Under 20 |
| CRM | HubSpot or Salesforce | Pipedrive | No CRM |

Any disqualifying value removes the account."""

LIST_PASSAGE = """Most triggers fall into a handful of families.

- **People changes.** A new executive in the buyer's function.
- **Growth events.** A funding round or a new location.
1. Ask recent buyers directly.
2. Look at the CRM timeline."""

_WORDS = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=12)
_SEPARATORS = st.sampled_from([" ", " ", " ", ". ", ", ", "! ", "\n", "\n\n", "? ", "** ", " **", "; "])


@st.composite
def passages(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, min_size=1, max_size=80))
    seps = draw(st.lists(_SEPARATORS, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True)).strip()


def _word_char(c: str) -> bool:
    return c.isalnum()


@given(passages(), st.integers(min_value=1, max_value=400))
def test_cut_is_a_prefix_and_an_ellipsis_within_the_limit_never_mid_word(text: str, limit: int) -> None:
    out = cut(text, limit)
    assert len(out) <= max(limit, len(ELLIPSIS))
    if len(text) <= limit:
        assert out == text
        return
    assert out.endswith(ELLIPSIS)
    kept = out[: -len(ELLIPSIS)].rstrip()
    assert text.startswith(kept)
    if kept:  # the cut falls between a word and what follows it, never inside a word
        assert not (_word_char(text[len(kept) - 1]) and _word_char(text[len(kept)]))


def test_a_sentence_ending_inside_bold_is_cut_after_the_closing_markers():
    text = "**Back-test it.** Score your existing customers now. The best ones should land in tier A."
    assert cut(text, 40) == "**Back-test it.** " + ELLIPSIS
    assert passage_markdown(text, 40) == "**Back-test it.** " + ELLIPSIS


def test_cut_prefers_the_last_sentence_that_fits():
    text = "First sentence is here. Second one is a little longer. Third sentence runs on and on."
    assert cut(text, 60) == "First sentence is here. Second one is a little longer. " + ELLIPSIS
    assert cut(text, len(text)) == text


def test_cut_falls_back_to_a_word_end_when_no_sentence_keeps_enough():
    text = "Short. " + "word " * 100
    out = cut(text, 200)
    assert out.endswith("word" + ELLIPSIS) and len(out) <= 200


def test_a_single_word_longer_than_the_limit_is_never_cut_inside():
    assert cut("x" * 50, 10) == ELLIPSIS


def test_a_table_becomes_one_list_item_per_row_with_its_headers():
    md = passage_markdown(TABLE_PASSAGE)
    assert "|" not in md
    assert (
        "- **Employees** — Ideal (2 points): 50-250; Acceptable (1 point): 20-49 or 251-600; Disqualifying: Under 20"
        in md
    )
    assert "- **CRM** — " in md
    assert md.startswith("For each criterion, write three bands.\n\n- **Employees**")


def test_lists_stay_lists_and_bold_stays_bold():
    md = passage_markdown(LIST_PASSAGE)
    lines = md.split("\n")
    assert "- **People changes.** A new executive in the buyer's function." in lines
    assert "1. Ask recent buyers directly." in lines and "2. Look at the CRM timeline." in lines
    plain = passage_plain(LIST_PASSAGE)
    assert "**" not in plain and "- People changes. A new executive" in plain


def test_guidance_in_the_panel_reads_as_markdown_not_as_literal_markers():
    """Before: the panel showed '\\*\\*People changes.\\*\\*' (escaped, so literal) on one line."""
    md = passage_markdown(LIST_PASSAGE, 120)
    assert "\\*\\*" not in md and "\n- **People changes.**" in md
    assert md.endswith(ELLIPSIS)


def test_markup_other_than_bold_and_lists_is_escaped():
    md = passage_markdown("See [our site](http://x.example) <b>now</b>\n# Heading\n`code` and | pipe")
    assert "\\[our site\\]" in md and "\\<b\\>" in md and "\\# Heading" in md and "\\`code\\`" in md


def test_wrapped_lines_join_and_blank_lines_stay_paragraph_breaks():
    assert normalise("one line\ncontinued here\n\n\n\nnext   paragraph") == "one line continued here\n\nnext paragraph"


def test_escape_sequences_in_a_passage_are_shown_not_sent():
    md = passage_markdown("A new CFO \x1b]52;c;ZXZpbA==\x07 opens a window.")
    assert "\x1b" not in md and "\x07" not in md


@given(passages())
def test_rendering_keeps_every_word(text: str) -> None:
    words = re.findall(r"\w+", text)
    assert re.findall(r"\w+", passage_plain(text)) == words


def test_a_cut_never_leaves_a_list_item_with_only_its_label():
    """Seen in /why: '- **Growth events.** …', a list item cut right after its bold label."""
    text = (
        "Families of triggers.\n\n- **People changes.** A new executive arrives in the buyer's function.\n"
        "- **Growth events.** A funding round, a jump in hiring, a new location or market."
    )
    out = cut(text, 120)
    assert out.endswith("function. " + ELLIPSIS) and "Growth" not in out
