"""The factory, the lazy Guide, settings and the import boundary of icpchat.retrieval."""

from __future__ import annotations

import socket

import pytest

from icpchat import paths
from icpchat.errors import InputError
from icpchat.retrieval import (
    KnowledgeBaseUnavailable,
    build_guide,
    build_knowledge_base,
)
from icpchat.retrieval.base import parse_chroma_url
from icpchat.settings import Settings
from tests.support import modules_loaded_by


def test_importing_the_package_loads_nothing_heavy():
    heavy = ("chromadb", "langchain_core", "langchain_chroma", "langchain_text_splitters", "onnxruntime", "tokenizers")
    assert modules_loaded_by("import icpchat.retrieval, icpchat.retrieval.kb, icpchat.retrieval.index", heavy) == []


def test_factory_defaults_to_the_data_dir_and_settings(icpchat_home):
    kb = build_knowledge_base(Settings(guidance_k=5), progress=None)
    assert kb.index.index_dir == paths.index_dir()
    assert kb.index.knowledge_dir == paths.knowledge_dir()
    assert kb.index.chroma_url is None
    assert kb.guidance_k == 5
    assert not paths.index_dir().exists()  # nothing is built or created until first use


def test_factory_builds_on_first_search_with_a_given_knowledge_dir(small_knowledge, capsys):
    kb = build_knowledge_base(Settings(), knowledge_dir=small_knowledge)
    assert kb.search("average deal size", 1)[0].source == "07-budget-deal-size-sales-cycle.md"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("icpchat: indexed 17 of 17 knowledge chunks (2 articles)")
    assert (paths.index_dir() / "chroma").is_dir()
    kb.close()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8123", ("127.0.0.1", 8123, False)),
        ("https://chroma.example.com", ("chroma.example.com", 8000, True)),
        ("http://localhost:9000/", ("localhost", 9000, False)),
    ],
)
def test_chroma_url_is_parsed(url, expected):
    assert parse_chroma_url(url) == expected


@pytest.mark.parametrize("url", ["ftp://host:1", "localhost:8000", "http://host:port"])
def test_bad_chroma_url_is_an_input_error(url):
    with pytest.raises(InputError) as info:
        parse_chroma_url(url)
    assert info.value.key == "chroma_url"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_is_reported_and_the_guide_degrades_to_no_tips(catalog, monkeypatch):
    url = f"http://127.0.0.1:{_closed_port()}"
    kb = build_knowledge_base(Settings(chroma_url=url), progress=None)
    with pytest.raises(KnowledgeBaseUnavailable, match=url):
        kb.search("budget", 3)
    assert "cannot use the Chroma server" in kb.status().reason

    errors = []
    guide = build_guide(Settings(chroma_url=url), on_error=errors.append, progress=None)
    question = catalog.question("icp", "budget")
    assert guide("icp.budget", question, "") == []
    assert guide("icp.budget", question, "") == []
    assert len(errors) == 1 and isinstance(errors[0], KnowledgeBaseUnavailable)
