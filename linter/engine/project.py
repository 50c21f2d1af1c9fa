"""The project phase's model: modules, the cross-module call graph, and which request
handlers reach an AI request with no rate limit (AIL401).

It reads only facts (JSON data from each file's analysis, possibly from a cache), never a
tree. One naming convention holds across the engine's facts: a function *defined* in a file
is named relative to its module (`ask`, `Bot.think`, `create_app.index`) — the file's path
names the module — and a name *referenced* (a callee, an import, a router) is the absolute,
import-resolved dotted name (`app.llm.ask`; relative imports already made absolute by the
AI-call model; the route tracker's receivers and imports may still be relative, `.deps.router`,
and are resolved here against the importer). The facts it reads, per file:

  "calls":             {function: [absolute callee names]}               (AI-call model)
  "ai_functions":      {function: "the AI call it makes"} (or a list)    (AI-call model)
  "handlers", "global_limiters", "limited_receivers", "limited_functions", "imports"
                                                                           (engine/routes.py)

Modules are named from paths (`src/app/llm.py` is `src.app.llm`, `app.llm` and `llm`), so
`from app.llm import ask` resolves whatever directory the run started in; relative imports
resolve against the importer's package; a name re-exported by a package `__init__`
(`from .client import ask`) is followed.

A single-file run (pre-commit, an editor) has only its own files' facts; `project_facts`
completes them cheaply from the rest of the project — see README "Architecture".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linter.config import Config
    from linter.engine.cache import ResultCache
    from linter.findings import FileResult

Facts = Mapping[str, Any]
Node = tuple[str, str]  # (path, module-relative function name)

#: how far a handler's calls are followed
MAX_HOPS = 12
MAX_VISITED = 20000


def module_parts(path: str) -> tuple[str, ...]:
    """`src/app/llm.py` -> ("src", "app", "llm"); a package's `__init__.py` is the package."""
    parts = [p for p in path.replace("\\", "/").split("/") if p and p != "."]
    if not parts:
        return ()
    last = parts[-1]
    for suffix in (".pyi", ".py"):
        if last.endswith(suffix):
            last = last[: -len(suffix)]
            break
    parts[-1] = last
    if parts[-1] == "__init__":
        parts.pop()
    return tuple(p for p in parts if p != "..")


def calls_of(facts: Facts) -> dict[str, list[str]]:
    """The "calls" fact as {function: [callee]} (also accepts a list of [caller, callee] pairs)."""
    raw = facts.get("calls") or {}
    if isinstance(raw, Mapping):
        return {str(k): [str(c) for c in v] for k, v in raw.items() if isinstance(v, (list, tuple))}
    calls: dict[str, list[str]] = {}
    for pair in raw:
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            calls.setdefault(str(pair[0]), []).append(str(pair[1]))
    return calls


def ai_functions_of(facts: Facts) -> dict[str, str]:
    """The "ai_functions" fact as {function: label of the AI call} (a list gives a generic label)."""
    raw = facts.get("ai_functions") or {}
    if isinstance(raw, Mapping):
        return {str(k): str(v or "an AI request") for k, v in raw.items()}
    result: dict[str, str] = {}
    for item in raw:
        if isinstance(item, str):
            result[item] = "an AI request"
        elif isinstance(item, Mapping) and "name" in item:
            result[str(item["name"])] = str(item.get("call") or "an AI request")
    return result


@dataclass(frozen=True)
class Verdict:
    """A handler that reaches an AI request, and what (if anything) limits it."""

    path: str
    handler: str
    #: the functions from the handler to the one making the request, as display names
    chain: tuple[str, ...]
    #: the AI call made at the end of the chain
    ai_call: str
    #: what limits it (a global limiter, its router, ...), None when nothing does
    covered_by: str | None


