"""The result cache: a file's FileResult, served again while nothing that shapes it changed.

An entry's key digests everything the analysis of one file is a function of: the file's
bytes (SHA-256), the path it is reported under, the effective configuration
(`Config.fingerprint()`), the enabled rule codes, the ailint version and the Python
version. Entries are JSON, never pickle — a planted cache directory must not be able to
run code — and are checked on the way in: an entry that does not parse, is of another
schema or version, or whose recorded key differs is ignored (and then overwritten).

Each entry is its own file, written to a temporary file in the same directory and moved
into place with `os.replace`, so a killed run leaves either the old entry or the new one,
and concurrent runs can only race to write the same content. Nothing secret goes in:
findings are redacted by the engine before they exist, and an entry whose JSON still
matches a key format is not written at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from linter import __version__
from linter.findings import FileResult

if TYPE_CHECKING:
    from linter.config import Config
    from linter.rules.base import Rule

#: bump when the entry layout or FileResult's meaning changes
SCHEMA = 2
DEFAULT_DIR = ".ailint_cache"


class ResultCache:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._entries = self.directory / f"v{SCHEMA}"
        # entry paths are built as strings and their directories made once: a cold run
        # writes an entry per file, and pathlib objects and mkdir calls added up
        self._prefix = os.path.join(str(self._entries), "")
        self._made: set[str] = set()
        self._ready = False
        self.hits = 0
        self.misses = 0

    @staticmethod
    def run_key(config: "Config") -> str:
        """The part of every key shared by one run's files."""
        python = ".".join(map(str, sys.version_info[:3])) + sys.implementation.name
        # fingerprints are computed relative to the project root, so the root is part of the key
        return "\x1f".join((__version__, python, config.fingerprint(), config.root))

    @staticmethod
    def key(run_key: str, path: str, data: bytes, rules: Sequence[type["Rule"]]) -> str:
        digest = hashlib.sha256()
        for part in (run_key, path, ",".join(sorted(rule.code for rule in rules))):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
        digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()

    def _path(self, key: str) -> str:
        return f"{self._prefix}{key[:2]}{os.sep}{key}.json"

    def get(self, key: str) -> FileResult | None:
        try:
            with open(self._path(key), "rb") as handle:
                entry = json.loads(handle.read())
            if entry.get("schema") != SCHEMA or entry.get("ailint") != __version__ or entry.get("key") != key:
                raise ValueError("foreign entry")
            result = FileResult.from_dict(entry["result"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def _prepare(self) -> None:
        if self._ready:
            return
        self._entries.mkdir(parents=True, exist_ok=True)
        # like other tools' caches: ignored by git, skipped by backup tools
        for name, content in (
            (".gitignore", "# created by ailint\n*\n"),
            ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# ailint result cache\n"),
        ):
            marker = self.directory / name
            if not marker.exists():
                _atomic_write(marker, content.encode())
        self._ready = True

    def put(self, key: str, result: FileResult) -> bool:
        """Store `result`; False (and nothing written) when it cannot be stored faithfully."""
        from linter.knowledge.keys import find_keys

        try:
            payload = result.to_dict()
            text = json.dumps({"schema": SCHEMA, "ailint": __version__, "key": key, "result": payload})
            # served results must equal fresh ones: facts that JSON cannot round-trip
            # (tuples, sets, objects) are not cached; FileResult.to_dict is JSON-native, so
            # a payload that reads back equal reads back as the same FileResult
            if json.loads(text)["result"] != payload:
                return False
        except (TypeError, ValueError):
            return False
        if find_keys(text):  # defence in depth: a key in clear never reaches the disk
            return False
        try:
            self._prepare()
            path = self._path(key)
            directory = os.path.dirname(path)
            if directory not in self._made:
                os.makedirs(directory, exist_ok=True)
                self._made.add(directory)
            _atomic_write(path, text.encode("utf-8", "surrogatepass"))
        except OSError:
            return False  # a read-only or full disk costs speed, not the run
        return True


def _atomic_write(path: "str | Path", data: bytes) -> None:
    """Write to a temporary file beside `path` (named for this process, so concurrent runs
    never share one), then move it into place."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:  # a leftover of a killed run of the same pid
        os.unlink(temporary)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
