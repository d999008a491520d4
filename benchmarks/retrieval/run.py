"""Retrieval quality and speed of the knowledge base; writes results.md beside this file.

    python benchmarks/retrieval/run.py                # everything (~5-10 min on 2 cores)
    python benchmarks/retrieval/run.py --synthetic 0  # quality and built-in latency only

Quality (article level: a hit when an expected article is among the first k distinct
articles): hit@1, hit@3 and MRR over questions.yaml and over the held-out holdout.yaml
(written by someone else before tuning) for embeddings alone, a BM25 baseline and the hybrid
the knowledge base uses; guide() over guide.yaml with and without the question-id boost.
The "nothing here answers that" floor: how many unanswerable questions (holdout.yaml's, and
offtopic.yaml's, on which the floor was chosen) are refused, and how many answerable ones
are wrongly refused. Speed: query latency p50/p95 on the built-in base and after ingesting
N synthetic chunks (sentences of the articles recombined), ingest chunks per second, and a
cold `ask` (fresh process: imports, open the index, one query).
Everything runs in a temporary folder; nothing touches your own index.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "src"))

from icpchat.questions import load_catalog  # noqa: E402
from icpchat.retrieval import build_knowledge_base  # noqa: E402
from icpchat.retrieval.bm25 import BM25  # noqa: E402
from icpchat.settings import Settings  # noqa: E402

DEPTH = 60  # candidates looked at when ranking articles for MRR
GUIDE_BEFORE_1_1 = 44  # guide.yaml's entries before the 1.1 question ids were added


NOTES = """
## How to read this

- questions.yaml and guide.yaml were written before anything was measured and have not been
  edited since. The shipped weights (keyword share 0.2, question boost 0.05) were picked
  after a first run; the rows for 0.1 and 0.3 show how little they matter.
- The first run (heavily loaded machine, greedy 900-character splits) gave hit@3 0.912 for
  BM25, 0.912 for embeddings and 0.950 for the hybrid. Sections are now split into pieces of
  similar size (no one-sentence tails, which made poor citations); the figures above are
  with that chunker.
- The first query of a process builds the keyword (BM25) statistics from every stored chunk:
  a few ms for the built-in base, about a second at 10,000 chunks.

## Issue 11: five more articles, merged short sections, the floor (2026-11-23)

- Before (22 articles, chunker 3, 194 chunks): questions.yaml hybrid 0.863 / 0.950 / 0.912
  (hit@1 / hit@3 / MRR), guide.yaml 0.932 / 1.000 / 0.966.
- Sections and split pieces under 30 words are merged into their neighbour (chunker 4). On
  the 22 old articles that changed nothing measurable (69 and 76 of 80 questions at hit@1 and
  hit@3, as before). Adding articles 23-27 cost questions.yaml one hit@1 and two hit@3 and
  guide.yaml one hit@1: the new articles answer some of those questions too (article 24 for
  "how do buyers compare us with competitors?", 23 for business.customers_today, 24 for
  icp.current_solution), against labels written when they did not exist.
- An article's best chunk now gets 0.3 of its second-best chunk's score (SUPPORT_SHARE),
  chosen on questions.yaml and guide.yaml only (0.0-0.5 tried): questions.yaml 0.850 / 0.950 /
  0.900, guide.yaml back to 0.932 / 1.000 / 0.966. questions.yaml's hit@1 stays one question
  below before ("some prospects still do everything in spreadsheets" now finds 24 first).
- The floor (0.36) is the highest, in steps of 0.02, that refuses none of questions.yaml's
  80 answerable questions; offtopic.yaml (16 unanswerable questions written by the same
  engineer before measuring) was the other side. holdout.yaml was only measured, never
  tuned on; but its questions were committed (and read) before articles 23-27 were written,
  so the articles' wording cannot be called blind to it.
- A cosine floor separates questions far from the articles (VAT, DKIM, pitch decks) but not
  founder questions next door to them (pricing pages, sales hiring, commission plans, terms
  of service): those are where holdout.yaml's unanswerable questions get through.

