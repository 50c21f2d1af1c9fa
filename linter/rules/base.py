"""The rule API: one small class per rule, in the style of Fixit and Ruff.

A rule declares its metadata as class attributes, documents itself in its docstring
(What it does / Why is this bad / Example / Use instead / References — `ailint explain`
prints it and SARIF carries it), and defines the visitor methods it needs:

- `visit_<Node>(node)` / `leave_<Node>(node)`: called during the single walk of the tree;
- `check_text()`: called once per file on the raw text (also for files that do not parse);
- `finish()`: called after the walk.

It reports with `self.report(node, message)`; the engine turns that into a positioned,
redacted, fingerprinted finding. What a rule needs to know about the code — imports, AI
calls, where a value came from — it asks `self.ctx` (the engine), never recomputes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from linter.engine.libcst_loader import cst

if TYPE_CHECKING:
    from linter.engine.context import FileContext
    from linter.engine.fixes import Fix


class LiteralTrigger(NamedTuple):
    """A trigger for a rule that, where `text` is its only trigger to match, reports only on
    a string literal (a literal, an implicit concatenation, or a `+` of literals) whose value
    — or, for a literal inside such a concatenation, the concatenation's value — passes
    `literal`.

    `text` is matched first, as a trigger of the other kinds. Only where the rule is then
    all that would have the file parsed does the pre-filter read the literals, from
    CPython's own parse (`engine.source.string_literals`, a small fraction of libcst's):
    if none passes, the file is not parsed. A literal CPython cannot evaluate as libcst
    does (an f-string without fields) counts as passing. (In `requires`, only `text` is
    matched.)

    So `literal` must pass every literal the rule may report, and, for a rule reading
    joined literals, every concatenation that has such a literal inside it; a test in
    `tests/test_prefilter.py` holds the rule and its `literal` together.
    """

    text: Any
    literal: Callable[[str], bool]


class Rule:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    #: runs without --select
    default: ClassVar[bool] = True
    #: "error" | "warning" | "note"
    severity: ClassVar[str] = "error"
    #: CWE and OWASP LLM Top 10 (2025) ids, e.g. ("CWE-798", "LLM02:2025")
    tags: ClassVar[tuple[str, ...]] = ()
    #: GitHub code scanning's 0.0–10.0 score
    security_severity: ClassVar[float] = 5.0
    #: one line shown under each finding in the text report
    hint: ClassVar[str] = ""
    #: what this rule's fixes replace is a secret: a diff preview of them redacts it
    fix_replaces_secret: ClassVar[bool] = False
    #: the pre-filter: the rule can only fire on a file whose text contains at least one of
    #: these substrings, matched ignoring case, matches one of these compiled regular
    #: expressions, or makes one of these callables, `trigger(path, text, lowered_text)`, return
    #: true, or matches one of these `LiteralTrigger`s (empty: any file). Declare them
    #: conservatively — a file that none of the enabled rules' triggers match is not parsed.
    triggers: ClassVar[tuple[Any, ...]] = ()
    #: triggers (of the same kinds) that must all match as well: what the rule cannot do
    #: without, such as an AI request in the file (`AI_REQUEST_TRIGGER`)
    requires: ClassVar[tuple[Any, ...]] = ()
    #: the engine trackers the rule reads besides `ctx.semantics`, `ctx.ai` and
    #: `ctx.credentials`, which always run: "dataflow", "routes", "fanout", "logs"
    #: (`analyze.TRACKER_NEEDS`). A tracker runs only in a file where a rule that uses it
    #: is triggered; elsewhere its `ctx` attribute is None.
    uses: ClassVar[tuple[str, ...]] = ()

    def __init__(self, ctx: "FileContext") -> None:
        self.ctx = ctx

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        secrets: tuple[str, ...] = (),
        fix: "Fix | None" = None,
        condition: dict[str, Any] | None = None,
        line_of: cst.CSTNode | None = None,
    ) -> None:
        """Report `message` at `node`. Every string in `secrets` is redacted wherever shown.

        `fix` (linter/engine/fixes.py) is the automatic fix `--fix` may apply. With a
        `condition` the finding is deferred to the project phase: it is stored in the file's
        facts ("deferred_findings") and the rule's `resolve_project` decides it. `{line}` in
        the message becomes the line of `line_of` (lines are known only after the walk)."""
        self.ctx.report(self, node, message, secrets=secrets, fix=fix, condition=condition, line_of=line_of)

    def report_offsets(self, start: int, end: int, message: str, *, secrets: tuple[str, ...] = ()) -> None:
        """Report at character offsets of the raw text (for the raw-text pass)."""
        self.ctx.report_offsets(self, start, end, message, secrets=secrets)

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or cls.summary)

    @classmethod
    def metadata(cls) -> dict[str, Any]:
        return {
            "code": cls.code,
            "name": cls.name,
            "default": cls.default,
            "severity": cls.severity,
            "summary": cls.summary,
            "tags": list(cls.tags),
        }
