"""Which files a run checks: `.py`, `.pyi` and `.ipynb` under the given paths (SPEC §1, §4;
notebooks unless `include-notebooks = false`).

Honours `.gitignore` files (nested ones too, and those of parent directories up to the
repository root), the configured `exclude`/`extend-exclude` (gitignore syntax, relative
to the configuration file), and a built-in list of tool and virtualenv directories.
Explicitly named files are always checked. Symlinked directories are followed once:
a loop is walked into at most once. The order is stable (sorted).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from linter.config import DEFAULT_EXCLUDE, Config

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

SOURCE_SUFFIXES = (".py", ".pyi")
NOTEBOOK_SUFFIXES = (".ipynb",)


def _spec(lines: list[str]) -> GitIgnoreSpec:
    # pathspec is imported when a pattern is first needed: a run over named files needs none
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines)


@dataclass(frozen=True)
class _Ignore:
    base: Path
    spec: GitIgnoreSpec

    def matches(self, path: Path, is_dir: bool) -> bool:
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return False
        if relative in ("", "."):
            return False
        return self.spec.match_file(relative + "/" if is_dir else relative)


def _read_gitignore(directory: Path) -> _Ignore | None:
    path = directory / ".gitignore"
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return _Ignore(directory, _spec(lines))


def _parent_gitignores(directory: Path) -> list[_Ignore]:
    """The .gitignore files from the repository root down to `directory`'s parent."""
    found: list[_Ignore] = []
    for parent in directory.parents:
        ignore = _read_gitignore(parent)
        if ignore is not None:
            found.append(ignore)
        if (parent / ".git").exists():
            break
    found.reverse()
    return found


class Discovery:
    def __init__(self, config: Config) -> None:
        self._config = config
        self._patterns: tuple[GitIgnoreSpec, list[_Ignore]] | None = None
        self.skipped: list[tuple[str, str]] = []
        self._suffixes = SOURCE_SUFFIXES + (NOTEBOOK_SUFFIXES if config.include_notebooks else ())

    def _excluded(self, path: Path, is_dir: bool, ignores: Iterable[_Ignore]) -> bool:
        if self._patterns is None:  # built on the first directory walked
            config = self._config
            patterns = [*config.exclude, *config.extend_exclude]
            root = Path(config.root).resolve()
            # the built-in excludes apply to a directory's name wherever it is
            self._patterns = (_spec(list(DEFAULT_EXCLUDE)), [_Ignore(root, _spec(patterns))] if patterns else [])
        default, configured = self._patterns
        if default.match_file(path.name + ("/" if is_dir else "")):
            return True
        return any(ignore.matches(path, is_dir) for ignore in (*configured, *ignores))

    def files(self, paths: Iterable[str]) -> list[Path]:
        """The files to check, as absolute paths, sorted and without duplicates."""
        found: dict[str, Path] = {}
        for raw in paths:
            path = Path(raw).absolute()
            if path.is_dir():
                for file in self._walk_root(path):
                    found.setdefault(str(file), file)
            elif path.is_file() or path.exists():
                found.setdefault(str(path), path)  # explicit files are always checked
            else:
                self.skipped.append((raw, "no such file or directory"))
        return sorted(found.values(), key=_sort_key)

    def stream(self, paths: Sequence[str]) -> Iterator[Path]:
        """`files(paths)`, the same files in the same order, found as they are needed: a
        single directory is walked while its first files are already being checked (in
        sorted order, so nothing needs to be collected first); anything else is listed
        at once, so that a missing path is reported before the run starts."""
        if len(paths) == 1:
            path = Path(paths[0]).absolute()
            if path.is_dir():
                return self._walk_root(path)
        return iter(self.files(paths))

    def _walk_root(self, directory: Path) -> Iterator[Path]:
        return self._walk(directory, _parent_gitignores(directory.resolve()), set())

    def _walk(self, directory: Path, ignores: list[_Ignore], visited: set[tuple[int, int]]) -> Iterator[Path]:
        """The files under `directory`, in `_sort_key` order: a directory's entries are
        visited by name, a subdirectory as if its name ended with "/" (as its files' paths
        do), so that the walk yields what sorting every path would."""
        try:
            stat = directory.stat()
        except OSError as exc:
            self.skipped.append((str(directory), exc.strerror or str(exc)))
            return
        identity = (stat.st_dev, stat.st_ino)
        if identity in visited:
            return  # a symlink loop, or a directory reached twice
        visited.add(identity)
        own = _read_gitignore(directory)
        if own is not None:
            ignores = [*ignores, own]
        entries: list[tuple[str, str, bool]] = []  # (sort key, path, is a directory)
        try:
            with os.scandir(directory) as scan:
                for entry in scan:
                    name = entry.name
                    try:
                        if entry.is_dir():  # follows symlinks
                            entries.append((name + "/", entry.path, True))
                        elif _suffix(name) in self._suffixes and entry.is_file():
                            entries.append((name, entry.path, False))
                    except OSError:
                        continue
        except OSError as exc:
            self.skipped.append((str(directory), exc.strerror or str(exc)))
            return
        entries.sort()
        for _, raw, is_dir in entries:
            path = Path(raw)
            if is_dir:
                if not self._excluded(path, True, ignores):
                    yield from self._walk(path, ignores, visited)
            elif not self._excluded(path, False, ignores):
                yield path


def _sort_key(path: Path) -> str:
    return path.as_posix()


def _suffix(name: str) -> str:
    """`Path(name).suffix`, without making a Path of every name in a directory."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def display_path(path: Path) -> str:
    """The path as reports show it: relative to the current directory, with `/` separators."""
    text, cwd = os.fspath(path), os.getcwd()
    if text.startswith(cwd) and text[len(cwd) : len(cwd) + 1] == os.sep and f"{os.sep}.." not in text:
        # the common case, a normalized path under the current directory: no relpath
        # (which normalizes both paths again, for every file of a run)
        relative = text[len(cwd) + 1 :]
    else:
        try:
            relative = os.path.relpath(text, cwd)
        except ValueError:  # another drive on Windows
            relative = text
    if os.sep != "/":
        relative = relative.replace(os.sep, "/")
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        # a file name that is not UTF-8 (its bytes were surrogate-escaped): show the odd
        # bytes as \xNN, which every output can encode
        relative = relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return relative


def per_file_ignored_codes(config: Config, path: Path) -> tuple[str, ...]:
    """The codes `per-file-ignores` turns off for `path`."""
    if not config.per_file_ignores:
        return ()
    try:
        relative = path.resolve().relative_to(Path(config.root).resolve()).as_posix()
    except ValueError:
        relative = display_path(path)
    codes: list[str] = []
    for glob, glob_codes in config.per_file_ignores:
        if _spec([glob]).match_file(relative):
            codes.extend(glob_codes)
    return tuple(codes)