class ProjectIndex:
    """Every known file's facts, with module and function lookups."""

    def __init__(self, facts_by_path: Mapping[str, Facts]) -> None:
        self.facts = dict(facts_by_path)
        self._suffixes: dict[tuple[str, ...], list[str]] = {}
        self._parts: dict[str, tuple[str, ...]] = {}
        for path in sorted(self.facts):
            parts = module_parts(path)
            self._parts[path] = parts
            for start in range(len(parts)):
                self._suffixes.setdefault(parts[start:], []).append(path)
        self._calls = {path: calls_of(f) for path, f in self.facts.items()}
        self._ai = {path: ai_functions_of(f) for path, f in self.facts.items()}
        self._functions: dict[str, set[str]] = {}
        for path, f in self.facts.items():
            names = set(self._calls[path]) | set(self._ai[path]) | set(f.get("limited_functions") or {})
            names |= {h["name"] for h in f.get("handlers") or () if isinstance(h, Mapping) and "name" in h}
            self._functions[path] = names

    # --- modules -----------------------------------------------------------------------
    def module_name(self, path: str) -> str:
        """The shortest unambiguous dotted name of a file's module (at least two parts)."""
        parts = self._parts.get(path) or module_parts(path)
        for size in range(min(2, len(parts)), len(parts) + 1):
            suffix = parts[len(parts) - size :]
            if len(self._suffixes.get(suffix, ())) <= 1:
                return ".".join(suffix)
        return ".".join(parts)

    def _best(self, candidates: list[str], importer: str) -> str:
        importer_parts = self._parts.get(importer) or module_parts(importer)

        def closeness(path: str) -> tuple[int, int, str]:
            parts = self._parts[path]
            common = 0
            for a, b in zip(parts, importer_parts):
                if a != b:
                    break
                common += 1
            return (-common, len(parts), path)

        return min(candidates, key=closeness)

    def absolute(self, importer: str, name: str) -> list[str] | None:
        """`.llm.ask` in `app/routes/chat.py` -> [..., "app", "routes", "llm", "ask"]."""
        if not name.startswith("."):
            return name.split(".")
        dots = len(name) - len(name.lstrip("."))
        parts = list(self._parts.get(importer) or module_parts(importer))
        package = parts if importer.replace("\\", "/").endswith("__init__.py") else parts[:-1]
        up = dots - 1
        if up > len(package):
            return None
        base = package[: len(package) - up] if up else package
        rest = name[dots:]
        return base + (rest.split(".") if rest else [])

    def _module_split(self, parts: list[str], importer: str) -> Iterable[tuple[str, str]]:
        """(path, remaining dotted name) for each module prefix of `parts`, longest first."""
        for k in range(len(parts) - 1, 0, -1):
            candidates = self._suffixes.get(tuple(parts[:k]))
            if candidates:
                yield self._best(candidates, importer), ".".join(parts[k:])

    # --- functions ----------------------------------------------------------------------
    def resolve(self, path: str, caller: str, name: str, _depth: int = 0) -> Node | None:
        """The project function a call of `name` in `caller` (of `path`) reaches, if any."""
        functions = self._functions.get(path, set())
        if not name or _depth > 4:
            return None
        if name.startswith(("self.", "cls.")):
            owner = caller.rsplit(".", 1)[0] if "." in caller else ""
            candidate = f"{owner}.{name.split('.', 1)[1]}" if owner else ""
            return (path, candidate) if candidate in functions else None
        if not name.startswith("."):
            scope = caller.split(".") if caller and caller != "<module>" else []
            while scope:
                candidate = ".".join([*scope, name])
                if candidate in functions:
                    return path, candidate
                scope.pop()
            if name in functions:
                return path, name
        parts = self.absolute(path, name)
        if not parts:
            return None
        for module, rest in self._module_split(parts, path):
            defined = self._functions.get(module, set())
            if rest in defined:
                return module, rest
            if f"{rest}.__init__" in defined:  # instantiating a class runs its __init__
                return module, f"{rest}.__init__"
            head, _, tail = rest.partition(".")
            reexport = (self.facts[module].get("imports") or {}).get(head)
            if reexport:
                target = f"{reexport}.{tail}" if tail else reexport
                found = self.resolve(module, "<module>", target, _depth + 1)
                if found:
                    return found
        return None

    def resolve_symbol(self, path: str, name: str) -> Node | None:
        """A module-level name (a router, a blueprint): (path of its module, name)."""
        if not name:
            return None
        if "." not in name.lstrip(".") and not name.startswith("."):
            return path, name
        parts = self.absolute(path, name)
        if not parts:
            return None
        for module, rest in self._module_split(parts, path):
            return module, rest
        return None

    def ai_label(self, node: Node) -> str | None:
        return self._ai.get(node[0], {}).get(node[1])

    def is_limited(self, node: Node) -> str | None:
        limited = self.facts.get(node[0], {}).get("limited_functions") or {}
        return limited.get(node[1])

    def reach_ai(self, start: Node) -> list[Node] | None:
        """The shortest call chain from `start` to a function making an AI request, that no
        rate-limited function interrupts; None when there is none."""
        if self.ai_label(start):
            return [start]
        parent: dict[Node, Node | None] = {start: None}
        queue: deque[tuple[Node, int]] = deque([(start, 0)])
        while queue and len(parent) < MAX_VISITED:
            node, hops = queue.popleft()
            if hops >= MAX_HOPS:
                continue
            for callee in self._calls.get(node[0], {}).get(node[1], ()):
                target = self.resolve(node[0], node[1], callee)
                if target is None or target in parent or self.is_limited(target):
                    continue
                parent[target] = node
                if self.ai_label(target):
                    chain = [target]
                    while parent[chain[-1]] is not None:
                        chain.append(parent[chain[-1]])  # type: ignore[arg-type]
                    return list(reversed(chain))
                queue.append((target, hops + 1))
        return None

    def display(self, node: Node, home: str) -> str:
        return node[1] if node[0] == home else f"{self.module_name(node[0])}.{node[1]}"

    # --- AIL401 -------------------------------------------------------------------------
    def global_limiters(self) -> list[tuple[str, Mapping[str, Any]]]:
        found = []
        for path in sorted(self.facts):
            for limiter in self.facts[path].get("global_limiters") or ():
                found.append((path, limiter))
        return found

    def limited_receivers(self) -> dict[Node, str]:
        limited: dict[Node, str] = {}
        for path in sorted(self.facts):
            for entry in self.facts[path].get("limited_receivers") or ():
                node = self.resolve_symbol(path, str(entry.get("name", "")))
                if node is not None:
                    limited.setdefault(node, f"{entry.get('what')} on `{entry.get('name')}`")
        return limited

    def verdicts(self, paths: Iterable[str] | None = None) -> dict[Node, Verdict]:
        """For each handler (of `paths`, default all) with no local limit that reaches an AI
        request: the chain, and what covers it globally (None when nothing does)."""
        globals_ = self.global_limiters()
        receivers = self.limited_receivers()
        results: dict[Node, Verdict] = {}
        for path in sorted(paths if paths is not None else self.facts):
            for handler in self.facts.get(path, {}).get("handlers") or ():
                if handler.get("limited_by"):
                    continue
                start = (path, str(handler["name"]))
                chain = self.reach_ai(start)
                if chain is None:
                    continue
                covered = None
                receiver = handler.get("receiver")
                if receiver:
                    covered = receivers.get(self.resolve_symbol(path, receiver) or ("", ""))
                if covered is None and not handler.get("exempt"):
                    for where, limiter in globals_:
                        if limiter.get("applies_to", "all") == "drf" and not handler.get("drf"):
                            continue
                        covered = f"{limiter.get('what')} in {where}"
                        break
                results[start] = Verdict(
                    path,
                    start[1],
                    tuple(self.display(node, path) for node in chain),
                    self.ai_label(chain[-1]) or "an AI request",
                    covered,
                )
        return results


