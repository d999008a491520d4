"""The country index is kept under ICPCHAT_HOME and read back; a bad cache is rebuilt, never an
error (issue 14: building it read ~160 gettext catalogues, half a second of every score)."""

from __future__ import annotations

import marshal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icpchat.analysis import countries
from icpchat.analysis.matching import _country_key, _country_key_id
from icpchat.analysis.sqltext import WHITESPACE

build_index = countries.country_index.__wrapped__  # the uncached function: reads the disk cache


@pytest.fixture(scope="module")
def reference() -> dict[str, str]:
    return countries._build(_country_key)


def _cache() -> Path:
    path = countries.cache_file(_country_key_id())
    assert path is not None
    return path


def test_first_run_writes_the_cache_and_the_next_reads_it(icpchat_home, reference, monkeypatch):
    assert build_index(_country_key, _country_key_id()) == reference
    path = _cache()
    assert path.is_relative_to(icpchat_home) and marshal.loads(path.read_bytes()) == reference
    monkeypatch.setattr(countries, "_build", lambda key: pytest.fail("rebuilt although cached"))
    assert build_index(_country_key, _country_key_id()) == reference


@pytest.mark.parametrize("damage", [b"", b"not marshal", marshal.dumps([1, 2]), marshal.dumps({"uk": 3}), b"\xe9" * 40])
def test_a_corrupt_cache_is_rebuilt_and_replaced(reference, damage):
    path = _cache()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(damage)
    assert build_index(_country_key, _country_key_id()) == reference
    assert marshal.loads(path.read_bytes()) == reference


def test_an_unwritable_home_still_gives_the_index(icpchat_home, reference):
    (icpchat_home / "data").write_text("a file where the data folder should be")  # even root cannot write
    assert build_index(_country_key, _country_key_id()) == reference
    assert (icpchat_home / "data").read_text() == "a file where the data folder should be"


def test_the_cache_name_follows_pycountry_our_format_and_the_key():
    path = _cache()
    assert path.name.startswith("countries-") and f"-f{countries.FORMAT}-" in path.name
    assert countries.cache_file("other key") != path
    assert build_index(str.lower) == build_index(str.lower)  # no key id: built, never cached


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=200), st.builds(marshal.dumps, st.dictionaries(st.text(), st.text() | st.integers()))
    )
)
def test_reading_any_file_gives_an_index_or_nothing(tmp_path, data):
    path = tmp_path / "c.marshal"
    path.write_bytes(data)
    read = countries._read(path)
    assert read is None or (read and all(isinstance(k, str) and isinstance(v, str) for k, v in read.items()))


def test_whitespace_written_out_is_what_python_takes_for_whitespace():
    computed = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert computed == WHITESPACE


def test_writing_a_file_does_not_load_the_sessions():
    """analyze and score import icpchat.store.atomic; the package's sessions (engine, models)
    cost ~0.2 s and are loaded only when asked for."""
    code = (
        "import sys, icpchat.store.atomic as a; assert 'icpchat.store.sessions' not in sys.modules;"
        "from icpchat.store import SessionStore, atomic_write; assert atomic_write is a.atomic_write;"
        "assert 'icpchat.store.sessions' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
