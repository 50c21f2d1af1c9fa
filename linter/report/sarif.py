"""`--format sarif`: SARIF 2.1.0 for code-scanning dashboards and IDEs (SPEC §3).

The log is built from sarif-om's classes and serialized by `to_json`, a small generic
walk over their attrs fields that uses each field's `schema_property_name` metadata for
the camelCase JSON name and leaves out fields still at their default.

What GitHub code scanning and the SARIF Multitool (`--rule-kind "Sarif;Gh"`) look for:
rule descriptors with full and short descriptions, help text and markdown, a help URI and
`security-severity`; relative URIs resolved through `originalUriBaseIds`; regions with
snippets (already redacted by the engine); `partialFingerprints` that do not depend on
line numbers; and results hidden by a comment or the baseline kept, with `suppressions`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attr
import sarif_om as om

from linter import __version__
from linter.findings import Finding

if TYPE_CHECKING:
    from linter.engine.runner import RunResult
    from linter.rules.base import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
HOMEPAGE = "https://github.com/ailint/ailint"
#: where every rule's documentation is listed (the README's rules table)
RULES_URI = f"{HOMEPAGE}/blob/main/README.md#rules"
SRCROOT = "%SRCROOT%"
#: the key of our partial fingerprint; bump the version if the fingerprint's recipe changes
FINGERPRINT_KEY = "ailintFingerprint/v1"
_LEVELS = {"error": "error", "warning": "warning", "note": "note"}
_SECTION_RE = re.compile(r"^(What it does|Why is this bad|Example|Use instead|Fix|Options|References):\s*(.*)$")


@attr.s
class PropertyBag(om.PropertyBag):
    """sarif-om's property bag models only `tags`; SARIF lets a bag hold any named value
    (GitHub reads `security-severity` from it). `extra` is serialized inline."""

    extra: dict[str, Any] = attr.ib(factory=dict, metadata={"inline": True})


# --- serialization ------------------------------------------------------------------------
def to_json(value: Any) -> Any:
    """sarif-om objects (attrs classes) -> JSON-ready values with the schema's names."""
    if attr.has(type(value)):
        out: dict[str, Any] = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            if _is_default(field, item):
                continue
            if field.metadata.get("inline"):
                out.update({key: to_json(v) for key, v in item.items()})
                continue
            out[field.metadata.get("schema_property_name", field.name)] = to_json(item)
        return out
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def _is_default(field: "attr.Attribute[Any]", value: Any) -> bool:
    """Unset: None, or still sarif-om's placeholder (-1 indexes, factory lists, flags).

    String defaults (`level: "warning"`, `kind: "fail"`) are written out: GitHub and the
    SPEC want `defaultConfiguration.level` present even when it is the schema's default.
    """
    if value is None:
        return True
    default = field.default
    if isinstance(default, attr.Factory):  # type: ignore[arg-type]
        return bool(value == default.factory())  # type: ignore[call-arg]
    return isinstance(default, (bool, int, float)) and value == default


