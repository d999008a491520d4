"""The scripted driver: an answers file (YAML or JSON, or stdin) -> the engine -> a profile.

It feeds every answer through the same :class:`Interview` the chat uses, so validation and
normalisation are identical. Bad input is reported with the file, the key path and the
problem; every problem in the file is listed at once, not one per run.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import yaml

from icpchat.domain.dates import REVIEW_MONTHS
from icpchat.domain.depth import DEPTHS
from icpchat.domain.models import SECTION_KEYS, Citation, Meta, Profile, Provenance
from icpchat.engine.interview import Interview, InterviewState
from icpchat.engine.parse import type_name
from icpchat.errors import InputError, check_strict
from icpchat.questions.models import Catalog, Question
from icpchat.text.structured import DataError, load_json, load_yaml

if TYPE_CHECKING:
    from icpchat.llm.port import LLM

MAX_ANSWERS_BYTES = 1_000_000
TOP_LEVEL_KEYS = {
    "business": "business",
    "icps": "icp",
    "icp": "icp",
    "personas": "persona",
    "persona": "persona",
    "negative_personas": "negative_persona",
    "negative_persona": "negative_persona",
    "depth": None,
}

#: Looks up guidance for a question: (question id, question, the answer so far) -> passages.
Guide = Callable[[str, Question, str], list[Citation]]


class InputErrors(InputError):
    """Several problems in one input file, each on its own line."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
        self.args = ("\n".join(str(e) for e in errors),)

    def __str__(self) -> str:
        return self.args[0]


def read_answers(source: str, stdin: BinaryIO) -> tuple[str, bytes]:
    """Read an answers file (or ``-`` for stdin), never more than the size limit plus one byte."""
    if source == "-":
        return "<stdin>", stdin.read(MAX_ANSWERS_BYTES + 1)
    path = Path(source)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "not a regular file", file=source)
    try:
        with path.open("rb") as fh:
            return source, fh.read(MAX_ANSWERS_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=source) from None


def decode_answers(raw: bytes, file: str) -> Any:
    """Parse answers file bytes, refusing oversized, binary and alias-laden input, and the values
    :mod:`icpchat.text.structured` refuses (deep nesting, huge numbers, NaN, duplicate keys...)."""
    if len(raw) > MAX_ANSWERS_BYTES:
        raise InputError(
            f"larger than {MAX_ANSWERS_BYTES / 1e6:.0f} MB, the limit for answers files; is it the right file?",
            file=file,
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise InputError(f"not a text file (NUL byte at offset {nul})", file=file)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (bad byte at offset {exc.start}); save the file as UTF-8", file=file
        ) from None
    if not text.strip():
        raise InputError("the answers file is empty", file=file)
    try:
        return load_json(text) if file.endswith(".json") else load_yaml(text)
    except DataError as exc:
        errors = [
            InputError(f"line {p.line}: {p.problem}" if p.line else p.problem, file=file, key=p.key or None)
            for p in exc.problems
        ]
        raise InputErrors(errors) if len(errors) > 1 else errors[0] from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=file) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(f"invalid YAML{where}: {exc.problem}", file=file) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=file) from None


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of: {', '.join(allowed)}"
    return f"unknown key{hint}"


def apply_answers(interview: Interview, data: Any, file: str) -> None:
    """Load answers-file data into ``interview``; raises :class:`InputErrors` listing every problem."""
    errors: list[InputError] = []
    if not isinstance(data, Mapping):
        raise InputError(
            f"expected a mapping with business, icps, personas... at the top, got {type_name(data)}", file=file
        )
    seen_sections: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(key, str) or key not in TOP_LEVEL_KEYS:
            errors.append(InputError(_unknown_key(str(key), sorted(TOP_LEVEL_KEYS)), file=file, key=str(key)))
            continue
        section = TOP_LEVEL_KEYS[key]
        if section is None:  # depth
            if value not in DEPTHS:
                errors.append(InputError(f"expected {', '.join(DEPTHS[:-1])} or {DEPTHS[-1]}", file=file, key=key))
            else:
                interview.state.depth = value
            continue
        if section in seen_sections:
            errors.append(InputError(f"given twice (also as {seen_sections[section]!r})", file=file, key=key))
            continue
        seen_sections[section] = key
        if section == "business":
            entities: list[tuple[str, Any]] = [(key, value)]
        elif key == SECTION_KEYS[section]:
            if not isinstance(value, list):
                errors.append(InputError(f"expected a list, got {type_name(value)}", file=file, key=key))
                continue
            entities = [(f"{key}[{i}]", v) for i, v in enumerate(value)]
        else:  # singular key: one mapping
            entities = [(f"{SECTION_KEYS[section]}[0]", value)]
        for index, (path, entity) in enumerate(entities):
            errors += _apply_entity(interview, section, index, path, entity, file)
    if errors:
        raise InputErrors(errors) if len(errors) > 1 else errors[0]


