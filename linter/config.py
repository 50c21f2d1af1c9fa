"""Configuration: `[tool.ailint]` in pyproject.toml, or the same keys in ailint.toml (SPEC §4).

Keys use dashes. Unknown keys and wrong types are errors that name the key and the file
and suggest the closest valid key.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from linter.errors import UserError


def _toml() -> Any:
    """The TOML reader, imported when a file is read: a worker that only unpickles a Config
    (engine/head_start.py) never needs it."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib


class ConfigError(UserError):
    """A configuration problem the user must fix; the message names the key and the file."""


DEFAULT_EXCLUDE = (
    ".git/",
    ".hg/",
    ".svn/",
    ".bzr/",
    ".tox/",
    ".nox/",
    ".venv/",
    "venv/",
    ".direnv/",
    ".eggs/",
    "*.egg-info/",
    ".mypy_cache/",
    ".pytest_cache/",
    ".ruff_cache/",
    ".ailint_cache/",
    "__pycache__/",
    "__pypackages__/",
    "node_modules/",
    "site-packages/",
    "_build/",
    "buck-out/",
    "dist/",
)

DEFAULT_ALLOWED_INSECURE_HOSTS = ("localhost", "127.0.0.0/8", "::1", "0.0.0.0", "*.localhost")


@dataclass(frozen=True)
class PiiConfig:
    extend_names: tuple[str, ...] = ()
    sanitizers: tuple[str, ...] = ()


@dataclass(frozen=True)
class TransportConfig:
    allowed_insecure_hosts: tuple[str, ...] = DEFAULT_ALLOWED_INSECURE_HOSTS


@dataclass(frozen=True)
class RateLimitConfig:
    extend_decorators: tuple[str, ...] = ()


@dataclass(frozen=True)
class AiConfig:
    extend_clients: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetentionConfig:
    require_explicit_store: bool = False


