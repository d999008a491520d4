"""Where icpchat keeps its files: functions over platformdirs, overridable by ICPCHAT_HOME.

Nothing here runs at import time; every function reads the environment when called, so
tests can point ICPCHAT_HOME at a temporary folder.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP_NAME = "icpchat"


def home_override() -> Path | None:
    value = os.environ.get("ICPCHAT_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Sessions, the knowledge index and other state."""
    override = home_override()
    if override is not None:
        return override / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    override = home_override()
    if override is not None:
        return override / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def index_dir() -> Path:
    return data_dir() / "index"


def _bundled(name: str) -> Path:
    """A data folder shipped with the package (wheel) or, in a source checkout, the repo root's."""
    packaged = Path(str(resources.files("icpchat"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def prompts_dir() -> Path:
    return _bundled("prompts")


def knowledge_dir() -> Path:
    return _bundled("knowledge")
