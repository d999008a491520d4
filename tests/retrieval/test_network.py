"""Nothing in the retrieval layer reaches the network: no model download, no telemetry."""

from __future__ import annotations

import socket

import pytest

from icpchat.retrieval import build_knowledge_base
from icpchat.settings import Settings


def test_building_and_querying_needs_no_network(small_knowledge, catalog):
    # tests/conftest.py's guard is active: any non-loopback connect raises.
    kb = build_knowledge_base(Settings(), knowledge_dir=small_knowledge, progress=None)
    citations = kb.guide("icp.disqualifiers", catalog.question("icp", "disqualifiers"), "students and hobbyists")
    assert citations[0].source == "09-anti-icp-and-negative-personas.md"
    assert kb.status().up_to_date
    kb.close()


def test_the_guard_is_really_on():
    with pytest.raises(RuntimeError, match="tried to reach the network"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
