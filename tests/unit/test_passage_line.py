"""The exported appendix shows each passage as one clean line: no Markdown markers, no
table pipes, never cut mid-word (it showed literal **bold** and raw tables)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from icpchat.export.sections import passage_line

PASSAGE = st.lists(
    st.one_of(
        st.text(st.characters(categories=("L", "N", "Zs", "Po"), exclude_characters="*|\\"), max_size=80),
        st.sampled_from(
            ["**Growth events.** Funding rounds.", "- a\n- b", "1. one\n2. two", "| A | B |\n|---|---|\n| x | y |"]
        ),
    ),
    max_size=8,
).map("\n\n".join)


@given(PASSAGE, st.integers(20, 400))
def test_a_passage_line_is_plain_one_line_and_within_the_limit(text: str, limit: int) -> None:
    line = passage_line(text, limit)
    assert "\n" not in line
    assert len(line) <= limit
    assert "**" not in line
    assert "|" not in line


def test_a_table_and_a_list_read_as_text() -> None:
    line = passage_line(
        "**Growth events.** Funding.\n\n- hiring sprees\n- a new CFO\n\n| Trigger | Signal |\n|---|---|\n| Funding | press |"
    )
    assert line.startswith("Growth events. Funding. hiring sprees; a new CFO")
    assert "|" not in line
