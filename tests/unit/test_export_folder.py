"""`/export FMT PATH` in the chat: a folder that does not exist yet is created, not written
as a file named like the folder (issue 12, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from icpchat import services


@pytest.fixture
def conv(icpchat_home):
    c = services.build_conversation(services.load_settings(depth="quick"), "t")
    c.submit("Acme")
    yield c
    c.close()


def _export(conv, arg: str) -> str:
    reply = conv.submit(f"/export {arg}")[0]
    assert reply.kind == "info", reply.text
    return reply.text


@pytest.mark.parametrize("spelling", ["reports/", "reports", "reports/q3/"])
def test_a_missing_folder_is_created_and_the_draft_written_inside(conv, tmp_path: Path, spelling: str) -> None:
    folder = tmp_path / spelling
    said = _export(conv, f"md {tmp_path}/{spelling}")
    assert folder.is_dir()
    assert "# Acme" in (folder / "acme.md").read_text(encoding="utf-8")
    assert "acme.md" in said


def test_a_file_name_with_an_extension_is_the_file(conv, tmp_path: Path) -> None:
    _export(conv, f"md {tmp_path / 'drafts' / 'notes.txt'}")
    assert (tmp_path / "drafts" / "notes.txt").is_file()


def test_an_existing_file_without_extension_is_replaced(conv, tmp_path: Path) -> None:
    (tmp_path / "README").write_text("old", encoding="utf-8")
    _export(conv, f"md {tmp_path / 'README'}")
    assert "# Acme" in (tmp_path / "README").read_text(encoding="utf-8")


def test_an_existing_folder_gets_the_named_file(conv, tmp_path: Path) -> None:
    _export(conv, f"json {tmp_path}")
    assert (tmp_path / "acme.json").is_file()
