"""The one boundary for text on its way to a terminal or a document (issue 12, item 1):
escape sequences are shown, never obeyed; newline and tab stay; JSON keeps the text exact."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icpchat.text.markdown import escape, escape_inline
from icpchat.text.terminal import UNSAFE, json_controls, visible

# Escape sequences as an attacker writes them, and the pieces they are made of.
OSC52 = "\x1b]52;c;cHduZWQ=\x07"  # writes the clipboard
OSC0 = "\x1b]0;pwned\x1b\\"  # retitles the terminal (ST-terminated)
FRAGMENTS = [
    "\x1b",
    "\x1b[",
    "\x1b]",
    "\x1bP",
    "\x1b\\",
    "\x07",
    "\x9b",
    "\x9d",
    "\x90",
    "\x9c",
    "52;c;",
    "0;",
    "2J",
    "31m",
    "\r",
    "\r\n",
    "\x0b",
    "\x00",
    "\x7f",
    OSC52,
    OSC0,
    "\x1b[2J\x1b[H",
    "\x9d0;title\x9c",
    "\x1bP+q\x1b\\",
]
#: Every code point but surrogates, controls weighted in.
CHARS = st.characters(blacklist_categories=["Cs"])
CONTROLS = st.sampled_from([chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))])
HOSTILE = st.lists(
    st.one_of(st.text(CHARS, max_size=12), st.text(CONTROLS, max_size=4), st.sampled_from(FRAGMENTS))
).map("".join)

#: What must never reach a terminal from stored text: any C0 control but newline and tab, DEL, C1.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (OSC52, "␛]52;c;cHduZWQ=␇"),
        (OSC0, "␛]0;pwned␛\\"),
        ("a\x1b[2Jb", "a␛[2Jb"),
        ("\x1bP+q\x1b\\", "␛P+q␛\\"),
        ("lone \x1b", "lone ␛"),
        ("bell\x07", "bell␇"),
        ("\x9d0;t\x9c", "\\u009d0;t\\u009c"),
        ("\x9b31m", "\\u009b31m"),
        ("nul\x00del\x7f", "nul␀del␡"),
        ("a\r\nb\rc\x0bd\x0ce", "a\nb\nc\nd\ne"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("\ud83d broken emoji \ufffe", "\ufffd broken emoji \ufffd"),
        ("plain, accents é, emoji 😀, CJK 漢字", "plain, accents é, emoji 😀, CJK 漢字"),
    ],
)
def test_visible_shows_every_kind_of_sequence(raw, shown):
    assert visible(raw) == shown


@given(HOSTILE)
def test_visible_leaves_no_control_and_is_stable(text):
    shown = visible(text)
    assert not RAW_CONTROL.search(shown)
    assert not UNSAFE.search(shown)
    assert visible(shown) == shown
    assert shown.count("\t") == text.count("\t")
    shown.encode("utf-8")  # no lone surrogate left to break the terminal's encoding


@given(st.text(CHARS))
def test_visible_keeps_text_without_controls(text):
    if not UNSAFE.search(text):
        assert visible(text) is text


@given(HOSTILE)
def test_json_keeps_the_text_exact_and_prints_safely(text):
    for dumped in (json.dumps(text, ensure_ascii=False), json.dumps({"k": [text]}, ensure_ascii=False, indent=2)):
        safe = json_controls(dumped)
        assert json.loads(safe) == json.loads(dumped)
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", safe)


@given(HOSTILE)
def test_markdown_escape_shows_controls(text):
    assert not RAW_CONTROL.search(escape(text))
    assert not RAW_CONTROL.search(escape_inline(text))


def test_markdown_escape_of_an_escape_sequence_reads_as_typed():
    assert escape(OSC52) == "␛\\]52;c;cHduZWQ=␇"
