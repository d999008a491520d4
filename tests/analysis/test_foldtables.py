"""The character tables written in foldtables.py are the ones foldtables_build.py builds."""

import pytest

from icpchat.analysis import foldtables_build
from icpchat.text.numbers import _fold


@pytest.mark.slow  # scans all of Unicode (a few seconds)
def test_tables_are_up_to_date():
    from pathlib import Path

    written = (Path(foldtables_build.__file__).with_name("foldtables.py")).read_text(encoding="utf-8")
    assert written == foldtables_build.render(), "run: python -m icpchat.analysis.foldtables_build"


def test_number_folding_is_the_readers():
    # The number table follows text/numbers.py's own folding for letters, dashes and quotes.
    for char in "ÉéÀKkİ–—’´`Ö":
        assert foldtables_build._number_char(char) == _fold(char), char