# --- completing a partial run's facts ------------------------------------------------------


def project_root(results: Iterable["FileResult"], config: "Config") -> Path | None:
    """Where the project of a run lives: the configuration's directory; without one, the
    directory above the outermost package holding the first analyzed file. A loose script
    outside any package, with no configuration, is a project of its own (None)."""
    if config.source:
        return Path(config.root)
    for result in results:
        path = Path(result.path)
        if not path.is_file():
            continue
        directory = path.resolve().parent
        if not (directory / "__init__.py").is_file():
            return None
        while (directory / "__init__.py").is_file() and directory.parent != directory:
            directory = directory.parent
        return directory
    return None


_PROJECT_MARKERS = ("ailint.toml", "pyproject.toml")


def _in_nested_project(path: Path, root: Path, cache: dict[Path, bool]) -> bool:
    """Whether a directory between `root` and `path` holds its own project configuration."""
    flags = []
    for directory in path.parents:
        if directory == root or root not in directory.parents:
            break
        if directory not in cache:
            cache[directory] = any((directory / marker).is_file() for marker in _PROJECT_MARKERS)
        flags.append(cache[directory])
    return any(flags)


def _referenced_modules(
    index: ProjectIndex, all_facts: Mapping[str, Facts], paths: Iterable[str]
) -> set[tuple[str, ...]]:
    """Module prefixes named by the calls, imports and routers of `paths`' facts."""
    wanted: set[tuple[str, ...]] = set()
    for path in paths:
        facts = all_facts.get(path, {})
        names: list[str] = [c for callees in calls_of(facts).values() for c in callees]
        names += list((facts.get("imports") or {}).values())
        names += [str(e.get("name", "")) for e in facts.get("limited_receivers") or ()]
        for name in names:
            if "." not in name:
                continue
            parts = index.absolute(path, name)
            if parts:
                for k in range(len(parts) - 1, 0, -1):
                    wanted.add(tuple(parts[:k]))
    return wanted