# --- rules -----------------------------------------------------------------------------------
def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_\s]+", name) if part)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _sections(doc: str) -> list[tuple[str, list[str]]]:
    """The docstring's sections (What it does / Why is this bad / ...) in order."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in doc.splitlines():
        match = _SECTION_RE.match(line)
        if match:
            sections.append((match.group(1), [match.group(2)] if match.group(2) else []))
        else:
            sections[-1][1].append(line)
    return [(title, body) for title, body in sections if title or any(line.strip() for line in body)]


def full_description(rule: type["Rule"]) -> str:
    """The first paragraph of "What it does", or the summary."""
    for title, body in _sections(rule.documentation()):
        if title == "What it does":
            paragraph = []
            for line in body:
                if not line.strip():
                    if paragraph:
                        break
                    continue
                paragraph.append(line.strip())
            if paragraph:
                return " ".join(paragraph)
    return _sentence(rule.summary)


def help_markdown(rule: type["Rule"]) -> str:
    """The rule's documentation as markdown: sections become headings, indented blocks code."""
    lines = [f"**{rule.code} {rule.name}**: {_sentence(rule.summary)}", ""]
    for title, body in _sections(rule.documentation()):
        if title:
            lines += [f"### {title}", ""]
        in_code = False
        for line in body:
            indented = line.startswith("    ") and line.strip()
            if indented and not in_code:
                lines.append("```python")
                in_code = True
            elif in_code and line.strip() and not indented:
                lines.append("```")
                in_code = False
            lines.append(line[4:] if in_code else line)
        if in_code:
            while lines and not lines[-1].strip():
                lines.pop()
            lines.append("```")
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def _tags(rule: type["Rule"]) -> list[str]:
    """The rule's own tags, plus GitHub's conventional `external/cwe/cwe-NNN` form."""
    tags = list(rule.tags)
    for tag in rule.tags:
        match = re.fullmatch(r"CWE-(\d+)", tag)
        if match:
            tags.append(f"external/cwe/cwe-{int(match.group(1)):03d}")
        match = re.fullmatch(r"(LLM\d\d):(\d{4})", tag)
        if match:
            tags.append(f"external/owasp/owasp-{match.group(1).lower()}-{match.group(2)}")
    if "security" not in tags:
        tags.append("security")
    return tags


def descriptor(rule: type["Rule"]) -> om.ReportingDescriptor:
    documentation = rule.documentation()
    return om.ReportingDescriptor(
        id=rule.code,
        name=_pascal(rule.name),
        short_description=om.MultiformatMessageString(text=_sentence(rule.summary)),
        full_description=om.MultiformatMessageString(text=full_description(rule)),
        help=om.MultiformatMessageString(text=documentation, markdown=help_markdown(rule)),
        help_uri=RULES_URI,
        default_configuration=om.ReportingConfiguration(level=_LEVELS.get(rule.severity, "warning")),
        properties=PropertyBag(
            tags=_tags(rule),
            extra={
                "security-severity": f"{float(rule.security_severity):.1f}",
                "precision": "high",
                "problem.severity": rule.severity if rule.severity != "note" else "recommendation",
                "ailint-name": rule.name,
                "default": rule.default,
            },
        ),
    )


# --- results ---------------------------------------------------------------------------------
def _region(finding: Finding) -> om.Region:
    if finding.cell is not None:
        return _notebook_region(finding)
    snippet = None
    source = finding.source_line
    if source.strip():
        start, end = finding.caret
        # the caret is measured on the redacted line; a multi-line finding shows its first line
        text = source[start:end] if finding.end_line == finding.line and end > start else source[start:]
        if text.strip():
            snippet = om.ArtifactContent(text=text)
    return om.Region(
        start_line=finding.line,
        start_column=finding.column,
        end_line=max(finding.end_line, finding.line),
        end_column=finding.end_column if finding.end_line > finding.line else max(finding.end_column, finding.column),
        snippet=snippet,
    )


def _notebook_region(finding: Finding) -> om.Region:
    """A notebook finding is located in the .ipynb file's own JSON text (`raw_region`,
    line 1 when the cell's strings could not be located); its cell is a result property."""
    snippet = om.ArtifactContent(text=finding.source_line) if finding.source_line.strip() else None
    if finding.raw_region is None:
        return om.Region(start_line=1, snippet=snippet)
    line, column, end_line, end_column = finding.raw_region
    return om.Region(start_line=line, start_column=column, end_line=end_line, end_column=end_column, snippet=snippet)


def _context_region(finding: Finding) -> om.Region | None:
    if finding.cell is not None:
        return None
    if not finding.source_line.strip() or finding.end_line != finding.line:
        return None
    return om.Region(start_line=finding.line, snippet=om.ArtifactContent(text=finding.source_line))


def _location(path: str, finding: Finding | None = None) -> om.Location:
    return om.Location(
        physical_location=om.PhysicalLocation(
            artifact_location=om.ArtifactLocation(uri=_uri(path), uri_base_id=SRCROOT),
            region=_region(finding) if finding is not None else None,
            context_region=_context_region(finding) if finding is not None else None,
        )
    )


