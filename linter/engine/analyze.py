"""The analysis of one file: a pure function of (bytes, path, configuration, rules).

    read bytes -> decode (PEP 263) -> raw-text pass (text rules, also on unparseable files)
               -> libcst parse -> one walk: engine trackers first, then every rule
               -> finish() -> positions for reported nodes only -> FileResult

It imports nothing from the file and runs none of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import re

from linter.engine.libcst_loader import cst

from linter.knowledge.ai_sdks import AI_REQUEST_TRIGGER, REQUEST_TRIGGER, may_request_ai, may_send_plain_request
from linter.engine.context import FileContext
from linter.engine.source import DecodeError, SourceText, decode_source, is_notebook, string_literals
from linter.knowledge.credentials import may_use_credential
from linter.findings import FileResult, Finding, fingerprint_path, stable_hash
from linter.rules.base import LiteralTrigger
from linter.suppressions import parse_suppressions

if TYPE_CHECKING:
    from linter.config import Config
    from linter.rules.base import Rule

#: files larger than this are not parsed (the raw-text scan still runs)
MAX_PARSE_BYTES = 5 * 1024 * 1024


def _not_analyzed(
    path: str, reason: str, line: int = 1, column: int = 1, source_line: str = "", root: str | None = None
) -> Finding:
    from linter.rules.file_not_analyzed import FileNotAnalyzed

    return Finding(
        code=FileNotAnalyzed.code,
        name=FileNotAnalyzed.name,
        severity=FileNotAnalyzed.severity,
        path=path,
        line=line,
        column=column,
        end_line=line,
        end_column=column,
        message=f"file not analyzed: {reason}",
        fingerprint=stable_hash(FileNotAnalyzed.code, fingerprint_path(path, root)),
        source_line=source_line,
        statement_end_line=line,
    )


def not_analyzed_result(
    path: str, rule_classes: Sequence[type["Rule"]], reason: str, root: str | None = None
) -> FileResult:
    """The result for a file the engine gave up on before or outside the analysis proper."""
    result = FileResult(path=path, not_analyzed=reason)
    if any(rule.code == "AIL000" for rule in rule_classes):
        result.findings.append(_not_analyzed(path, reason, root=root))
    return result


def internal_error_result(path: str, rule_classes: Sequence[type["Rule"]], exc: BaseException) -> FileResult:
    """A bug in ailint or a rule on this file: an AIL000 that says so; the run goes on."""
    where = ""
    tb = exc.__traceback__
    while tb is not None:  # the innermost frame inside ailint names the culprit
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module.startswith("linter."):
            where = f" in {module}"
        tb = tb.tb_next
    return not_analyzed_result(path, rule_classes, f"internal error{where}: {type(exc).__name__} (please report it)")


def _syntax_error(source: SourceText, exc: cst.ParserSyntaxError) -> tuple[str, int, int]:
    """(reason, line, column) of a syntax error.

    libcst's native parser locates errors loosely; CPython's compiler (run only on this
    failure path, and only to parse) says precisely where and what.
    """
    try:
        source.python_tree()
    except SyntaxError as error:
        line = max(1, error.lineno or 1)
        column = max(1, error.offset or 1)
        # the offset counts from the start of the logical line, which a backslash
        # continuation may have begun on an earlier physical line
        before = (error.text or "")[: column - 1]
        if "\n" in before:
            column = len(before) - before.rfind("\n")
        return f"syntax error: {error.msg}", line, column
    except (RecursionError, MemoryError, ValueError):
        pass
    message = str(exc.message).splitlines()[0] if exc.message else "invalid syntax"
    return f"syntax libcst cannot parse: {message}", max(1, exc.raw_line), exc.raw_column + 1


def parse_module(text: str) -> cst.Module:
    """libcst's parse, without re-validating the nodes the parser builds.

    Every node's constructor runs `_validate`, which guards trees built by hand; the parser's
    output is valid by construction (libcst's own source says validation would better move
    out of the parse), and the checks cost about a sixth of a parse. Validation is switched
    off for the duration of the parse only — the engine and its fixes build nodes later,
    validated as usual — and only where libcst still validates in `__post_init__`.
    `tests/test_properties.py` checks that the trees, and the errors, are the same.
    """
    node_class = cst.CSTNode
    validate = node_class.__dict__.get("__post_init__")
    if validate is None:
        return cst.parse_module(text)
    node_class.__post_init__ = _no_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        node_class.__post_init__ = validate  # type: ignore[method-assign]


def _no_validation(self: cst.CSTNode) -> None:
    pass


def needs_tree(rule_class: type["Rule"]) -> bool:
    """Whether a rule reads the tree (visitor methods or `finish`), not only the raw text."""
    cached = _NEEDS_TREE.get(rule_class)
    if cached is None:
        cached = hasattr(rule_class, "finish") or any(
            name.startswith(("visit_", "leave_")) for name in dir(rule_class)
        )
        _NEEDS_TREE[rule_class] = cached
    return cached


_NEEDS_TREE: dict[type, bool] = {}


def text_tests(text: str, extend_clients: Sequence[str] = (), path: str = "") -> Callable[[object], bool]:
    """The pre-filter's test of one trigger against `text` (the file at `path`), each trigger
    evaluated at most once per file however many rules share it — and shared with the engine
    and rules that ask the same question of the text later (`FileContext.text_test`).

    A string trigger is matched ignoring case (a superset of case-sensitive matching, so a
    trigger declared in one case is never too narrow because of it); a compiled regular
    expression is searched as it is; a callable is asked `trigger(path, text, lowered_text)`;
    a `LiteralTrigger` matches here as its `text` does (`gate_on_literals` does the rest).
    The trigger `AI_REQUEST_TRIGGER` stands for "the file may make an AI request the AI-call
    model recognizes" (`ai_sdks.may_request_ai`, with the configured `extend-clients`), and
    `REQUEST_TRIGGER` for "the model may find any request or endpoint in it", plain HTTP
    included (`ai_sdks.may_send_request`).
    """
    verdicts: dict[object, bool] = {}
    lowered_text: list[str] = []

    def lowered() -> str:
        if not lowered_text:
            lowered_text.append(text.lower())
        return lowered_text[0]

    def matches(trigger: object) -> bool:
        verdict = verdicts.get(trigger)
        if verdict is None:
            if trigger == AI_REQUEST_TRIGGER:
                verdict = may_request_ai(text, lowered(), tuple(extend_clients))
            elif trigger == REQUEST_TRIGGER:  # `may_send_request`, sharing the AI verdict
                verdict = matches(AI_REQUEST_TRIGGER) or may_send_plain_request(text)
            elif isinstance(trigger, str):
                verdict = trigger.lower() in lowered()
            elif isinstance(trigger, re.Pattern):
                verdict = trigger.search(text) is not None
            elif isinstance(trigger, LiteralTrigger):  # its first stage (`gate_on_literals`)
                verdict = matches(trigger.text)
            else:
                verdict = bool(trigger(path, text, lowered()))  # type: ignore[operator]
            verdicts[trigger] = verdict
        return verdict

    return matches


def triggered(
    rule_classes: Sequence[type["Rule"]], text: str, extend_clients: Sequence[str] = (), path: str = "",
    matches: Callable[[object], bool] | None = None,
) -> list[type["Rule"]]:
    """The pre-filter: the rules that can possibly fire on `text` (the file at `path`).

    Every one of a rule's `requires` must match, and one of its `triggers` (a rule with no
    `triggers` needs none); `text_tests` says how a trigger matches.
    """
    if matches is None:
        matches = text_tests(text, extend_clients, path)
    return [
        rule_class
        for rule_class in rule_classes
        if all(matches(t) for t in getattr(rule_class, "requires", ()))
        and (not getattr(rule_class, "triggers", ()) or any(matches(t) for t in rule_class.triggers))
    ]


def gate_on_literals(
    rule_classes: Sequence[type["Rule"]], matches: Callable[[object], bool], source: SourceText
) -> Sequence[type["Rule"]]:
    """The pre-filter's second stage: `rule_classes` without the rules that would have the
    file parsed only through `LiteralTrigger`s whose literal test none of the file's string
    literals passes (CPython's parse, `string_literals`). The literals are read only where
    that decides whether the file is parsed: where every rule left that reads the tree is
    such a rule, and CPython parses the file (where it does not, libcst decides, as ever).
    """
    gated: dict[type["Rule"], list[LiteralTrigger]] = {}
    for rule_class in rule_classes:
        if rule_class.code == "AIL000" or not needs_tree(rule_class):
            continue
        matched = [t for t in getattr(rule_class, "triggers", ()) if matches(t)]
        if not matched or not all(isinstance(t, LiteralTrigger) for t in matched):
            return rule_classes  # the file is parsed for this rule anyway
        gated[rule_class] = matched
    if not gated:
        return rule_classes
    try:
        tree = source.python_tree()
    except Exception:
        return rule_classes
    tests = {trigger.literal for triggers in gated.values() for trigger in triggers}
    for value in string_literals(tree):
        if value is None or any(test(value) for test in tests):
            return rule_classes
    return [rule_class for rule_class in rule_classes if rule_class not in gated]


#: a line this long marks a file as possibly pathological (minified, generated, hostile)
LONG_LINE = 1000

#: CPython's parser rejects these before libcst's would crash or crawl on them
_NESTING_MESSAGES = ("too many nested", "too many levels of indentation", "too complex", "too many statically nested")


def python_parse_check(text: str | SourceText) -> tuple[bool, str | None]:
    """CPython's own parser, AST only (about a tenth of a libcst parse): (parses, nesting_reason).

    It runs before every libcst parse, for two reasons. Code nested deeper than CPython
    itself accepts makes libcst's native parser overflow its stack (a crash) or take
    minutes; CPython rejects it in microseconds, so that becomes AIL000 at once
    (`nesting_reason`). And files the pre-filter leaves unparsed still have their syntax
    errors reported: only a failure here leads to the libcst parse that decides (the
    two parsers differ at the edges, e.g. syntax newer than the running Python).
    """
    source = text if isinstance(text, SourceText) else SourceText(text)
    try:
        source.python_tree()
    except (RecursionError, MemoryError):
        return False, "code nested too deeply to parse"
    except SyntaxError as error:
        message = str(error.msg)
        if any(part in message for part in _NESTING_MESSAGES):
            return False, f"code nested too deeply to parse ({message})"
        return False, None
    except (ValueError, OverflowError):
        return False, None
    return True, None


def _run_text_rules(ctx: FileContext, rules: Sequence["Rule"]) -> None:
    for rule in rules:
        check_text = getattr(rule, "check_text", None)
        if check_text is not None:
            check_text()


#: the text pre-filter can be turned off (for the test that proves it changes nothing)
PREFILTER = True

#: the engine trackers a rule may `use`, each with the trackers it reads itself
TRACKER_NEEDS: dict[str, tuple[str, ...]] = {
    "dataflow": (),
    "routes": (),
    "fanout": ("routes",),
    "logs": ("dataflow", "routes"),
}


def needed_trackers(rule_classes: Sequence[type["Rule"]]) -> set[str]:
    """The trackers the rules use, with the trackers those read."""
    needed: set[str] = set()
    pending = [name for rule_class in rule_classes for name in getattr(rule_class, "uses", ())]
    while pending:
        name = pending.pop()
        if name not in needed:
            needed.add(name)
            pending.extend(TRACKER_NEEDS[name])
    return needed


def load_tree_engine() -> None:
    """Import now what the first file with a tree would: libcst, the trackers and the walker
    (a worker does it before it asks for work, while its parent is still reading files)."""
    from linter.engine import ai_calls, credentials, dataflow, fanout, libcst_loader, logs, routes, walker  # noqa: F401

    libcst_loader.load()


def analyze_source(
    path: str, data: bytes, config: "Config", rule_classes: Sequence[type["Rule"]], *, as_python: bool = False
) -> FileResult:
    """Analyze one file's bytes. Never raises for anything the file contains.

    A Jupyter notebook (by its suffix) is analyzed as the virtual module of its code cells
    (linter/engine/notebook.py); `as_python` is how that module comes back here.
    """
    result = _analyze(path, data, config, rule_classes, as_python=as_python, tree=True)
    assert result is not None
    return result


def analyze_contained(
    path: str, data: bytes, config: "Config", rule_classes: Sequence[type["Rule"]], *, tree: bool = True
) -> FileResult | None:
    """`analyze_source` (with `tree=False`: `analyze_without_tree`), where a bug in ailint or
    a rule becomes this file's AIL000 instead of stopping the run."""
    try:
        return _analyze(path, data, config, rule_classes, as_python=False, tree=tree)
    except Exception as exc:
        return internal_error_result(path, rule_classes, exc)


def analyze_without_tree(
    path: str, data: bytes, config: "Config", rule_classes: Sequence[type["Rule"]]
) -> FileResult | None:
    """`analyze_source` for a file that needs no libcst tree (the pre-filter leaves it
    unparsed), else None: how the runner keeps such files out of its worker processes,
    which are there to contain what libcst's parser may do. Same result as analyze_source."""
    return _analyze(path, data, config, rule_classes, as_python=False, tree=False)


def _analyze(
    path: str, data: bytes, config: "Config", rule_classes: Sequence[type["Rule"]], *, as_python: bool, tree: bool
) -> FileResult | None:
    if not as_python and is_notebook(path):
        if not tree:
            return None
        from linter.engine.notebook import analyze_notebook

        return analyze_notebook(path, data, config, rule_classes)
    result = FileResult(path=path)
    wants_ail000 = any(rule.code == "AIL000" for rule in rule_classes)
    try:
        text = decode_source(data)
        decode_error = None
    except DecodeError as exc:
        # Keys are ASCII: latin-1 reads every byte, so the raw-text scan still works.
        text = data.decode("latin-1")
        decode_error = str(exc)

    source = SourceText(text)
    suppressions, skip_file = parse_suppressions(source)
    result.suppressions = suppressions
    if skip_file:
        result.skip_file = True
        return result

    # A facts-only analysis (no rules: how engine/project.py completes a single-file run)
    # always parses: the engine trackers' facts are what it is for.
    prefilter = PREFILTER and bool(rule_classes)
    matches = text_tests(text, config.ai.extend_clients, path)
    if prefilter:
        rule_classes = triggered(rule_classes, text, config.ai.extend_clients, path, matches)
        if len(data) <= MAX_PARSE_BYTES and decode_error is None:
            rule_classes = gate_on_literals(rule_classes, matches, source)
    # Skip the parse when no remaining rule reads the tree — unless the file does not even
    # compile, where the libcst parse below decides (and reports AIL000), exactly as without
    # the pre-filter.
    skip_parse = prefilter and not any(needs_tree(r) for r in rule_classes if r.code != "AIL000")

    reason, error_line, error_column = decode_error, 1, 1
    module = None
    if reason is None and len(data) > MAX_PARSE_BYTES:
        reason = f"file is larger than {MAX_PARSE_BYTES // (1024 * 1024)} MB"
    # CPython's parser runs first where it pays: on files the pre-filter would not parse
    # (their syntax errors are still reported) and on files with very long lines, the
    # shape of the inputs that crash libcst or make it crawl. Its verdict on nesting is
    # taken only for the latter, so that the pre-filter never changes a result.
    parses = False
    risky = max(map(len, text.splitlines()), default=0) >= LONG_LINE
    if reason is None and (skip_parse or risky):
        parses, nesting = python_parse_check(source)
        if nesting is not None and risky:
            reason = nesting
    if reason is None and skip_parse and parses:
        ctx = FileContext(path, source, config, None)
        text_rules = [rule_class(ctx) for rule_class in rule_classes if hasattr(rule_class, "check_text")]
        _run_text_rules(ctx, text_rules)
        if not ctx.has_reports():
            return result
        # a text-only rule reported: parse after all, so that the finding's statement span
        # (where suppression comments may sit) is the same as without the pre-filter
    if reason is None and not tree:
        return None
    if reason is None:
        try:
            module = parse_module(text)
        except cst.ParserSyntaxError as exc:
            reason, error_line, error_column = _syntax_error(source, exc)
        except RecursionError:
            reason = "code nested too deeply to parse"
        except (MemoryError, Exception) as exc:  # the parser's own failure, not ours
            reason = f"parser failed: {type(exc).__name__}"

    ctx = FileContext(path, source, config, module)
    ctx.text_test = matches
    text_rules = [rule_class(ctx) for rule_class in rule_classes if hasattr(rule_class, "check_text")]

    if module is None:
        _run_text_rules(ctx, text_rules)
        result.findings = ctx.findings()
        if wants_ail000:
            result.findings.append(
                _not_analyzed(
                    path,
                    reason or "unknown error",
                    error_line,
                    min(error_column, len(source.line(error_line)) + 1),  # never past the line's end
                    source.line(error_line),
                    config.root,
                )
            )
        result.not_analyzed = reason
        result.findings.sort(key=Finding.sort_key)
        return result

    # The AI-call model always runs: its facts are project facts. The other trackers run
    # where a triggered rule uses them — and all of them in a facts-only analysis (`rules=()`,
    # how engine/project.py completes facts), which the pre-filter never narrows. Credential
    # uses need a credential word in the text (`may_use_credential`); without one the
    # tracker, which also feeds the redaction of every finding, has nothing to find.
    # The trackers and the walker are imported here, with the tree: a run whose files all
    # pass the pre-filter unparsed never imports them (nor libcst).
    from linter.engine.ai_calls import AiModel
    from linter.engine.credentials import CredentialTracker
    from linter.engine.dataflow import DataflowTracker
    from linter.engine.fanout import FanOutTracker
    from linter.engine.logs import LogTracker
    from linter.engine.routes import RouteTracker
    from linter.engine.walker import Dispatcher

    needed = needed_trackers(rule_classes) if prefilter else set(TRACKER_NEEDS)
    ctx.credentials = CredentialTracker(ctx.semantics)  # type: ignore[arg-type]
    ctx.ai = AiModel(ctx.semantics, module, path, config, text)  # type: ignore[arg-type]
    ctx.dataflow = DataflowTracker.for_context(ctx) if "dataflow" in needed else None
    ctx.routes = RouteTracker(ctx) if "routes" in needed else None
    ctx.fanout = FanOutTracker(ctx) if "fanout" in needed else None
    ctx.logs = LogTracker(ctx) if "logs" in needed else None
    trackers = [ctx.semantics, ctx.ai, ctx.dataflow, ctx.routes, ctx.fanout, ctx.logs]
    if not prefilter or matches(may_use_credential):
        trackers.append(ctx.credentials)
    rules = text_rules + [rule_class(ctx) for rule_class in rule_classes if not hasattr(rule_class, "check_text")]
    _run_text_rules(ctx, text_rules)
    try:
        Dispatcher([t for t in trackers if t is not None] + rules).walk(module)
        ctx.facts.update(ctx.ai.facts())
        for rule in rules:
            finish = getattr(rule, "finish", None)
            if finish is not None:
                finish()
        result.findings = sorted(ctx.findings(), key=Finding.sort_key)
    except RecursionError:
        # libcst's own position pass (and any recursive helper) can exhaust the stack on
        # pathologically nested code: that file is not analyzed, the run goes on
        text_only = FileContext(path, source, config, None)
        for rule in [rule_class(text_only) for rule_class in rule_classes if hasattr(rule_class, "check_text")]:
            rule.check_text()
        result.findings = text_only.findings()
        reason = "code nested too deeply to analyze"
        if wants_ail000:
            result.findings.append(_not_analyzed(path, reason, root=config.root))
        result.not_analyzed = reason
        result.findings.sort(key=Finding.sort_key)
        return result
    result.facts = ctx.facts
    # the route tracker writes the handler and limit facts; where it did not run, the
    # project phase completes this file's facts if a handler's calls reach it
    result.facts_complete = ctx.routes is not None
    return result