def project_facts(
    results: list["FileResult"], config: "Config", complete: bool = True, cache: "ResultCache | None" = None
) -> dict[str, Facts]:
    """Every file's facts by path; with `complete`, the facts a handler's calls may need are
    added — for project files the run did not analyze (a single-file run) and for the run's
    files whose tree the pre-filter did not walk — analyzed for facts only, and only those
    that can matter:

    - files whose text may configure a global limiter (a substring scan, no parse), and
    - files the call graph reaches from the files that define handlers: modules named by
      the loaded facts' calls, imports and routers, followed until nothing new is named.

    Every project file is in the result (with empty facts when it was not needed), so that
    module names resolve and display the same way as when every file is analyzed.
    """
    from linter.discovery import Discovery, display_path
    from linter.engine.runner import Target, analyze_all, read_target
    from linter.knowledge.web import GLOBAL_LIMITER_TRIGGERS

    facts: dict[str, Facts] = {r.path: r.facts for r in results if not r.skip_file}
    if not complete:
        return facts
    # the run's Python files whose facts the pre-filter left incomplete (not unparseable ones:
    # analyzing them again would find nothing more)
    incomplete = {
        r.path for r in results
        if not r.skip_file and not r.facts_complete and r.not_analyzed is None and r.path.endswith((".py", ".pyi"))
    }
    others: dict[str, Path] = {}
    root = project_root(results, config)
    if root is not None:
        try:
            files = Discovery(config).files([str(root)])
        except OSError:
            files = []
        root = root.resolve()
        nested: dict[Path, bool] = {}
        others = {
            display_path(f): f
            for f in files
            if f.suffix in (".py", ".pyi") and not _in_nested_project(f.resolve(), root, nested)
        }
        others = {d: f for d, f in others.items() if d not in facts or d in incomplete}
    for display in incomplete:
        others.setdefault(display, Path(display))
    if not others:
        return facts
    triggers = tuple(t.encode() for t in GLOBAL_LIMITER_TRIGGERS)
    pending: set[str] = set()
    for display, path in others.items():
        data, _ = read_target(Target(display, path))
        if data is not None and any(t in data for t in triggers):
            pending.add(display)
    for display in others:
        facts.setdefault(display, {})
    suffix_index = ProjectIndex({d: {} for d in facts})
    frontier = [path for path, f in facts.items() if f.get("handlers")]
    loaded: set[str] = set()
    while True:
        for module in _referenced_modules(suffix_index, facts, frontier):
            for candidate in suffix_index._suffixes.get(module, ()):
                if candidate in others and candidate not in loaded:
                    pending.add(candidate)
        pending -= loaded
        if not pending:
            return facts
        batch = sorted(pending)
        loaded.update(batch)
        pending.clear()
        for result in analyze_all([Target(d, others[d]) for d in batch], config, (), cache=cache):
            facts[result.path] = result.facts
        frontier = batch
