"""Interview notes and call transcripts, read into utterances: who said what, and where.

Four formats: WebVTT and SRT transcripts (one utterance per cue, located by its start time,
the speaker from a ``<v Name>`` tag or a ``Name:`` prefix) and Markdown or plain-text notes (one
utterance per line or bullet, located by its line number, the speaker from a ``Name:`` prefix).
A transcript's cue split across lines is one utterance; a note's paragraph lines stay apart,
because notes put one fact on a line. Nothing here raises on odd text: what cannot be read
as a cue is read as a note line, so a half-broken transcript still gives its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from icpchat.errors import InputError

#: Bigger files are not notes: a pasted export or a binary picked by a glob.
MAX_BYTES = 5_000_000

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+(?P<name>[^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d+:\d{2}[^>]*>")
#: "Name:" at the start of a line: one to four capitalised words (a time is not a name; a note's
#: "budget:" is a topic, not a speaker).
_PREFIX = re.compile(r"^(?P<name>[A-ZÀ-Þ][\w.'\-]*(?: [A-ZÀ-Þ][\w.'\-]*){0,3})\s*:\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_FRONT = re.compile(r"^(?:date|notes?|attendees|participants|when|where|who|with|interviewer)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Utterance:
    """One turn of a transcript or one line of notes."""

    source: str
    """The file as named on the command line (or in the chat)."""
    location: str
    """``line 12`` for notes, the cue's start (``00:01:23.500``) for transcripts."""
    speaker: str | None
    text: str


@dataclass(frozen=True)
class Cue:
    """A transcript cue as written: what the writers produce and the parsers read back."""

    start: str
    end: str
    speaker: str | None
    text: str


class SourceError(InputError):
    """A notes or transcript file that cannot be read (missing, binary, too big, not text)."""


def read_source(path: Path, name: str | None = None) -> list[Utterance]:
    """The utterances of one notes or transcript file; its kind from the suffix, else the content."""
    label = name or str(path)
    text = _read_text(path, label)
    kind = path.suffix.lower()
    if kind == ".vtt" or (kind not in {".srt", ".md", ".markdown"} and text.lstrip("\ufeff").startswith("WEBVTT")):
        return cues_to_utterances(parse_vtt(text), label)
    if kind == ".srt" or (kind not in {".md", ".markdown"} and _looks_like_srt(text)):
        return cues_to_utterances(parse_srt(text), label)
    return parse_notes(text, label)


def _read_text(path: Path, label: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(f"{size:,} bytes is too big for notes (at most {MAX_BYTES:,})", file=label)
        data = path.read_bytes()
    except IsADirectoryError:
        raise SourceError("is a folder; name the notes files in it", file=label) from None
    except FileNotFoundError:
        raise SourceError("no such file", file=label) from None
    except OSError as exc:
        raise SourceError(f"cannot read it: {exc.strerror or exc}", file=label) from None
    if b"\x00" in data[:4096]:
        raise SourceError("is a binary file, not notes or a transcript (.md, .txt, .vtt, .srt)", file=label)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # every byte is a character: never fails


def _looks_like_srt(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()][:2]
    return len(lines) == 2 and lines[0].strip().isdigit() and bool(_TIMING.match(lines[1]))


def _blocks(text: str) -> Iterable[list[str]]:
    block: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _normal_time(stamp: str) -> str:
    """``1:02.5`` and ``00:01:02,500`` both as ``00:01:02.500``."""
    stamp = stamp.replace(",", ".")
    clock, _, fraction = stamp.partition(".")
    parts = clock.split(":")
    while len(parts) < 3:
        parts.insert(0, "0")
    hours, minutes, seconds = (int(p) for p in parts[-3:])
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{fraction.ljust(3, '0')[:3]}"


def _cue(lines: list[str]) -> Cue | None:
    """A cue from a block's timing line and the text after it; None when it has no timing."""
    for i, line in enumerate(lines[:3]):
        match = _TIMING.match(line)
        if match:
            speaker, text = _speaker_and_text(" ".join(x.strip() for x in lines[i + 1 :]))
            return Cue(_normal_time(match["start"]), _normal_time(match["end"]), speaker, text)
    return None


def _speaker_and_text(text: str) -> tuple[str | None, str]:
    voice = _VOICE.search(text)
    speaker = voice["name"].strip() if voice else None
    text = " ".join(_TAG.sub("", text).split())
    if speaker is None:
        prefix = _PREFIX.match(text)
        if prefix:
            speaker, text = prefix["name"], prefix["text"]
    return speaker, text


def parse_vtt(text: str) -> list[Cue]:
    """The cues of a WebVTT file (NOTE, STYLE and REGION blocks skipped)."""
    cues = []
    for block in _blocks(text.lstrip("\ufeff")):
        head = block[0].strip()
        if head.startswith(("WEBVTT", "NOTE", "STYLE", "REGION")) and not _TIMING.match(head):
            continue
        cue = _cue(block)
        if cue is not None and cue.text:
            cues.append(cue)
    return cues


def parse_srt(text: str) -> list[Cue]:
    """The cues of an SRT file (a number, a timing line, the text)."""
    cues = []
    for block in _blocks(text.lstrip("\ufeff")):
        cue = _cue(block)
        if cue is not None and cue.text:
            cues.append(cue)
    return cues


def cues_to_utterances(cues: list[Cue], source: str) -> list[Utterance]:
    return [Utterance(source, cue.start, cue.speaker, cue.text) for cue in cues]


def parse_notes(text: str, source: str) -> list[Utterance]:
    """One utterance per non-empty line of Markdown or plain notes; headings and header lines
    (date:, attendees:) are not anyone's words."""
    out = []
    in_fence = False
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if (
            in_fence
            or not stripped
            or _HEADING.match(line)
            or _FRONT.match(stripped)
            or set(stripped) <= set("-=*_|#>")
        ):
            continue
        body = _BULLET.sub("", stripped).lstrip("> ").strip()
        speaker, said = _speaker_and_text(body)
        if speaker is not None and not _named_elsewhere(speaker, text):
            speaker, said = None, " ".join(_TAG.sub("", body).split())  # "Context: ..." is a topic
        if said:
            out.append(Utterance(source, f"line {number}", speaker, said))
    return out


def _named_elsewhere(name: str, text: str) -> bool:
    """A note's "Name:" is a speaker when the name occurs twice in the notes (a prefix used
    again, or the person named in the header); a topic label ("Outcome:") occurs once."""
    return len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text)) >= 2


def _stamp(time: str, comma: bool) -> str:
    return time.replace(".", ",") if comma else time


def write_vtt(cues: Iterable[Cue]) -> str:
    """A WebVTT file of ``cues`` (speakers as ``<v Name>`` tags), as :func:`parse_vtt` reads it."""
    parts = ["WEBVTT", ""]
    for cue in cues:
        voice = f"<v {cue.speaker}>" if cue.speaker else ""
        parts += [f"{cue.start} --> {cue.end}", f"{voice}{cue.text}", ""]
    return "\n".join(parts)


def write_srt(cues: Iterable[Cue]) -> str:
    """An SRT file of ``cues`` (speakers as ``Name:`` prefixes), as :func:`parse_srt` reads it."""
    parts = []
    for number, cue in enumerate(cues, start=1):
        prefix = f"{cue.speaker}: " if cue.speaker else ""
        parts += [str(number), f"{_stamp(cue.start, True)} --> {_stamp(cue.end, True)}", f"{prefix}{cue.text}", ""]
    return "\n".join(parts)