@dataclass(frozen=True)
class Config:
    """The effective configuration. Frozen and picklable: it travels to worker processes."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    baseline: str | None = None
    #: discover `.ipynb` files (explicitly named notebooks are always checked)
    include_notebooks: bool = True
    #: where the result cache lives (relative to `root`); not part of the fingerprint
    cache_dir: str = ".ailint_cache"
    #: seconds one file may take before it is reported as AIL000 "analysis timed out"
    file_timeout: float = 30.0
    pii: PiiConfig = field(default_factory=PiiConfig)
    transport: TransportConfig = field(default_factory=TransportConfig)
    rate_limit: RateLimitConfig = field(default_factory=RateLimitConfig)
    ai: AiConfig = field(default_factory=AiConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    #: the file the configuration was read from, and the directory paths in it are relative to
    source: str | None = None
    root: str = "."

    def fingerprint(self) -> str:
        """A stable digest of everything that changes analysis results (for the cache)."""
        from linter.findings import stable_hash

        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_FINGERPRINTED}
        return stable_hash(repr(sorted(values.items())))


#: settings that change where or how long ailint works, not what it reports
_NOT_FINGERPRINTED = ("source", "root", "cache_dir", "file_timeout")

# key -> (type description, checker, converter)
_LIST = "a list of strings"


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


_SECTIONS: dict[str, dict[str, str]] = {
    "pii": {"extend-names": _LIST, "sanitizers": _LIST},
    "transport": {"allowed-insecure-hosts": _LIST},
    "rate-limit": {"extend-decorators": _LIST},
    "ai": {"extend-clients": _LIST},
    "retention": {"require-explicit-store": "a boolean"},
}
_TOP: dict[str, str] = {
    "select": _LIST,
    "extend-select": _LIST,
    "ignore": _LIST,
    "exclude": _LIST,
    "extend-exclude": _LIST,
    "per-file-ignores": "a table of glob = [codes]",
    "baseline": "a string",
    "include-notebooks": "a boolean",
    "cache-dir": "a string",
    "file-timeout": "a positive number",
}


def _suggest(key: str, options: list[str]) -> str:
    import difflib  # only for a mistyped key

    close = difflib.get_close_matches(key, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_type(value: Any, kind: str) -> bool:
    if kind == _LIST:
        return _is_str_list(value)
    if kind == "a boolean":
        return isinstance(value, bool)
    if kind == "a positive number":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
    if kind == "a string":
        return isinstance(value, str)
    if kind.startswith("a table"):
        return isinstance(value, dict) and all(isinstance(k, str) and _is_str_list(v) for k, v in value.items())
    return False


def _validate(table: dict[str, Any], schema: dict[str, str], where: str, path: Path) -> None:
    for key, value in table.items():
        if key in _SECTIONS and schema is _TOP:
            continue
        if key not in schema:
            options = list(schema) + (list(_SECTIONS) if schema is _TOP else [])
            raise ConfigError(f"{path}: unknown key {where}{key!r}{_suggest(key, options)}")
        if not _check_type(value, schema[key]):
            raise ConfigError(f"{path}: {where}{key!r} must be {schema[key]}, not {type(value).__name__}")


def config_from_table(table: dict[str, Any], path: Path) -> Config:
    """Validate a `[tool.ailint]` table and build the Config."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.ailint] must be a table")
    _validate(table, _TOP, "", path)
    sections: dict[str, Any] = {}
    for name, schema in _SECTIONS.items():
        section = table.get(name, {})
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: {name!r} must be a table ([tool.ailint.{name}])")
        _validate(section, schema, f"{name}.", path)
        sections[name] = section

    def strings(key: str, source: dict[str, Any] = table) -> tuple[str, ...]:
        return tuple(source.get(key, ()))

    transport = sections["transport"]
    return Config(
        select=tuple(table["select"]) if "select" in table else None,
        extend_select=strings("extend-select"),
        ignore=strings("ignore"),
        exclude=strings("exclude"),
        extend_exclude=strings("extend-exclude"),
        per_file_ignores=tuple(
            (glob, tuple(codes)) for glob, codes in sorted(table.get("per-file-ignores", {}).items())
        ),
        baseline=table.get("baseline"),
        include_notebooks=table.get("include-notebooks", True),
        cache_dir=table.get("cache-dir", ".ailint_cache"),
        file_timeout=float(table.get("file-timeout", 30.0)),
        pii=PiiConfig(strings("extend-names", sections["pii"]), strings("sanitizers", sections["pii"])),
        transport=TransportConfig(
            tuple(transport["allowed-insecure-hosts"])
            if "allowed-insecure-hosts" in transport
            else DEFAULT_ALLOWED_INSECURE_HOSTS
        ),
        rate_limit=RateLimitConfig(strings("extend-decorators", sections["rate-limit"])),
        ai=AiConfig(strings("extend-clients", sections["ai"])),
        retention=RetentionConfig(bool(sections["retention"].get("require-explicit-store", False))),
        source=str(path),
        root=str(path.parent),
    )


def load_config_file(path: Path) -> Config:
    tomllib = _toml()
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = document.get("tool", {}).get("ailint")
        if table is None:
            return Config(source=None, root=str(path.parent))
    else:
        table = document
    return config_from_table(table, path)


def find_config_file(start: Path) -> Path | None:
    """The nearest ailint.toml, or pyproject.toml with a [tool.ailint] table, at or above `start`."""
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        candidate = folder / "ailint.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            tomllib = _toml()
            try:
                with open(candidate, "rb") as handle:
                    document = tomllib.load(handle)
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if isinstance(document.get("tool"), dict) and "ailint" in document["tool"]:
                return candidate
    return None


def load_config(explicit: str | None, first_path: str | None) -> Config:
    """The configuration for a run: `--config FILE`, else the nearest file, else defaults."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: configuration file not found")
        return load_config_file(path)
    found = find_config_file(Path(first_path or "."))
    if found is None:
        return Config(root=str(Path(".").resolve()))
    return load_config_file(found)
