"""One settings object: command-line options > environment variables > defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping


def _default_repository() -> Path:
    """The folder holding graph_data/, ontology/ and queries/: the source checkout the package runs from,
    or else the working directory (an installed package; PNETKG_REPOSITORY names another)."""
    checkout = Path(__file__).resolve().parents[2]
    return checkout if (checkout / "graph_data").is_dir() else Path.cwd()


REPOSITORY = _default_repository()


def _default_sources() -> Path | None:
    candidate = REPOSITORY.parent / "shared" / "sources"
    return candidate if candidate.is_dir() else None


class SettingsError(Exception):
    """An option or environment variable has a value the service cannot run with."""


@dataclass
class Settings:
    backend: str = "embedded"  # PNETKG_BACKEND: embedded | remote
    data_dir: Path = REPOSITORY / "data"  # PNETKG_DATA_DIR: the embedded store
    endpoint: str | None = None  # PNETKG_ENDPOINT: remote query URL
    update_endpoint: str | None = None  # PNETKG_UPDATE_ENDPOINT: remote update URL
    user: str | None = None  # PNETKG_USER
    password: str | None = None  # PNETKG_PASSWORD
    auth: str = "basic"  # PNETKG_AUTH: how the remote server wants the user and password sent: basic | digest
    query_timeout: float = 30.0  # PNETKG_QUERY_TIMEOUT: seconds per query
    workers: int = 4  # PNETKG_WORKERS: queries evaluated at once, each in its own evaluator process
    service_allow: str = ""  # PNETKG_SERVICE_ALLOW: endpoints SERVICE may call, comma-separated
    admin_token: str | None = None  # PNETKG_ADMIN_TOKEN: enables SPARQL Update and Graph Store writes for its bearer
    host: str = "127.0.0.1"  # PNETKG_HOST
    port: int = 8080  # PNETKG_PORT
    out_dir: Path = REPOSITORY / "dumps"  # PNETKG_OUT_DIR: where the build writes its dumps
    sources: Path | None = field(default_factory=_default_sources)  # PNETKG_SOURCES
    repository: Path = REPOSITORY

    @classmethod
    def load(cls, options: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> "Settings":
        """Settings from options (None = not given), then PNETKG_* variables, then defaults."""
        environ = os.environ if environ is None else environ
        options = options or {}
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = options.get(f.name)
            if raw is None:
                raw = environ.get(f"PNETKG_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _convert(f.name, raw)
        return cls(**values)

    def __post_init__(self) -> None:
        """Checked once, here: every layer may rely on the values."""
        if self.backend not in ("embedded", "remote"):
            raise SettingsError(f"{_option('backend')}: {self.backend!r} is not embedded or remote")
        if self.auth not in ("basic", "digest"):
            raise SettingsError(f"{_option('auth')}: {self.auth!r} is not basic or digest (Virtuoso uses digest)")
        if self.workers < 1:
            raise SettingsError(f"{_option('workers')}: at least one query evaluator is needed, not {self.workers}")
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"{_option('port')}: {self.port} is not a TCP port")
        if not self.query_timeout > 0:
            raise SettingsError(
                f"{_option('query_timeout')}: the time limit must be positive, not {self.query_timeout:g}"
            )


def _convert(name: str, raw: Any) -> Any:
    """The option's value in its field's type; SettingsError naming the option when it is none."""
    try:
        if name in ("data_dir", "out_dir", "sources", "repository"):
            return Path(raw)
        if name in ("port", "workers"):
            return int(raw)
        if name == "query_timeout":
            return float(raw)
    except (TypeError, ValueError):
        raise SettingsError(f"{_option(name)}: {raw!r} is not a number") from None
    return raw


def _option(name: str) -> str:
    return f"--{name.replace('_', '-')} (PNETKG_{name.upper()})"
