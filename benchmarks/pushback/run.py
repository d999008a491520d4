"""How well the pushback critic separates vague from specific answers; writes results.txt beside this file.

    python benchmarks/pushback/run.py                 # tune and holdout, per field and overall
    python benchmarks/pushback/run.py --split tune    # only the split you may tune on
    python benchmarks/pushback/run.py --show-misses   # list tune misses (never holdout ones)

Each labelled answer (labelled.yaml, see README.md) is read the way the interview reads it
(``engine.parse.parse_answer`` for its question kind) and judged by ``quality.check_answer``;
it counts as flagged when a finding would make the interview ask its follow-up probe. An answer
the parser refuses (a range question with no number, more numbers than a range) is judged as
the text it is, the way a session saved before that refusal is judged; the refusals are
counted separately, because the interview already pushes back on them before the critic runs.

Recall is flagged vague answers over vague answers; the false-positive rate (FP) is flagged
specific answers over specific answers. The goal (issue 10) is judged on holdout:
recall >= 0.80 and FP <= 0.08. Misses are only ever printed for the tune split.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "src"))

from icpchat.domain.models import Answer, Finding, entity_path  # noqa: E402
from icpchat.engine.parse import parse_answer  # noqa: E402
from icpchat.errors import IcpchatError  # noqa: E402
from icpchat.quality import RULES, check_answer  # noqa: E402
from icpchat.questions import load_catalog  # noqa: E402
from icpchat.questions.models import Catalog, Question  # noqa: E402

GOAL_RECALL = 0.80
GOAL_FP = 0.08

NOTES = """
## How to read this

- Before the critic (the rules of commit edaf477, measured with this script): tune recall 0.12
  (15/128), FP 0.09 (11/129); holdout recall 0.10 (9/86), FP 0.08 (7/86). Worst then: 31 of
  39 fields caught no vague answer on tune, and every specific revenue band was flagged (tune
  5/5, holdout 3/3: the 5x limit), as were most specific company sizes (tune 3/5, holdout 3/3).
- Lexicons and thresholds were written against the tune split, the question examples and the
  knowledge articles, plus hand-written answers of the author's own (none from holdout). The
  holdout figures above were run once, when the critic was done, and nothing was tuned after.
  Disclosure: looking at the file's layout at the start, its first screen showed four holdout
  answers (p002, p004, p007, p009, all icp.name). None went into a lexicon, but p007 was in
  mind when the universal-word restriction was set at two named things, and p004 when a
  two-thing minimum for labels was tried (and dropped: it flagged plain labels in the tests).
