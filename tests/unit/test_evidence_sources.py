"""Reading notes and transcripts into utterances (icpchat.evidence.sources)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icpchat.errors import ExitCode
from icpchat.evidence.sources import (
    Cue,
    SourceError,
    parse_notes,
    parse_srt,
    parse_vtt,
    read_source,
    write_srt,
    write_vtt,
)

# Cue text as a transcript holds it: words and punctuation on one line, no tags, no "-->".
_WORD = st.text(alphabet=st.characters(categories=("L", "N"), include_characters="'.,!?£€%"), min_size=1, max_size=12)
_TEXT = st.lists(_WORD, min_size=1, max_size=12).map(" ".join)
_NAME = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8).map(str.capitalize), min_size=1, max_size=3
).map(" ".join)


@st.composite
def _cues(draw: st.DrawFn) -> list[Cue]:
    out, start = [], 0
    for _ in range(draw(st.integers(0, 8))):
        start += draw(st.integers(0, 5_000_000))
        end = start + draw(st.integers(1, 60_000))
        speaker = draw(st.one_of(st.none(), _NAME))
        text = draw(_TEXT)
        if speaker is None and ":" in text:  # "Word: ..." without a speaker reads as a speaker prefix
            text = text.replace(":", "")
        out.append(Cue(_stamp(start), _stamp(end), speaker, text))
    return out


def _stamp(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


@given(_cues())
@settings(max_examples=150, deadline=None)
def test_any_vtt_we_write_reads_back_the_same_cues(cues):
    assert parse_vtt(write_vtt(cues)) == cues


@given(_cues())
@settings(max_examples=150, deadline=None)
def test_any_srt_we_write_reads_back_the_same_cues(cues):
    assert parse_srt(write_srt(cues)) == cues


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_reading_never_raises_on_arbitrary_text(text):
    for cues in (parse_vtt(text), parse_srt(text)):
        assert all(c.text for c in cues)
    assert all(u.text and u.location.startswith("line ") for u in parse_notes(text, "x.md"))


@given(st.binary(max_size=300))
@settings(max_examples=100, deadline=None)
def test_any_bytes_read_or_are_refused_as_binary(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("b") / "notes.txt"
    path.write_bytes(data)
    try:
        read_source(path)
    except SourceError as exc:
        assert "binary" in str(exc)


def test_vtt_keeps_voice_tags_timestamps_and_skips_notes(tmp_path):
    path = tmp_path / "call.vtt"
    path.write_text(
        "WEBVTT\n\nNOTE who was there\n\n1\n00:01:02.500 --> 00:01:05.000\n"
        "<v.loud Priya Nair>Paper, all of it.</v>\n<i>Every</i> kitchen has a clipboard.\n\n"
        "00:01:06.000 --> 00:01:08.000\nTom: And the folders?\n",
        encoding="utf-8",
    )
    first, second = read_source(path, "call.vtt")
    assert (first.speaker, first.location, first.text) == (
        "Priya Nair",
        "00:01:02.500",
        "Paper, all of it. Every kitchen has a clipboard.",
    )
    assert (second.speaker, second.text) == ("Tom", "And the folders?")


def test_srt_speaker_prefix_and_comma_timestamps(tmp_path):
    path = tmp_path / "call.srt"
    path.write_text("1\n00:00:16,400 --> 00:00:24,000\nMarco: The sheets get done at the end of the night.\n")
    (u,) = read_source(path)
    assert (u.speaker, u.location, u.text) == ("Marco", "00:00:16.400", "The sheets get done at the end of the night.")


def test_notes_lines_bullets_speakers_and_topics():
    text = (
        "# Interview: Brightwave\ndate: 7 Oct\nattendees: Hannah Okafor\n\n## pains\n"
        '- Hannah: "the close takes nine days"\n- budget: 15k a year\n* Outcome: they signed\n'
    )
    found = parse_notes(text, "n.md")
    assert [(u.location, u.speaker, u.text) for u in found] == [
        ("line 6", "Hannah", '"the close takes nine days"'),
        ("line 7", None, "budget: 15k a year"),
        ("line 8", None, "Outcome: they signed"),  # a topic label said once is not a speaker
    ]


def test_cp1252_notes_are_read(tmp_path):
    path = tmp_path / "n.txt"
    path.write_bytes("budget: €35 a site".encode("cp1252"))
    assert read_source(path)[0].text == "budget: €35 a site"


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.write_bytes(b"\x89PNG\x00\x00\x00"), "binary"),
        (lambda p: p.mkdir(), "folder"),
    ],
)
def test_unreadable_notes_name_the_file_and_exit_2(tmp_path, make, problem):
    path = tmp_path / "notes.md"
    make(path)
    with pytest.raises(SourceError) as info:
        read_source(path, "notes.md")
    assert str(info.value).startswith("notes.md: ") and problem in str(info.value)
    assert info.value.exit_code == ExitCode.USAGE
