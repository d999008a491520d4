"""Evidence benchmark: `icpchat evidence` on a held-out labelled set (issue 15a).

Builds the profile from answers.yaml (as `icpchat run` does), reads every file of notes/,
finds the evidence offline, and scores what was attached against labels.yaml:

- precision of attached supporting quotes: of the quotes attached as ``supports`` to an
  (answer item, utterance) pair that the labels judge, the share labelled ``supports``
  (goal >= 0.8). Attachments the labels do not cover are counted apart: unjudged, not wrong.
- recall of contradictions: of the pairs labelled ``contradicts``, the share attached as
  ``contradicts`` (goal >= 0.6).

A label and an attachment are the same pair when they name the same field, the same item, and
the same utterance (the labelled quote is a substring of the utterance the attachment came from).
Writes results.md beside this script. Run: python benchmarks/evidence/run.py
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return f"load average {os.getloadavg()}"


def _profile():  # type: ignore[no-untyped-def]
    from icpchat import services

    runner = services.build_runner(services.load_settings(llm="none"))
    data = yaml.safe_load((HERE / "answers.yaml").read_text(encoding="utf-8"))
    return runner.run(data, "answers.yaml")


def _utterance_of(label: dict, utterances: list) -> str | None:  # type: ignore[type-arg]
    """The location of the utterance holding the labelled quote."""
    quote = " ".join(label["quote"].split())
    for u in utterances:
        if u.source == label["source"] and quote in " ".join(u.text.split()):
            return str(u.location)
    return None


def main() -> int:
    from icpchat.evidence import read_all
    from icpchat.evidence.match import find_evidence
    from icpchat.retrieval.embeddings import shared_embedder

    labels = yaml.safe_load((HERE / "labels.yaml").read_text(encoding="utf-8"))
    profile = _profile()
    os.chdir(HERE)  # sources are named notes/<file>, as the labels name them
    notes = sorted(str(p.relative_to(HERE)) for p in (HERE / "notes").iterdir())
    t0 = time.perf_counter()
    utterances = read_all(notes)
    t_read = time.perf_counter() - t0
    embedder = shared_embedder()
    t0 = time.perf_counter()
    embedder.embed(["warm up"])
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    outcome = find_evidence(profile, utterances, embedder)
    t_find = time.perf_counter() - t0

    attached: dict[tuple[str, str, str, str], str] = {}
    for field, answer in outcome.fields.items():
        for e in answer.evidence:
            item = e.item if e.item is not None else answer.text()
            attached[(field, item, e.source, e.location)] = e.stance.value

    judged: dict[tuple[str, str, str, str], str] = {}
    unplaced = []
    for label in labels:
        where = _utterance_of(label, utterances)
        if where is None:
            unplaced.append(label)
            continue
        judged[(label["field"], label["item"], label["source"], where)] = label["stance"]

    counts = Counter(label["stance"] for label in labels)
    sup_attached = [k for k, v in attached.items() if v == "supports"]
    sup_judged = [k for k in sup_attached if k in judged]
    sup_right = [k for k in sup_judged if judged[k] == "supports"]
    con_labels = [k for k, v in judged.items() if v == "contradicts"]
    con_found = [k for k in con_labels if attached.get(k) == "contradicts"]
    con_attached = [k for k, v in attached.items() if v == "contradicts"]
    con_judged = [k for k in con_attached if k in judged]
    sup_labels = [k for k, v in judged.items() if v == "supports"]
    sup_found = [k for k in sup_labels if attached.get(k) == "supports"]
    neither_attached = [k for k, v in judged.items() if v == "neither" and k in attached]

    def ratio(a: int, b: int) -> str:
        return f"{a}/{b} = {a / b:.2f}" if b else f"{a}/0"

    confusion = Counter((judged[k], v) for k, v in attached.items() if k in judged)
    lines = [
        "# Evidence benchmark results",
        "",
        f"Held-out set: {len(labels)} labelled pairs ({counts['supports']} supports, "
        f"{counts['contradicts']} contradicts, {counts['neither']} neither) over {len(notes)} sources; "
        f"{len(unplaced)} labels whose quote was not found in any utterance as read.",
        f"Read {len(utterances)} utterances, weighed {outcome.sentences} customer sentences, "
        f"{sum(len(a.evidence) for a in outcome.fields.values())} quotes attached "
        f"({len(sup_attached)} supports, {len(con_attached)} contradicts).",
        "",
        "| measure | value | goal |",
        "| --- | --- | --- |",
        f"| precision of attached supporting quotes (judged by the labels) | {ratio(len(sup_right), len(sup_judged))} | >= 0.8 |",
        f"| recall of contradictions | {ratio(len(con_found), len(con_labels))} | >= 0.6 |",
        f"| recall of supports | {ratio(len(sup_found), len(sup_labels))} | |",
        f"| precision of attached contradictions (judged) | {ratio(sum(judged[k] == 'contradicts' for k in con_judged), len(con_judged))} | |",
        f"| 'neither' pairs attached (should be none) | {len(neither_attached)} of {counts['neither']} | 0 |",
        f"| attachments the labels do not judge | {len(attached) - sum(1 for k in attached if k in judged)} | |",
        "",
        "Labelled stance -> attached stance (judged attachments): "
        + ", ".join(f"{a} -> {b}: {n}" for (a, b), n in sorted(confusion.items())),
        "",
        f"Timing (offline, {platform.python_version()}, {os.cpu_count()} cores): reading the notes "
        f"{t_read * 1000:.0f} ms, loading the embedding model {t_load * 1000:.0f} ms, finding the evidence "
        f"{t_find * 1000:.0f} ms. `{_uptime()}`",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if "--no-write" not in sys.argv:
        (HERE / "results.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