- Tune is at 1.00 / 0.00 by construction (it is what the lexicons were fitted on); holdout is
  the estimate. Its misses cluster in objections (0/3: first-person objections pass as the
  buyer's words), channels (0/2) and disqualifiers (1/3), and in German (9/14) and French (3/5)
  phrasing the lexicons do not know yet.
- A semantic second opinion (MiniLM, nearest labelled tune answers, leave-one-out on tune) was
  measured and not built: k=1 over all fields reached recall 0.92 with FP 0.23, per field
  recall 0.62 with FP 0.50, against the rules' 1.00 / 0.00 on the same split; combined either
  way it could only add false positives or lose recall. It would also cost ~1.4 s to load
  (onnxruntime and the model) and ~17 ms per answer.
- Cost: the first answer of a process loads the five lexicon files (YAML and the word index;
  the figure above); then a judgement takes about 0.1 ms, and a repeated one (completeness
  re-judges every answer on each turn) is a cache hit. Measured on a shared two-core machine
  under load (load average 4-5), so the figures are upper bounds.
"""


@dataclass(frozen=True)
class Judged:
    entry: dict[str, Any]
    flagged: bool
    refused: bool
    """The parser refused the text (the interview asks again before the critic runs)."""
    findings: tuple[Finding, ...]
    seconds: float


def _answer(question: Question, text: str, key: str) -> tuple[Answer, bool]:
    try:
        return parse_answer(question, text, key), False
    except IcpchatError:
        return Answer(raw=text, value=text), True


def judge(catalog: Catalog, entries: Iterable[dict[str, Any]]) -> list[Judged]:
    out = []
    for e in entries:
        section, qid = e["field"].split(".")
        question = catalog.question(section, qid)
        key = entity_path(section, 0, qid)
        answer, refused = _answer(question, e["answer"], key)
        start = time.perf_counter()
        findings = check_answer(question, answer, key)
        seconds = time.perf_counter() - start
        flagged = any(RULES[f.rule].followup for f in findings)
        out.append(Judged(e, flagged, refused, tuple(findings), seconds))
    return out


def warm_up(catalog: Catalog) -> float:
    """Judge the question examples (not in the set, so no timed answer is a cache hit); return
    how long the first one took: the lexicons load then."""
    examples = [
        {"field": f"{s.section}.{q.id}", "answer": ex} for s in catalog.sets for q in s.questions for ex in q.examples
    ]
    return judge(catalog, examples)[0].seconds


@dataclass
class Score:
    vague: int = 0
    caught: int = 0
    specific: int = 0
    false_pos: int = 0

    def add(self, j: Judged) -> None:
        if j.entry["label"] == "vague":
            self.vague += 1
            self.caught += j.flagged
        else:
            self.specific += 1
            self.false_pos += j.flagged

    @property
    def recall(self) -> float | None:
        return self.caught / self.vague if self.vague else None

    @property
    def fp_rate(self) -> float | None:
        return self.false_pos / self.specific if self.specific else None


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.2f}"


def score_by(judged: list[Judged], key: Callable[[Judged], str]) -> dict[str, Score]:
    scores: dict[str, Score] = defaultdict(Score)
    for j in judged:
        scores[key(j)].add(j)
    return dict(sorted(scores.items()))


def report_split(name: str, judged: list[Judged]) -> list[str]:
    overall = Score()
    for j in judged:
        overall.add(j)
    met = (overall.recall or 0) >= GOAL_RECALL and (overall.fp_rate or 0) <= GOAL_FP
    lines = [
        f"## {name}: {len(judged)} answers",
        "",
        f"overall  recall on vague {_fmt(overall.recall)} ({overall.caught}/{overall.vague})  "
        f"FP on specific {_fmt(overall.fp_rate)} ({overall.false_pos}/{overall.specific})  "
        f"goal (recall >= {GOAL_RECALL}, FP <= {GOAL_FP}): {'met' if met else 'not met'}",
        "",
        "by language",
    ]
    for lang, s in score_by(judged, lambda j: j.entry["lang"]).items():
        lines.append(
            f"  {lang:<4} recall {_fmt(s.recall)} ({s.caught}/{s.vague})  FP {_fmt(s.fp_rate)} ({s.false_pos}/{s.specific})"
        )
    lines += ["", f"  {'field':<30} {'recall':>14} {'FP':>12}"]
    for field, s in score_by(judged, lambda j: j.entry["field"]).items():
        lines.append(
            f"  {field:<30} {_fmt(s.recall):>6} ({s.caught:>2}/{s.vague:>2}) {_fmt(s.fp_rate):>5} ({s.false_pos}/{s.specific})"
        )
    refused = [j for j in judged if j.refused]
    refused_specific = sum(j.entry["label"] == "specific" for j in refused)
    lines += [
        "",
        f"refused by the parser before the critic runs: {len(refused)} "
        f"({len(refused) - refused_specific} vague, {refused_specific} specific)",
        "",
    ]
    return lines


def timing(judged: list[Judged], first: float) -> list[str]:
    times = sorted(j.seconds for j in judged)
    p95 = times[int(0.95 * (len(times) - 1))]
    return [
        "## cost per answer (check_answer alone)",
        "",
        f"first answer of the process (loads the lexicons): {first * 1e3:.0f} ms",
        f"then, each answer judged once: mean {statistics.mean(times) * 1e6:.0f} µs, "
        f"median {statistics.median(times) * 1e6:.0f} µs, p95 {p95 * 1e6:.0f} µs, max {times[-1] * 1e6:.0f} µs "
        f"over {len(times)} answers",
        "",
    ]


def misses(judged: list[Judged]) -> list[str]:
    lines = ["## tune misses", ""]
    for j in judged:
        e = j.entry
        if j.flagged != (e["label"] == "vague"):
            what = "missed vague" if e["label"] == "vague" else "flagged specific"
            rules = ",".join(f.rule for f in j.findings) or "-"
            lines.append(f"  {e['id']} {e['field']:<28} {what:<16} [{rules}] {e['answer']!r}")
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["tune", "holdout", "both"], default="both")
    parser.add_argument("--show-misses", action="store_true", help="list the tune split's misses")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write results.txt")
    args = parser.parse_args(argv)

    entries = yaml.safe_load((HERE / "labelled.yaml").read_text(encoding="utf-8"))
    catalog = load_catalog()
    splits = ["tune", "holdout"] if args.split == "both" else [args.split]
    first = warm_up(catalog)
    lines = [
        "# Pushback benchmark (benchmarks/pushback/run.py)",
        "",
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} · Python {platform.python_version()} · "
        f"{platform.machine()}",
        "",
    ]
    all_judged: list[Judged] = []
    for split in splits:
        judged = judge(catalog, [e for e in entries if e["split"] == split])
        all_judged += judged
        lines += report_split(split, judged)
        if split == "tune" and args.show_misses:
            lines += misses(judged)
    lines += timing(all_judged, first)
    if args.split == "both":
        lines += NOTES.strip("\n").splitlines()
    text = "\n".join(lines)
    print(text)
    if args.split == "both" and not args.no_write and not args.show_misses:
        (HERE / "results.txt").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
