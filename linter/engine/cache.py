"""The result cache: a file's FileResult, served again while nothing that shapes it changed.

An entry's key digests everything the analysis of one file is a function of: the file's
bytes (SHA-256), the path it is reported under, the effective configuration
(`Config.fingerprint()`), the enabled rule codes, the ailint version and the Python
version. Entries are JSON, never pickle — a planted cache directory must not be able to
run code.

Entries live in segment files, not one file per entry: creating a file costs far more
than writing its bytes (a cold run over 1,235 files spent more time in the kernel creating
entries than in the parent's own work). A run appends nothing to existing segments; it
writes the entries it computed as one new segment (and another every FLUSH_EVERY entries,
so a long run that is killed keeps most of its work), to a temporary file moved into place
with `os.replace`: a killed run leaves whole segments only, and concurrent runs write
segments of their own. A segment is a header line, then one entry per line:

    {"schema": 3, "ailint": "<version>"}
    <key> <unix time last used> <FileResult as JSON>

A segment that cannot be read or has another header is ignored; a line that does not
parse is a miss. Lines are decoded only when their key is asked for. When more than
MAX_SEGMENTS segments have piled up, a run merges them into one, dropping entries that no
run has used for STALE_AFTER_S. Nothing secret goes in: findings are redacted by the
engine before they exist, and an entry whose JSON still matches a key format is not
written at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from linter import __version__
from linter.findings import FileResult

if TYPE_CHECKING:
    from linter.config import Config
    from linter.rules.base import Rule

#: bump when the entry layout or FileResult's meaning changes
SCHEMA = 3
DEFAULT_DIR = ".ailint_cache"
#: entries a run buffers before it writes them as a segment
FLUSH_EVERY = 1000
#: segments that may pile up before a run merges them
MAX_SEGMENTS = 16
#: at a merge, entries no run has used for this long are dropped
STALE_AFTER_S = 7 * 24 * 3600
_SUFFIX = ".seg"


class ResultCache:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._entries = self.directory / f"v{SCHEMA}"
        self._header = json.dumps({"schema": SCHEMA, "ailint": __version__}).encode()
        #: key -> (time last used, the entry's JSON), from the segments on disk; loaded on first use
        self._loaded: dict[str, tuple[int, bytes]] | None = None
        self._segments: list[Path] = []
        #: entries this run computed, not yet written: key -> JSON text
        self._new: dict[str, str] = {}
        #: keys this run was served (kept, as used now, when segments are merged)
        self._used: set[str] = set()
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

    # ------------------------------------------------------------------ reading
    def _load(self) -> dict[str, tuple[int, bytes]]:
        if self._loaded is not None:
            return self._loaded
        loaded: dict[str, tuple[int, bytes]] = {}
        try:
            names = sorted(n for n in os.listdir(self._entries) if n.endswith(_SUFFIX))
        except OSError:
            names = []
        for name in names:  # sorted by time written: a later segment's entry wins
            path = self._entries / name
            try:
                data = path.read_bytes()
            except OSError:
                continue  # merged away by a concurrent run
            header, _, body = data.partition(b"\n")
            if header != self._header:
                continue  # another schema or version, or not a segment at all
            self._segments.append(path)
            for line in body.split(b"\n"):
                key, _, rest = line.partition(b" ")
                stamp, _, entry = rest.partition(b" ")
                if len(key) == 64 and stamp.isdigit() and entry:
                    loaded[key.decode("ascii", "replace")] = (int(stamp), entry)
        self._loaded = loaded
        return loaded

    def get(self, key: str) -> FileResult | None:
        found = self._load().get(key)
        try:
            if found is None:
                raise KeyError(key)
            result = FileResult.from_dict(json.loads(found[1]))
        except (ValueError, KeyError, TypeError, AttributeError):
            self.misses += 1
            return None
        self._used.add(key)
        self.hits += 1
        return result

    # ------------------------------------------------------------------ writing
    def put(self, key: str, result: FileResult) -> bool:
        """Store `result` (written at the next flush); False when it cannot be stored faithfully."""
        from linter.knowledge.keys import find_keys

        try:
            payload = result.to_dict()
            text = json.dumps(payload, separators=(",", ":"))
            # served results must equal fresh ones: facts that JSON cannot round-trip
            # (tuples, sets, objects) are not cached; FileResult.to_dict is JSON-native, so
            # a payload that reads back equal reads back as the same FileResult
            if json.loads(text) != payload:
                return False
        except (TypeError, ValueError):
            return False
        if find_keys(text):  # defence in depth: a key in clear never reaches the disk
            return False
        # one entry per line: JSON escapes every newline inside strings, and ensure_ascii
        # (the default) every other line break
        self._new[key] = text
        if len(self._new) >= FLUSH_EVERY:
            self.flush()
        return True

    def flush(self) -> None:
        """Write the entries computed since the last flush as one segment; merge the segments
        when too many have piled up. A read-only or full disk costs speed, not the run."""
        try:
            merge = self._new and len(self._segments) + 1 > MAX_SEGMENTS
            if not self._new:
                return
            self._prepare()
            now = int(time.time())
            lines = [self._header]
            if merge:
                loaded = self._load()
                for key, (stamp, entry) in loaded.items():
                    if key in self._new:
                        continue
                    if key in self._used:
                        stamp = now
                    elif now - stamp > STALE_AFTER_S:
                        continue
                    lines.append(f"{key} {stamp} ".encode() + entry)
            lines.extend(f"{key} {now} {text}".encode("utf-8", "surrogatepass") for key, text in self._new.items())
            # named by time, so that reading in name order lets the newest entry win
            name = f"{time.time_ns():020d}-{os.getpid()}{_SUFFIX}"
            _atomic_write(self._entries / name, b"\n".join(lines) + b"\n")
            self._new.clear()
            if merge:
                for old in self._segments:
                    try:
                        old.unlink()
                    except OSError:
                        pass  # a concurrent run merged it first
                self._segments = [self._entries / name]
            else:
                self._segments.append(self._entries / name)
        except OSError:
            self._new.clear()

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
