"""LLM prompt templates (prompts/<name>.md) and the data that goes into them.

A template has a ``# system`` and a ``# user`` part; ``{{name}}`` placeholders are filled in
one pass, so a placeholder typed by a founder is never expanded. Every value is data: ``&``,
``<`` and ``>`` are escaped, so an answer or a passage cannot close the tag it sits in
(``</answer>``) and pose as instructions outside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from icpchat import paths
from icpchat.domain.models import Answer, Citation, Finding, Profile, entity_path
from icpchat.quality import RULES

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_PART = re.compile(r"^# (system|user)\s*$", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

#: Fields of each entity shown to the synthesis, in order; the rest would crowd a small context.
SYNTHESIS_FIELDS: dict[str, tuple[str, ...]] = {
    "business": ("name", "offering", "model", "problem", "customers_today"),
    "icp": (
        "name",
        "industries",
        "company_size",
        "geographies",
        "growth_stage",
        "current_solution",
        "pains",
        "goals",
        "triggers",
        "switching",
        "budget",
        "best_customers",
        # A consumer ICP has no firmographics: who they are and when they buy instead.
        "life_stage",
        "purchase_occasion",
    ),
    "persona": (
        "name",
        "icp",
        "job_title",
        "seniority",
        "buying_role",
        "psychographics",
        "goals",
        "challenges",
        "information_sources",
        "objections",
        "key_message",
        "quote",
    ),
}
MAX_VALUE_CHARS = 160
MAX_PROFILE_CHARS = 4500
MAX_PASSAGE_CHARS = 1200


def data(text: str) -> str:
    """Escape text so it stays data inside the tags of a prompt."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str
    user: str

    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.system + self.user))

    def render(self, values: dict[str, str], *, blocks: dict[str, str] | None = None) -> tuple[str, str]:
        """(system, user) with every placeholder replaced by its escaped value.

        ``blocks`` are already-tagged texts built by this module (their data escaped inside).
        """
        filled = {k: data(v) for k, v in values.items()} | (blocks or {})
        missing = self.placeholders() - filled.keys()
        if missing:
            raise KeyError(f"prompt {self.name}: no value for {', '.join(sorted(missing))}")

        def fill(template: str) -> str:
            return _PLACEHOLDER.sub(lambda m: filled[m.group(1)], template).strip()

        return fill(self.system), fill(self.user)


def parse_prompt(name: str, text: str) -> Prompt:
    text = _COMMENT.sub("", text)
    parts = _PART.split(text)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    if set(sections) != {"system", "user"}:
        raise ValueError(f"prompt {name}: expected a '# system' and a '# user' part")
    return Prompt(name, sections["system"].strip(), sections["user"].strip())


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    return _load(name, directory or paths.prompts_dir())


@lru_cache(maxsize=16)
def _load(name: str, directory: Path) -> Prompt:
    return parse_prompt(name, (directory / f"{name}.md").read_text(encoding="utf-8"))


# -- what goes into the placeholders ------------------------------------------------------


def answer_text(answer: Answer) -> str:
    """The founder's answer as typed: list answers one item per line."""
    return answer.text("\n")


def rules_verdict(findings: Sequence[Finding]) -> str:
    """The offline rules' verdict on an answer, as the assess prompt shows it: one line per
    finding that makes the interview probe (rule id and what it found missing), or none."""
    lines = [f"{f.rule}: {f.message}" for f in findings if f.rule in RULES and RULES[f.rule].followup]
    return "\n".join(lines) if lines else "No rule flagged this answer."


def _value(answer: Answer) -> str:
    if isinstance(answer.value, list):
        return "; ".join(answer.value)
    if isinstance(answer.value, str):
        return answer.value
    return answer_text(answer)  # a range: the founder's wording says it best


def entity_lines(entity: BaseModel, qids: tuple[str, ...], limit: int = MAX_VALUE_CHARS) -> list[str]:
    lines = []
    for qid in qids:
        answer = getattr(entity, qid, None)
        if isinstance(answer, Answer):
            lines.append(f"{qid}: {clip(_value(answer), limit)}")
    return lines


def profile_text(profile: Profile, max_chars: int = MAX_PROFILE_CHARS) -> str:
    """A compact plain-text profile for the synthesis, shortened to fit a small context."""
    for limit in (MAX_VALUE_CHARS, 100, 60, 30):
        blocks = []
        for section, qids in SYNTHESIS_FIELDS.items():
            for index, entity in enumerate(profile.entities(section)):
                blocks.append(f"[{entity_path(section, index)}]\n" + "\n".join(entity_lines(entity, qids, limit)))
        text = "\n\n".join(blocks)
        if len(text) <= max_chars:
            return text
    return text[:max_chars]


def findings_text(profile: Profile, limit: int = 6) -> str:
    rows = [f"{f.field}: {f.rule}" for f in profile.quality.findings if f.severity != "info"]
    return "\n".join(rows[:limit]) or "none"


def entity_paths(profile: Profile) -> list[str]:
    """The paths the synthesis writes a story for: every ICP and persona."""
    return [entity_path("icp", i) for i in range(len(profile.icps))] + [
        entity_path("persona", i) for i in range(len(profile.personas))
    ]


def _attr(c: Citation) -> str:
    return data(clip(c.title + (" — " + c.heading if c.heading else ""), 120)).replace('"', "&quot;")


def passages_block(passages: Sequence[Citation]) -> str:
    """``<passage id="1" title="...">text</passage>`` blocks, their data escaped."""
    return "\n\n".join(
        f'<passage id="{number}" title="{_attr(c)}">\n{data(clip(c.text, MAX_PASSAGE_CHARS))}\n</passage>'
        for number, c in enumerate(passages, 1)
    )