def _apply_entity(
    interview: Interview, section: str, index: int, path: str, entity: Any, file: str
) -> list[InputError]:
    if not isinstance(entity, Mapping):
        return [InputError(f"expected a mapping of answers, got {type_name(entity)}", file=file, key=path)]
    allowed = [q.id for q in interview.catalog.section(section).questions]
    errors: list[InputError] = []
    for qid, value in entity.items():
        key = f"{path}.{qid}"
        if not isinstance(qid, str) or qid not in allowed:
            errors.append(InputError(_unknown_key(str(qid), allowed), file=file, key=key))
            continue
        if value is None or value == "" or value == []:
            continue  # left blank: unanswered
        try:
            interview.set_answer(section, index, qid, value, key=key)
        except InputError as exc:
            errors.append(InputError(exc.problem, file=file, key=exc.key or key))
    return errors


def apply_seed(interview: Interview, seed: Any, file: str) -> None:
    """Pre-fill the first ICP from `icpchat analyze` output, with provenance ``data``."""
    if not isinstance(seed, Mapping) or seed.get("kind") != "icpchat-analysis":
        raise InputError("not an analysis file from `icpchat analyze`", file=file)
    answers = seed.get("answers", {}).get("icp", {})
    if not isinstance(answers, Mapping):
        raise InputError("expected a mapping", file=file, key="answers.icp")
    errors: list[InputError] = []
    for qid, value in answers.items():
        try:
            interview.set_answer("icp", 0, str(qid), value, key=f"answers.icp.{qid}", provenance=Provenance.DATA)
        except InputError as exc:
            errors.append(InputError(exc.problem, file=file, key=exc.key))
    if errors:
        raise InputErrors(errors) if len(errors) > 1 else errors[0]


@dataclass
class Runner:
    """Answers in, profile out. The clock is injected so runs can be reproducible."""

    catalog: Catalog
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    review_months: int | None = None
    """Months from a run to the profile's review; None: by the business's stage (knowledge/19)."""
    guide: Guide | None = None
    llm: LLM | None = None
    """A model that reviews every answer and writes the synthesis (``--llm``); None: offline."""

    def interview_from(self, data: Any, file: str, seed: Any = None, seed_file: str = "") -> Interview:
        interview = Interview(self.catalog, InterviewState())
        if seed is not None:
            apply_seed(interview, seed, seed_file)
        apply_answers(interview, data, file)
        if self.guide is not None:
            self.attach_guidance(interview)
        return interview

    def attach_guidance(self, interview: Interview) -> None:
        """Record the passages a founder would have seen for each answered question."""
        assert self.guide is not None
        for qset in self.catalog.sets:
            for entity in interview.state.entities(qset.section):
                for q in qset.questions:
                    qid = f"{qset.section}.{q.id}"
                    answer = getattr(entity, q.id)
                    if answer is None or qid in interview.state.guidance:
                        continue
                    interview.state.guidance[qid] = self.guide(qid, q, answer.text())

    def meta(
        self,
        created_at: datetime | None = None,
        updated_at: datetime | None = None,
        *,
        interview: Interview | None = None,
        **extra: Any,
    ) -> Meta:
        """The profile's metadata, due for review by ``interview``'s stage unless the setting says."""
        if interview is not None:
            months = interview.review_months(self.review_months)
        else:
            months = self.review_months or REVIEW_MONTHS
        return Meta.new(updated_at or self.clock(), created_at=created_at, review_months=months, **extra)

    def run(self, data: Any, file: str, *, seed: Any = None, seed_file: str = "") -> Profile:
        interview = self.interview_from(data, file, seed, seed_file)
        meta = self.meta(interview=interview, depth=interview.state.depth)
        if self.llm is None or self.llm.mode != "llm":
            return interview.to_profile(meta)
        from icpchat.llm.context import enrich

        profile, _synthesis = enrich(self.llm, interview, meta)
        return profile


def missing_required(profile: Profile) -> list[str]:
    return [f.field for f in profile.quality.findings if f.rule == "required-missing"]


def check_complete(profile: Profile) -> None:
    """Under ``run --strict``: exit 3 for missing answers, 5 for other error-level findings,
    the same judgement as ``lint --strict`` (:func:`icpchat.errors.check_strict`)."""
    check_strict(profile.quality.findings)
