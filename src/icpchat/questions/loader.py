"""Load prompts/<section>.yaml into a validated :class:`Catalog`.

A broken file fails with its path, the key path of the bad question and the problem, so
someone editing a question set sees at once what to fix.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from icpchat import paths
from icpchat.domain.models import SECTION_MODELS
from icpchat.errors import InputError
from icpchat.questions.models import Catalog, QuestionSet

SECTION_ORDER = ("business", "icp", "persona", "negative_persona")


def load_question_set(path: Path) -> QuestionSet:
    try:
        # libyaml's loader when present: ten times faster, and this runs at every start.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read question set: {exc}", file=str(path)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=str(path)) from None
    try:
        qset = QuestionSet.model_validate(data)
    except ValidationError as exc:
        raise InputError.from_validation(exc, file=str(path), data=data) from None
    fields = set(SECTION_MODELS[qset.section].model_fields)
    for i, q in enumerate(qset.questions):
        if q.id not in fields:
            raise InputError(
                f"unknown question id {q.id!r} for section {qset.section}; "
                f"the profile has: {', '.join(sorted(fields))}",
                file=str(path),
                key=f"questions[{i}].id",
            )
    return qset


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load every section's question set from ``directory`` (default: the bundled prompts)."""
    return _load_catalog(directory or paths.prompts_dir())


@lru_cache(maxsize=4)
def _load_catalog(directory: Path) -> Catalog:
    sets = []
    for section in SECTION_ORDER:
        path = directory / f"{section}.yaml"
        if not path.is_file():
            raise InputError("question set file is missing", file=str(path))
        qset = load_question_set(path)
        if qset.section != section:
            raise InputError(f"expected section {section!r}, found {qset.section!r}", file=str(path), key="section")
        sets.append(qset)
    catalog = Catalog(sets=tuple(sets))
    for qset in catalog.sets:
        for q in qset.questions:
            for kind, ref in (
                ("condition.field", q.condition.field if q.condition else None),
                ("starts_from", q.starts_from),
            ):
                if ref is not None:
                    _check_reference(catalog, ref, directory / f"{qset.section}.yaml", f"{q.id}.{kind}")
    return catalog


def _check_reference(catalog: Catalog, ref: str, file: Path, key: str) -> None:
    """A question's condition or starting point names a question of the catalogue."""
    sec, qid = ref.split(".")
    try:
        catalog.question(sec, qid)
    except KeyError:
        what = "condition" if key.endswith("condition.field") else "starting point"
        raise InputError(f"{what} refers to unknown question {ref!r}", file=str(file), key=key) from None
