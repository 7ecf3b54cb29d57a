"""One settings object: command-line options > environment variables > defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

# The repository the package runs from: graph_data/, ontology/ and queries/ live here.
REPOSITORY = Path(__file__).resolve().parents[2]


def _default_sources() -> Path | None:
    candidate = REPOSITORY.parent / "shared" / "sources"
    return candidate if candidate.is_dir() else None


@dataclass
class Settings:
    backend: str = "embedded"  # PNETKG_BACKEND: embedded | remote
    data_dir: Path = REPOSITORY / "data"  # PNETKG_DATA_DIR: the embedded store
    endpoint: str | None = None  # PNETKG_ENDPOINT: remote query URL
    update_endpoint: str | None = None  # PNETKG_UPDATE_ENDPOINT: remote update URL
    user: str | None = None  # PNETKG_USER
    password: str | None = None  # PNETKG_PASSWORD
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


def _convert(name: str, raw: Any) -> Any:
    if name in ("data_dir", "out_dir", "sources", "repository"):
        return Path(raw)
    if name in ("port", "workers"):
        value = int(raw)
        if value < 0:
            raise ValueError(f"{name} must not be negative")
        return value
    if name == "query_timeout":
        value = float(raw)
        if value <= 0:
            raise ValueError("query_timeout must be positive")
        return value
    return raw
