"""The per-file state rules report into, and how reports become positioned findings.

Positions are resolved lazily: a file with nothing to report never pays for libcst's
PositionProvider; a file with findings pays for the top-level statements that hold them
(engine/positions.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.engine.libcst_loader import cst

from linter.engine.fixes import Fix, resolve_fix
from linter.engine.positions import LazyPositions
from linter.engine.semantics import Semantics
from linter.engine.source import SourceText
from linter.findings import Finding, fingerprint_path, stable_hash

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
    fix: "Fix | dict[str, Any] | None"
    condition: dict[str, Any] | None = None
    #: a node whose line replaces `{line}` in the message (positions exist only at the end)
    line_of: cst.CSTNode | None = None


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
        #: request handlers and rate limits (engine/routes.py), loops and fan-outs (engine/fanout.py)
        self.routes: Any = None
        self.fanout: Any = None
        #: the AI-call model (engine/ai_calls.py `AiModel`): AI requests, clients, endpoints
        self.ai: Any = None
        #: which labelled sources reach an expression (engine/dataflow.py; filled during the walk)
        self.dataflow: Any = None
        #: log calls and what they write (engine/logs.py)
        self.logs: Any = None
        #: the pre-filter's trigger test for this file, verdicts shared (engine/analyze.py
        #: `text_tests`); None where the engine did not set one
        self.text_test: Any = None
        self._secrets: tuple[str, ...] | None = None
        #: fixes offered for findings reported by text offsets: (rule code, node, fix)
        self._offered: list[tuple[str, cst.CSTNode, Fix]] = []
        #: text-offset findings reported whole at a node instead: (rule code, node, secret)
        self._superseded: list[tuple[str, cst.CSTNode, str]] = []

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
        fix: "Fix | dict[str, Any] | None" = None,
        condition: dict[str, Any] | None = None,
        line_of: cst.CSTNode | None = None,
    ) -> None:
        """Record a finding. With a `condition` (JSON data) it is *deferred*: kept in the
        facts under "deferred_findings" for the rule's project phase to confirm or drop.
        `{line}` in the message becomes the line of `line_of` ("reaches the call on line 42")."""
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
                condition,
                line_of,
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

    def offer_fix(self, rule: "Rule", node: cst.CSTNode, fix: Fix | None) -> None:
        """Attach `fix` to `rule`'s finding that lies inside `node` (for findings reported by
        text offsets, such as keys found by the raw-text scan, whose node is known later)."""
        if fix is not None:
            self._offered.append((rule.code, node, fix))

    def supersede(self, rule: "Rule", node: cst.CSTNode, secret: str) -> None:
        """Drop `rule`'s findings reported by text offsets inside `node` whose secret is a
        part of `secret`, which `rule` reports elsewhere whole: a key split over literals,
        whose first piece (`node`) the raw-text scan took for a key of its own."""
        self._superseded.append((rule.code, node, secret))

    def has_reports(self) -> bool:
        return bool(self._pending)

    # --- turning reports into findings ---------------------------------------------------
    def findings(self) -> list[Finding]:
        if not self._pending:
            return []
        positions = None
        if self.module is not None:
            positions = LazyPositions(self.module, self.source)
            positions.locate(self._nodes_to_place())
        results: list[Finding] = []
        seen: set[tuple] = set()
        self._fingerprint_path = fingerprint_path(self.path, getattr(self.config, "root", None))
        superseded = self._superseded_reports(positions) if self._superseded and positions else set()
        for pending in self._pending:
            if id(pending) in superseded:
                continue
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
                expression = self._normalized(self._span_text(line, col, end_line, end_col))
            rule = pending.rule
            message = pending.message
            if pending.line_of is not None and positions is not None and pending.line_of in positions:
                message = message.replace("{line}", str(positions[pending.line_of].start.line))
            key = (rule.code, line, col, end_line, end_col)
            if key in seen:
                continue
            seen.add(key)
            secrets = pending.secrets + self._file_secrets()
            expression = redact_text(expression, secrets)
            original = self.source.line(line)
            cut = min(col, len(original))
            cut_end = len(original) if end_line > line else max(cut, min(end_col, len(original)))
            caret_start = len(redact_text(original[:cut], secrets))
            caret_end = caret_start + len(redact_text(original[cut:cut_end], secrets))
            finding = (
                Finding(
                    code=rule.code,
                    name=rule.name,
                    severity=rule.severity,
                    path=self.path,
                    line=line,
                    column=col + 1,
                    end_line=end_line,
                    end_column=end_col + 1,
                    message=redact_text(message, secrets),
                    fingerprint=stable_hash(rule.code, self._fingerprint_path, pending.scope, expression),
                    fix=self._resolved_fix(pending.fix, positions),
                    source_line=redact_text(original, secrets),
                    statement_end_line=statement_end,
                    caret=(caret_start, caret_end),
                )
            )
            if pending.condition is None:
                results.append(finding)
            else:
                deferred = self.facts.setdefault("deferred_findings", [])
                deferred.append({"condition": pending.condition, "finding": finding.to_dict()})
        if self._offered and positions is not None:
            results = self._attach_offered(results, positions)
        return results

    def _nodes_to_place(self) -> list[cst.CSTNode]:
        """Every node whose position a finding needs: reported nodes, their statements, the
        nodes of `{line}` messages and the nodes fixes edit (one locating pass for all)."""
        nodes: list[cst.CSTNode] = []
        for pending in self._pending:
            nodes.extend(n for n in (pending.node, pending.statement, pending.line_of) if n is not None)
            if isinstance(pending.fix, Fix):
                nodes.extend(edit.node for edit in pending.fix.edits if getattr(edit, "node", None) is not None)
        for _, node, fix in self._offered:
            nodes.append(node)
            nodes.extend(edit.node for edit in fix.edits)
        nodes.extend(node for _, node, _ in self._superseded)
        return nodes

    def _superseded_reports(self, positions: Any) -> set[int]:
        """The ids of the text-offset reports `supersede` drops."""
        dropped: set[int] = set()
        for code, node, secret in self._superseded:
            if node not in positions:
                continue
            span = positions[node]
            start, end = (span.start.line, span.start.column), (span.end.line, span.end.column)
            for pending in self._pending:
                if (
                    pending.node is None
                    and pending.rule.code == code
                    and pending.secrets
                    and pending.secrets[0] in secret
                    and start <= pending.span[:2]  # type: ignore[index]
                    and pending.span[2:] <= end  # type: ignore[index]
                ):
                    dropped.add(id(pending))
        return dropped

    def _file_secrets(self) -> tuple[str, ...]:
        """Every secret in the file, redacted wherever any rule's finding shows its line — so
        that, say, an AIL701 finding on `openai.api_key = "sk-…"` never prints the key."""
        if self._secrets is None:
            from linter.knowledge.keys import find_keys, looks_like_secret

            found = {key.value for key in find_keys(self.text)}
            for use in getattr(self.credentials, "uses", ()):
                if use.literal and looks_like_secret(use.literal, min_length=8):
                    found.add(use.literal)
            self._secrets = tuple(sorted(found, key=len, reverse=True))
        return self._secrets

    def _resolved_fix(self, fix: Any, positions: Any) -> dict[str, Any] | None:
        if isinstance(fix, Fix):
            if positions is None or self.module is None:
                return None
            return resolve_fix(fix, self.module, positions)
        return fix

    def _attach_offered(self, results: list[Finding], positions: Any) -> list[Finding]:
        from dataclasses import replace

        for code, node, fix in self._offered:
            if node not in positions:
                continue
            span = positions[node]
            start, end = (span.start.line, span.start.column + 1), (span.end.line, span.end.column + 1)
            for index, finding in enumerate(results):
                if (
                    finding.code == code
                    and finding.fix is None
                    and start <= (finding.line, finding.column)
                    and (finding.end_line, finding.end_column) <= end
                ):
                    results[index] = replace(finding, fix=self._resolved_fix(fix, positions))
                    break
        return results

    def _span_text(self, line: int, col: int, end_line: int, end_col: int) -> str:
        """The raw text of a span: what a raw-text finding's fingerprint hashes (once redacted),
        so that editing the rest of its line does not change the fingerprint."""
        if end_line <= line:
            return self.source.line(line)[col:end_col] or self.source.line(line)
        lines = [self.source.line(line)[col:]]
        lines += [self.source.line(n) for n in range(line + 1, end_line)]
        lines.append(self.source.line(end_line)[:end_col])
        return "\n".join(lines)

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