## After the shipped vector cache (2026-11-23, measured by hand before issue 11)

src/icpchat/retrieval/builtin_vectors.npz carries the vectors of the built-in chunks, keyed
by model id and exact embedded text (`python -m icpchat.retrieval.vector_cache` regenerates
it; a test fails when knowledge/ changes without it). On a fresh ICPCHAT_HOME, then: build
of the built-in index 0.2 s; first `icpchat ask` ever 1.6 s (installed wheel, load ~1) and
2.0 s (editable install, load ~2.5); later `icpchat ask` 1.5 s. Single runs with `time`.
"""


def article_order(sources: list[str]) -> list[str]:
    seen: list[str] = []
    for s in sources:
        if s not in seen:
            seen.append(s)
    return seen


def score(rankings: list[list[str]], expected: list[list[str]]) -> dict[str, float]:
    h1 = h3 = rr = 0.0
    for ranked, want in zip(rankings, expected, strict=True):
        ranks = [ranked.index(w) + 1 for w in want if w in ranked]
        best = min(ranks) if ranks else None
        h1 += best == 1
        h3 += best is not None and best <= 3
        rr += 1 / best if best else 0
    n = len(rankings)
    return {"hit@1": h1 / n, "hit@3": h3 / n, "MRR": rr / n}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed_queries(kb, queries: list[str], repeats: int, **kwargs) -> tuple[float, float]:
    samples = []
    for _ in range(repeats):
        for q in queries:
            t = time.perf_counter()
            kb.hits(q, 3, **kwargs)
            samples.append(time.perf_counter() - t)
    return percentiles(samples)


def quality(kb, labelled: list[dict]) -> dict[str, dict[str, float]]:
    questions = [item["q"] for item in labelled]
    expected = [item["expect"] for item in labelled]
    ids, texts, metas = kb.index.documents()
    bm25 = BM25(texts)
    bm25_rank = []
    for q in questions:
        scores = bm25.scores(q)
        order = sorted(range(len(ids)), key=lambda i: -scores[i])
        bm25_rank.append(article_order([metas[i]["source"] for i in order]))
    results = {"BM25 baseline": score(bm25_rank, expected)}
    for label, weight in (
        ("embeddings only", 0.0),
        ("hybrid (shipped, w=0.2)", None),
        ("hybrid w=0.1", 0.1),
        ("hybrid w=0.3", 0.3),
    ):
        ranks = [
            article_order([h.metadata["source"] for h in kb.hits(q, DEPTH, keyword_weight=weight)]) for q in questions
        ]
        results[label] = score(ranks, expected)
    return results


def refusals(kb, questions: list[str], floor: float | None = None) -> int:
    """How many of ``questions`` the knowledge base refuses (nothing clears the floor)."""
    saved = kb.floor
    if floor is not None:
        kb.floor = floor
    try:
        return sum(not kb.answers(q, kb.hits(q, 3)) for q in questions)
    finally:
        kb.floor = saved


def floor_table(kb, sets: dict[str, tuple[list[str], bool]]) -> list[str]:
    """Refusals per question set at the shipped floor and two either side."""
    floors = [kb.floor - 0.05, kb.floor, kb.floor + 0.05]
    head = " | ".join(f"floor {f:.2f}" + (" (shipped)" if f == kb.floor else "") for f in floors)
    lines = [f"| questions | {head} |", "|---|" + "---:|" * len(floors)]
    for label, (questions, answerable) in sets.items():
        cells = []
        for f in floors:
            n = refusals(kb, questions, f)
            cells.append(
                f"{n} of {len(questions)} wrongly refused" if answerable else f"{n} of {len(questions)} refused"
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def per_question(kb, labelled: list[dict]) -> list[str]:
    """Each question's best expected article's rank (hybrid), best similarity, and refusal."""
    lines = ["| question | expected | rank | best similarity (top 3) | refused |", "|---|---|---:|---:|---|"]
    for item in labelled:
        hits = kb.hits(item["q"], DEPTH)
        ranked = article_order([h.metadata["source"] for h in hits])
        ranks = [ranked.index(w) + 1 for w in item.get("expect", []) if w in ranked]
        best = min(ranks) if ranks else None
        sim = max((h.similarity for h in hits[:3]), default=0.0)
        refused = "yes" if not kb.answers(item["q"], hits[:3]) else ""
        want = ", ".join(w.split("-")[0] for w in item.get("expect", [])) or "(none)"
        q = item["q"].replace("|", "/")
        lines.append(f"| {q} | {want} | {best if best else '-'} | {sim:.3f} | {refused} |")
    return lines


def guide_quality(kb, labels: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    from icpchat.retrieval.kb import guide_query

    catalog = load_catalog()
    cases = []
    for qid, want in labels.items():
        section, name = qid.split(".")
        q = catalog.question(section, name)
        cases.append((qid, guide_query(q, q.examples[0]), want))
    results = {}
    saved = kb.question_boost
    for label, weight, boost in (
        ("embeddings only, no boost", 0.0, 0.0),
        ("hybrid, no boost", None, 0.0),
        ("hybrid + boost 0.05 (shipped)", None, 0.05),
        ("hybrid + boost 0.1", None, 0.1),
    ):
        kb.question_boost = boost
        ranks = [
            article_order(
                [h.metadata["source"] for h in kb.hits(query, DEPTH, boost_question=qid, keyword_weight=weight)]
            )
            for qid, query, _ in cases
        ]
        results[label] = score(ranks, [w for _, _, w in cases])
    kb.question_boost = saved
    return results


def synthetic_docs(folder: Path, knowledge: Path, n_chunks: int, seed: int = 7) -> list[Path]:
    """Files of 20 short sections each, sentences drawn at random from the articles."""
    sentences = []
    for path in sorted(knowledge.glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        for line in body.splitlines():
            if line.strip() and not line.startswith("#"):
                sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line.strip("- *")) if len(s) > 30]
    rng = random.Random(seed)
    files = []
    per_file = 20
    for f in range((n_chunks + per_file - 1) // per_file):
        sections = []
        for s in range(min(per_file, n_chunks - f * per_file)):
            sections.append(f"## Note {s + 1}\n\n" + " ".join(rng.sample(sentences, rng.randint(3, 6))))
        path = folder / f"synthetic-{f:04d}.md"
        path.write_text(f"# Field notes {f}\n\n" + "\n\n".join(sections) + "\n", encoding="utf-8")
        files.append(path)
    return files


COLD = """
import sys, time
t0 = time.perf_counter()
from icpchat.settings import Settings
from icpchat.retrieval import build_knowledge_base
kb = build_knowledge_base(Settings(), progress=None)
t1 = time.perf_counter()
hits = kb.search(sys.argv[1], 3)
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {hits[0].source}")
"""


def cold_ask(home: Path, query: str) -> tuple[float, float, float]:
    """Wall time of a fresh process, and its import/open and first-query parts."""
    env = {**os.environ, "ICPCHAT_HOME": str(home), "PYTHONPATH": str(REPO / "src")}
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", COLD, query], env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    setup, first, _ = out.stdout.split()
    return wall, float(setup), float(first)


def import_cost() -> tuple[float, float]:
    """Seconds to import chromadb, then the LangChain retriever adapter on top (fresh process)."""
    code = (
        "import time; t = time.perf_counter(); import chromadb; t1 = time.perf_counter(); "
        "import icpchat.retrieval.lc_retriever; print(t1 - t, time.perf_counter() - t1)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def table(rows: dict[str, dict[str, float]]) -> list[str]:
    lines = ["| ranking | hit@1 | hit@3 | MRR |", "|---|---:|---:|---:|"]
    lines += [f"| {k} | {v['hit@1']:.3f} | {v['hit@3']:.3f} | {v['MRR']:.3f} |" for k, v in rows.items()]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=10_000, help="synthetic chunks for the scale test (0: skip)")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    labelled = yaml.safe_load((HERE / "questions.yaml").read_text(encoding="utf-8"))
    guide_labels = yaml.safe_load((HERE / "guide.yaml").read_text(encoding="utf-8"))
    holdout = yaml.safe_load((HERE / "holdout.yaml").read_text(encoding="utf-8"))
    offtopic = yaml.safe_load((HERE / "offtopic.yaml").read_text(encoding="utf-8"))
    load_before = os.getloadavg()
    report: list[str] = []

    with tempfile.TemporaryDirectory(prefix="icpchat-bench-") as tmp:
        home = Path(tmp) / "home"
        os.environ["ICPCHAT_HOME"] = str(home)
        kb = build_knowledge_base(Settings(), progress=sys.stderr)
        t = time.perf_counter()
        kb.ensure_ready()
        build = time.perf_counter() - t
        n_builtin = kb.status().chunks
        print(f"built-in index: {n_builtin} chunks in {build:.1f} s", file=sys.stderr)

        qual = quality(kb, labelled)
        held = quality(kb, holdout["answerable"])
        guide = guide_quality(kb, dict(list(guide_labels.items())[:GUIDE_BEFORE_1_1]))
        guide_new = guide_quality(kb, dict(list(guide_labels.items())[GUIDE_BEFORE_1_1:]))
        floors = floor_table(
            kb,
            {
                f"questions.yaml, answerable ({len(labelled)})": ([i["q"] for i in labelled], True),
                f"offtopic.yaml, unanswerable ({len(offtopic)}; the floor was chosen on these two)": (
                    [i["q"] for i in offtopic],
                    False,
                ),
                f"holdout.yaml, answerable ({len(holdout['answerable'])})": (
                    [i["q"] for i in holdout["answerable"]],
                    True,
                ),
                f"holdout.yaml, unanswerable ({len(holdout['unanswerable'])})": (
                    [i["q"] for i in holdout["unanswerable"]],
                    False,
                ),
            },
        )
        held_rows = per_question(kb, holdout["answerable"] + holdout["unanswerable"])
        n_articles = kb.status().articles
        queries = [item["q"] for item in labelled]
        kb.hits(queries[0], 3)  # warm: model loaded, keyword index built
        lat_builtin = timed_queries(kb, queries, 3)
        lat_builtin_emb = timed_queries(kb, queries, 3, keyword_weight=0.0)
        kb.close()
        cold = [
            cold_ask(home, q)
            for q in ("how long does it take them to buy?", "who should we not sell to?", "what is a negative persona?")
        ]
        imports = [import_cost() for _ in range(3)]
        first_home = Path(tmp) / "first"
        first_build = cold_ask(first_home, "how long does it take them to buy?")

        scale = None
        if args.synthetic:
            docs = Path(tmp) / "docs"
            docs.mkdir()
            files = synthetic_docs(docs, kb.index.knowledge_dir, args.synthetic)
            kb = build_knowledge_base(Settings(), progress=sys.stderr)
            t = time.perf_counter()
            added = kb.ingest(files)
            ingest_s = time.perf_counter() - t
            n_added = sum(added.values())
            t = time.perf_counter()
            kb.hits(queries[0], 3)
            first_query = time.perf_counter() - t
            scale = {
                "chunks": kb.status().chunks,
                "added": n_added,
                "ingest_s": ingest_s,
                "rate": n_added / ingest_s,
                "first_query_s": first_query,
                "hybrid": timed_queries(kb, queries, 2),
                "emb": timed_queries(kb, queries, 2, keyword_weight=0.0),
            }
            kb.close()
    load_after = os.getloadavg()

    import onnxruntime

    report += [
        "# Retrieval benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python benchmarks/retrieval/run.py"
        f"{' --synthetic ' + str(args.synthetic) if args.synthetic != 10_000 else ''}`; "
        f"nproc {os.cpu_count()}, {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"onnxruntime {onnxruntime.__version__}; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
        "(other work on the machine inflates the timings).",
        "",
        f"Model: all-MiniLM-L6-v2 int8 ONNX, 2 threads. Built-in base: {n_builtin} chunks from {n_articles} articles.",
        "",
        f"## Quality: {len(labelled)} founder questions (questions.yaml), article level",
        "",
        *table(qual),
        "",
        f"## Quality: {len(holdout['answerable'])} held-out founder questions (holdout.yaml), article level",
        "",
        "Written by hand by another author before any tuning (13 aimed at articles 23-27, 2 not in",
        "English); goals hit@1 >= 0.75 and hit@3 >= 0.92.",
        "",
        *table(held),
        "",
        "## The floor: questions nothing in the knowledge base answers",
        "",
        "`ask` (and the chat's /ask) shows no passages when none of the passages it would show is as",
        "similar (cosine) as the floor, except for a question that is clearly not in English (searched",
        "anyway, with a note). Refusals at the shipped floor and 0.05 either side:",
        "",
        *floors,
        "",
        "Per held-out question (hybrid ranking; rank of the best expected article, '-' when not in",
        f"the first {DEPTH} chunks; refused at the shipped floor):",
        "",
        *held_rows,
        "",
        f"## Quality: guide() for {GUIDE_BEFORE_1_1} interview questions (guide.yaml), answer = the question's first example",
        "",
        *table(guide),
        "",
        f"## Quality: guide() for the {len(guide_labels) - GUIDE_BEFORE_1_1} question ids added in question sets 1.1"
        " (guide.yaml's later entries)",
        "",
        *table(guide_new),
        "",
        "## Speed",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| build the built-in index (first use) | {build:.1f} s ({n_builtin / build:.0f} chunks/s) |",
        f"| query p50 / p95, built-in, hybrid (shipped) | {lat_builtin[0]:.1f} / {lat_builtin[1]:.1f} ms |",
        f"| query p50 / p95, built-in, embeddings only | {lat_builtin_emb[0]:.1f} / {lat_builtin_emb[1]:.1f} ms |",
        f"| cold `ask` (fresh process, index built): wall, median of 3 | {statistics.median(c[0] for c in cold):.2f} s |",
        f"| of which imports + open | {statistics.median(c[1] for c in cold):.2f} s |",
        f"| of which first query (model load, keyword index) | {statistics.median(c[2] for c in cold):.2f} s |",
        f"| first `ask` ever (builds the index in that process): wall | {first_build[0]:.1f} s |",
        f"| import chromadb / the LangChain retriever on top (not on the query path) | "
        f"{statistics.median(i[0] for i in imports):.2f} / {statistics.median(i[1] for i in imports):.2f} s |",
    ]
    if scale:
        report += [
            f"| ingest {scale['added']:,} synthetic chunks | {scale['ingest_s']:.0f} s ({scale['rate']:.0f} chunks/s) |",
            f"| first query at {scale['chunks']:,} chunks (builds keyword index) | {scale['first_query_s'] * 1000:.0f} ms |",
            f"| query p50 / p95 at {scale['chunks']:,} chunks, hybrid | {scale['hybrid'][0]:.1f} / {scale['hybrid'][1]:.1f} ms |",
            f"| query p50 / p95 at {scale['chunks']:,} chunks, embeddings only | {scale['emb'][0]:.1f} / {scale['emb'][1]:.1f} ms |",
        ]
    report += [
        "",
        "Latency is `KnowledgeBase.hits(query, 3)` in a warm process: embed the query, Chroma's",
        "30 nearest chunks, BM25 over those candidates, fuse, cap two chunks per article.",
        "Queries go to the Chroma collection directly (its registered embedding function embeds",
        "the query); `KnowledgeBase.as_langchain_retriever()` wraps this same search for LangChain",
        "chains and is kept off this path because importing langchain_core costs the time above.",
        "Targets: hit@3 >= 0.9 and above BM25; p50 < 15 ms built-in, < 50 ms at 10k chunks;",
        "cold ask < 2 s.",
    ]
    report.append(NOTES.rstrip())
    args.out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    main()