def _uri(path: str) -> str:
    """A relative URI reference for a `/`-separated relative path (percent-encoded)."""
    from urllib.parse import quote

    return quote(path, safe="/-._~!$&'()*+,;=:@")


def _occurrences(findings: list[Finding]) -> dict[int, int]:
    """Number identical fingerprints in a file 1, 2, ... in line order, so that two results
    that look the same are still two alerts (id(finding) -> occurrence)."""
    counter: dict[tuple[str, str], int] = defaultdict(int)
    numbers = {}
    for finding in sorted(findings, key=Finding.sort_key):
        counter[(finding.path, finding.fingerprint)] += 1
        numbers[id(finding)] = counter[(finding.path, finding.fingerprint)]
    return numbers


def _result(finding: Finding, index: int, occurrence: int, suppressions: list[om.Suppression] | None) -> om.Result:
    properties = None
    if finding.cell is not None:
        properties = PropertyBag(
            extra={"cell": finding.cell, "cellLine": finding.line, "cellColumn": finding.column}
        )
    return om.Result(
        rule_id=finding.code,
        rule_index=index,
        level=_LEVELS.get(finding.severity, "warning"),
        message=om.Message(text=_sentence(finding.message)),
        locations=[_location(finding.path, finding)],
        partial_fingerprints={FINGERPRINT_KEY: f"{finding.fingerprint}:{occurrence}"},
        suppressions=suppressions,
        properties=properties,
    )


def build_log(run: "RunResult", rules: "tuple[type[Rule], ...]", baseline_name: str | None = None) -> om.SarifLog:
    from linter.rules import all_rules

    baselined = list(getattr(run, "baselined", []))
    every = [*run.findings, *run.suppressed, *baselined]
    enabled = list(rules)
    known = {rule.code for rule in enabled}
    for rule in all_rules():  # a result's rule is always described, even if not "enabled"
        if rule.code not in known and any(f.code == rule.code for f in every):
            enabled.append(rule)
            known.add(rule.code)
    enabled.sort(key=lambda rule: rule.code)
    index = {rule.code: i for i, rule in enumerate(enabled)}
    occurrences = _occurrences(every)

    in_source = [om.Suppression(kind="inSource", justification="suppressed by an ailint: ignore / noqa comment")]
    external = [
        om.Suppression(kind="external", justification=f"recorded in the baseline {baseline_name or ''}".strip())
    ]
    tagged = [(f, None) for f in run.findings] + [(f, in_source) for f in run.suppressed]
    tagged += [(f, external) for f in baselined]
    tagged.sort(key=lambda pair: pair[0].sort_key())
    results = [_result(f, index[f.code], occurrences[id(f)], s) for f, s in tagged]

    notifications = [
        om.Notification(
            level="warning",
            message=om.Message(text=_sentence(f"file not analyzed: {result.not_analyzed}")),
            locations=[_location(result.path)],
            descriptor=om.ReportingDescriptorReference(id="AIL000"),
        )
        for result in sorted(run.results, key=lambda r: r.path)
        if result.not_analyzed
    ]
    invocation = om.Invocation(
        execution_successful=True,
        tool_execution_notifications=notifications or None,
        working_directory=om.ArtifactLocation(uri=_root_uri()),
    )
    driver = om.ToolComponent(
        name="ailint",
        full_name=f"ailint {__version__}",
        version=__version__,
        semantic_version=__version__,
        information_uri=HOMEPAGE,
        rules=[descriptor(rule) for rule in enabled],
    )
    sarif_run = om.Run(
        tool=om.Tool(driver=driver),
        invocations=[invocation],
        original_uri_base_ids={
            SRCROOT: om.ArtifactLocation(
                uri=_root_uri(), description=om.Message(text="The directory ailint was run from.")
            )
        },
        column_kind="unicodeCodePoints",
        results=results,
    )
    return om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[sarif_run])


def _root_uri() -> str:
    uri = Path.cwd().resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def render(run: "RunResult", rules: "tuple[type[Rule], ...]", color: bool = False) -> str:
    log = build_log(run, rules, getattr(run, "baseline_name", None))
    return json.dumps(to_json(log), indent=2, ensure_ascii=False) + "\n"
