"""The per-file state rules report into, and how reports become positioned findings.

Positions are resolved lazily: a file with nothing to report never pays for libcst's
PositionProvider; a file with findings pays for the top-level statements that hold them
(engine/positions.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import libcst as cst

from linter.engine.positions import LazyPositions
from linter.engine.semantics import Semantics
from linter.engine.source import SourceText
from linter.findings import Finding, stable_hash

if TYPE_CHECKING:
    from linter.config import Config
    from linter.rules.base import Rule

_WS_RE = re.compile(r"\s+")


@dataclass
class _Pending:
    rule: "Rule"
    message: str
    node: cst.CSTNode | None
    span: tuple[int, int, int, int] | None  # line, col0, end_line, end_col0 when no node
    secrets: tuple[str, ...]
    statement: cst.CSTNode | None
    scope: str
    fix: dict[str, Any] | None


class FileContext:
    """Everything a rule may read about the file under analysis, and where it reports."""

    def __init__(self, path: str, source: SourceText, config: "Config", module: cst.Module | None = None) -> None:
        self.path = path
        self.source = source
        self.config = config
        self.module = module
        self.semantics: Semantics | None = Semantics(module) if module is not None else None
        self.facts: dict[str, Any] = {}
        self._pending: list[_Pending] = []
        #: where values are used as credentials (filled by the engine during the walk)
        self.credentials: Any = None

    @property
    def text(self) -> str:
        return self.source.text

    def report(
        self,
        rule: "Rule",
        node: cst.CSTNode,
        message: str,
        *,
        secrets: tuple[str, ...] = (),
        fix: dict[str, Any] | None = None,
    ) -> None:
        semantics = self.semantics
        self._pending.append(
            _Pending(
                rule,
                message,
                node,
                None,
                secrets,
                semantics.statement if semantics else None,
                semantics.scope_name if semantics else "<module>",
                fix,
            )
        )

    def report_offsets(
        self, rule: "Rule", start: int, end: int, message: str, *, secrets: tuple[str, ...] = ()
    ) -> None:
        line, col = self.source.position(start)
        end_line, end_col = self.source.position(end)
        self.report_span(rule, (line, col, end_line, end_col), message, secrets=secrets)

    def report_span(
        self, rule: "Rule", span: tuple[int, int, int, int], message: str, *, secrets: tuple[str, ...] = ()
    ) -> None:
        self._pending.append(_Pending(rule, message, None, span, secrets, None, "<text>", None))

    def has_reports(self) -> bool:
        return bool(self._pending)

    # --- turning reports into findings ---------------------------------------------------
    def findings(self) -> list[Finding]:
        if not self._pending:
            return []
        positions = None
        if self.module is not None:
            positions = LazyPositions(self.module, self.source)
            positions.locate([p.node for p in self._pending if p.node is not None])
        results: list[Finding] = []
        seen: set[tuple] = set()
        for pending in self._pending:
            code_range = positions.range_of(pending.node) if pending.node is not None and positions else None
            if code_range is not None:
                line, col = code_range.start.line, code_range.start.column
                end_line, end_col = code_range.end.line, code_range.end.column
                statement_end = end_line
                if pending.statement is not None:
                    statement_range = positions.range_of(pending.statement)  # type: ignore[union-attr]
                    if statement_range is not None:
                        statement_end = max(end_line, statement_range.end.line)
                expression = self._normalized(self.module.code_for_node(pending.node))  # type: ignore[union-attr]
            else:
                line, col, end_line, end_col = pending.span  # type: ignore[misc]
                statement_end = max(end_line, positions.statement_end(line) if positions else 0)
                expression = self._normalized(self.source.line(line))
            rule = pending.rule
            key = (rule.code, line, col, end_line, end_col)
            if key in seen:
                continue
            seen.add(key)
            expression = redact_text(expression, pending.secrets)
            original = self.source.line(line)
            cut = min(col, len(original))
            cut_end = len(original) if end_line > line else max(cut, min(end_col, len(original)))
            caret_start = len(redact_text(original[:cut], pending.secrets))
            caret_end = caret_start + len(redact_text(original[cut:cut_end], pending.secrets))
            results.append(
                Finding(
                    code=rule.code,
                    name=rule.name,
                    severity=rule.severity,
                    path=self.path,
                    line=line,
                    column=col + 1,
                    end_line=end_line,
                    end_column=end_col + 1,
                    message=redact_text(pending.message, pending.secrets),
                    fingerprint=stable_hash(rule.code, self.path, pending.scope, expression),
                    fix=pending.fix,
                    source_line=redact_text(original, pending.secrets),
                    statement_end_line=statement_end,
                    caret=(caret_start, caret_end),
                )
            )
        return results

    @staticmethod
    def _normalized(code: str) -> str:
        return _WS_RE.sub(" ", code).strip()


def redact_text(text: str, secrets: tuple[str, ...]) -> str:
    """Replace every occurrence of each secret in `text` by its redacted form."""
    from linter.knowledge.keys import redact

    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, redact(secret, _visible_prefix(secret)))
    return text


def _visible_prefix(secret: str) -> str:
    from linter.knowledge.keys import KEY_FORMATS

    for key_format in KEY_FORMATS:
        if key_format.prefix and secret.startswith(key_format.prefix):
            return key_format.prefix
    return ""
