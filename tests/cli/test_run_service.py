"""`services.run_answers`, what `icpchat run` calls, driven in-process with byte streams."""

from __future__ import annotations

import io
import json

import pytest

from icpchat import services
from icpchat.errors import IncompleteProfile, InputError
from tests.conftest import EXAMPLES


def _run(request: services.RunRequest, stdin: bytes = b"") -> tuple[bytes, list[str]]:
    out, said = io.BytesIO(), []
    services.run_answers(
        services.load_settings(llm="none"), request, stdin=io.BytesIO(stdin), stdout=out, say=said.append
    )
    return out.getvalue(), said


def test_stdin_answers_to_stdout_json():
    raw = (EXAMPLES / "brewbox-b2c.yaml").read_bytes()
    out, said = _run(services.RunRequest(answers="-", formats="json"), stdin=raw)
    assert json.loads(out)["business"]["name"]["raw"] == "BrewBox" and said == []


def test_folder_gets_one_file_per_format_and_strict_raises_after_writing(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("business: {name: Acme, model: b2b}\n")
    with pytest.raises(IncompleteProfile, match=r"business\.offering"):
        _run(services.RunRequest(answers=str(answers), out=str(tmp_path / "out"), strict=True))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["acme.json", "acme.md"]


def test_bad_request_fails_before_reading_or_writing(tmp_path):
    with pytest.raises(InputError, match="stdout takes one format"):
        _run(services.RunRequest(answers=str(tmp_path / "never-read.yaml"), formats="md,json"))
    with pytest.raises(InputError, match="not a folder"):
        (tmp_path / "file").write_text("")
        _run(services.RunRequest(answers=str(EXAMPLES / "brewbox-b2c.yaml"), out=str(tmp_path / "file")))
