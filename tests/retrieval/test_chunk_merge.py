"""Short sections (intros of one or two sentences) are merged into their neighbour: no text
lost, order kept, no tiny chunk unless the whole article is tiny."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from icpchat import paths
from icpchat.retrieval.chunking import (
    MIN_SECTION_WORDS,
    Article,
    chunk_article,
    join_overlapping,
    knowledge_files,
    merge_headings,
    merge_short_pieces,
    merge_short_sections,
    read_article,
)

_WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
_TEXT = st.lists(_WORD, min_size=1, max_size=60).map(" ".join)
_HEADING = st.sampled_from(["", "A", "A > B", "A > C", "D", "D > E"])
_SECTIONS = st.lists(st.tuples(_HEADING, _TEXT), min_size=1, max_size=12)


@given(_SECTIONS, st.integers(min_value=1, max_value=40))
def test_merging_loses_no_text_and_keeps_the_order(sections: list[tuple[str, str]], min_words: int) -> None:
    merged = merge_short_sections(sections, min_words)
    assert "\n\n".join(t for _, t in merged) == "\n\n".join(t for _, t in sections)


@given(_SECTIONS, st.integers(min_value=1, max_value=40))
def test_no_section_is_short_unless_it_is_the_only_one(sections: list[tuple[str, str]], min_words: int) -> None:
    merged = merge_short_sections(sections, min_words)
    assert merged
    if len(merged) > 1:  # a lone section may be short: the whole article is
        assert all(len(t.split()) >= min_words for _, t in merged)


@given(_SECTIONS)
def test_long_sections_are_left_alone(sections: list[tuple[str, str]]) -> None:
    long_enough = [(h, t) for h, t in sections if len(t.split()) >= 5]
    if long_enough:
        assert merge_short_sections(long_enough, 5) == long_enough


@given(
    st.lists(st.text(alphabet="abcdefghij", min_size=3, max_size=8), min_size=8, max_size=40, unique=True),
    st.integers(min_value=6, max_value=50),
)
def test_overlapping_pieces_merge_with_the_shared_text_once(words: list[str], overlap: int) -> None:
    """As the splitter leaves them: the second piece starts with the end of the first."""
    text = " ".join(words)
    half = len(text) // 2
    first, second = text[: half + overlap], text[max(0, half - overlap) :]
    assert join_overlapping(first, second) == text


def test_an_intro_joins_its_first_subsection_under_the_subsection_heading():
    intro = ("Mistakes", "These mistakes waste a good profile.")
    sub = ("Mistakes > Never used", " ".join(["word"] * 40))
    assert merge_short_sections([intro, sub]) == [("Mistakes > Never used", intro[1] + "\n\n" + sub[1])]
    assert merge_headings("Discovery calls", "Pricing") == "Discovery calls; Pricing"


def test_a_short_last_section_joins_the_one_before():
    body = ("Body", " ".join(["word"] * 40))
    tail = ("Checklist", "Three items.")
    assert merge_short_sections([body, tail]) == [("Body; Checklist", body[1] + "\n\n" + tail[1])]


def test_a_lone_short_article_stays_one_chunk():
    chunks = chunk_article(Article(source="n.md", title="Note", body="## Only\n\nOne short line.\n"))
    assert [c.text for c in chunks] == ["One short line."]


def test_split_pieces_are_merged_too():
    assert merge_short_pieces(["Intro line.", " ".join(["word"] * 40)]) == ["Intro line.\n\n" + " ".join(["word"] * 40)]


def test_no_builtin_chunk_is_shorter_than_the_minimum():
    """Before the merge, knowledge/18's intros (13-19 words) and split-off section intros such
    as 'Compare ICP and non-ICP opportunities on:' were chunks of their own."""
    short = []
    for path in knowledge_files(paths.knowledge_dir()):
        short += [
            (path.name, c.metadata["heading"], c.text[:40])
            for c in chunk_article(read_article(path))
            if len(c.text.split()) < MIN_SECTION_WORDS
        ]
    assert short == []
