"""Jupyter notebooks: one `.ipynb` file becomes one virtual Python module, and back.

    .ipynb JSON -> code cells, joined in order, one source line per virtual line
                   (IPython syntax neutralized in place: no line or column moves)
               -> stored outputs of those cells, appended as comment lines
                   (so the raw-text secret scan sees a key a cell printed)
               -> analyze the virtual module like any file
               -> map every finding back: cell number, line within the cell,
                  and where it sits in the .ipynb JSON text (for SARIF regions)

IPython syntax that is not Python — `%line` magics, `!shell` escapes, `x = !cmd`,
`obj?` help — is overwritten in place by `0#` (a no-op expression and a comment that
keeps the rest of the line, keys included, visible to the raw-text scan). A `%%cell`
magic whose body is not Python (`%%bash`, `%%writefile`, ...) turns the whole cell into
comments (each line shifted right by one column, which the line map undoes).

The rest of the engine is unchanged: it sees a `.py`-like text and a path.

How a notebook finding appears in each format:
- text: `nb.ipynb:cell 3:2:5: CODE message` (report/text.py);
- JSON: `"cell": 3`, with `line`/`column` counting within that cell (report/json_report.py);
- SARIF (for the SARIF reporter): the `physicalLocation` is the notebook file itself, and
  its `region` is `Finding.raw_region` — (startLine, startColumn, endLine, endColumn) in the
  .ipynb JSON text, which is what GitHub code scanning and SARIF viewers display against;
  when `raw_region` is None (a hand-written notebook whose strings could not be located),
  use `{"startLine": 1}`. The cell goes in `result.properties`: `{"cell": 3, "cellLine": 2,
  "cellColumn": 5}` (and the snippet is `Finding.source_line`, already redacted). Keep the
  partial fingerprint as for any file: `Finding.fingerprint` does not depend on lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from linter.engine.source import SourceText
from linter.findings import FileResult, Finding
from linter.suppressions import line_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from linter.config import Config
    from linter.rules.base import Rule

#: same line splitting as SourceText (and Python's tokenizer)
_LINES_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
#: a line magic or shell escape, possibly after `name = ` (IPython's assignment forms)
_MAGIC_RE = re.compile(r"^(?P<head>[ \t]*(?:[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*[ \t]*=[ \t]*)?)(?P<magic>[%!].*)$")
#: `obj?`, `obj??`, `?obj`, `??obj` help
_HELP_RE = re.compile(r"^[ \t]*(?:\?{1,2}[\w.]+|[\w.]+\?{1,2})[ \t]*$")
_CELL_MAGIC_RE = re.compile(r"^[ \t]*%%(?P<name>\w+)")
#: cell magics whose body is Python that runs in this kernel
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
#: the coding cookie of PEP 263: a cell must not change how the virtual module decodes
_CODING_RE = re.compile(r"^([ \t\f]*#.*?)coding([:=])")
#: appended to the message of a finding in a stored output
OUTPUT_NOTE = " (in the stored output of cell {cell}: clear the notebook's outputs)"


class NotebookError(ValueError):
    """The file is not a notebook ailint can read; the message says why."""


@dataclass(frozen=True)
class LineOrigin:
    """Where one virtual line comes from."""

    #: 1-based index among code cells
    cell: int
    #: 1-based line within the cell's source (or within the output's text)
    line: int
    #: columns added in the virtual line before the original text (1 for commented lines)
    shift: int = 0
    #: True for a line of a stored output
    output: bool = False
    #: offset in the .ipynb text of the JSON string holding this line, and of the line in it
    raw_string: int | None = None
    raw_offset: int = 0


@dataclass
class VirtualModule:
    """A notebook as one Python text, and the map from its lines back to the notebook."""

    text: str
    origins: list[LineOrigin] = field(default_factory=list)
    #: the original (not neutralized) text of each virtual line, for the text report
    originals: list[str] = field(default_factory=list)
    #: the virtual (neutralized) text of each line, without its newline
    virtuals: list[str] = field(default_factory=list)
    raw: str = ""

    def origin(self, line: int) -> LineOrigin | None:
        return self.origins[line - 1] if 1 <= line <= len(self.origins) else None


# --- reading ---------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return _LINES_RE.findall(text)


def _string_list(value: Any) -> list[str] | None:
    """An nbformat multiline string: a string or a list of strings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


class _RawLocator:
    """Finds the JSON string literals of the .ipynb text, in file order, so a finding can be
    placed in the notebook file itself. A best effort: nbformat writes each source line as
    its own string; when a string cannot be found, its lines have no raw position."""

    #: after this many strings not found, stop looking (each miss scans to the end of the file)
    MAX_MISSES = 64

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.cursor = 0
        self.misses = 0

    def find(self, value: str) -> int | None:
        if self.misses >= self.MAX_MISSES:
            return None
        for ascii_only in (False, True):
            encoded = json.dumps(value, ensure_ascii=ascii_only)
            at = self.raw.find(encoded, self.cursor)
            if at >= 0:
                self.cursor = at + len(encoded)
                return at
        self.misses += 1
        return None


def _neutralize(line: str) -> str:
    """A line magic, shell escape or help line, overwritten in place by Python."""
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    if _HELP_RE.match(body):
        return body.replace("?", " ") + ending
    match = _MAGIC_RE.match(body)
    if match is None:
        return line
    head, magic = match.group("head"), match.group("magic")
    if len(magic) > 1 and magic[1] == "=":
        return line  # `x != y` or `x %= y` continued on a new line: Python, not a magic
    replacement = "0" if len(magic) == 1 else "0#" + magic[2:]
    return head + replacement + ending


def _decode_cell_source(parts: list[str]) -> list[str]:
    text = "".join(parts)
    lines = _lines(text)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines


def read_notebook(data: bytes) -> VirtualModule:
    """The virtual module of a notebook's bytes. Raises NotebookError with a reason."""
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"notebook is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        document = json.loads(raw)
    except RecursionError:
        raise NotebookError("notebook JSON is nested too deeply") from None
    except ValueError as exc:
        raise NotebookError(f"invalid notebook JSON: {exc}") from None
    cells = document.get("cells") if isinstance(document, dict) else None
    if cells is None and isinstance(document, dict) and isinstance(document.get("worksheets"), list):
        cells = [
            cell
            for sheet in document["worksheets"]
            if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list)
            for cell in sheet["cells"]
        ]
    if not isinstance(cells, list):
        raise NotebookError("not a Jupyter notebook: no `cells` list")
    language = _language(document)
    if language not in ("python", ""):
        raise NotebookError(f"notebook kernel language is {language!r}, not Python")

    module = VirtualModule(text="", raw=raw)
    locator = _RawLocator(raw)
    code: list[str] = []
    outputs: list[tuple[int, list[tuple[str, int | None, int]]]] = []
    cell_number = 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        cell_number += 1
        parts = _string_list(cell.get("source", cell.get("input", [])))
        if parts is None:
            raise NotebookError(f"code cell {cell_number} has no valid `source`")
        lines = _decode_cell_source(parts)
        # nbformat sorts a cell's keys (`outputs` before `source`); search both from the cell's start
        cell_start = locator.cursor
        raw_positions = _raw_positions(parts, locator)
        source_end, locator.cursor = locator.cursor, cell_start
        cell_outputs = _output_lines(cell.get("outputs"), locator)
        locator.cursor = max(locator.cursor, source_end)
        magic = _CELL_MAGIC_RE.match(lines[0]) if lines else None
        comment_all = magic is not None and magic.group("name") not in PYTHON_CELL_MAGICS
        for number, line in enumerate(lines, start=1):
            raw_string, raw_offset = raw_positions[number - 1] if number - 1 < len(raw_positions) else (None, 0)
            if comment_all:
                virtual, shift = "#" + line, 1
            else:
                virtual, shift = _neutralize(line), 0
            if len(code) < 2:
                virtual = _CODING_RE.sub(r"\1c0ding\2", virtual)
            code.append(virtual)
            module.virtuals.append(virtual.rstrip("\r\n"))
            module.originals.append(line.rstrip("\r\n"))
            module.origins.append(LineOrigin(cell_number, number, shift, False, raw_string, raw_offset))
        outputs.append((cell_number, cell_outputs))
    for cell_number, lines_of_output in outputs:
        for number, (line, raw_string, raw_offset) in enumerate(lines_of_output, start=1):
            body = line.rstrip("\r\n").replace("\x00", " ")
            code.append("#" + body + "\n")
            module.virtuals.append("#" + body)
            module.originals.append(body)
            module.origins.append(LineOrigin(cell_number, number, 1, True, raw_string, raw_offset))
    module.text = "".join(code)
    return module


def _language(document: dict) -> str:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return ""
    info = metadata.get("language_info")
    if isinstance(info, dict) and isinstance(info.get("name"), str):
        return info["name"].lower()
    kernel = metadata.get("kernelspec")
    if isinstance(kernel, dict) and isinstance(kernel.get("language"), str):
        return kernel["language"].lower()
    return ""


def _raw_positions(parts: list[str], locator: _RawLocator) -> list[tuple[int | None, int]]:
    """For each line of a multiline string: (offset of its JSON string in the file, offset of
    the line within that string's decoded value)."""
    positions: list[tuple[int | None, int]] = []
    for part in parts:
        at = locator.find(part) if part else None
        offset = 0
        for line in _lines(part):
            positions.append((at, offset))
            offset += len(line)
    return positions


def _output_lines(outputs: Any, locator: _RawLocator) -> list[tuple[str, int | None, int]]:
    """Every line of text a code cell stored as output: streams, results, errors."""
    found: list[tuple[str, int | None, int]] = []
    if not isinstance(outputs, list):
        return found
    for output in outputs:
        if not isinstance(output, dict):
            continue
        texts: list[Any] = [output.get("text")]
        data = output.get("data")
        if isinstance(data, dict):
            texts.extend(value for mime, value in sorted(data.items()) if mime.startswith(("text/", "application/json")))
        traceback = output.get("traceback")
        if isinstance(traceback, list):
            texts.append([str(t) + "\n" for t in traceback])
        for value in texts:
            if isinstance(value, dict):  # application/json holds a JSON value
                value = json.dumps(value)
            parts = _string_list(value)
            if not parts:
                continue
            positions = _raw_positions(parts, locator)
            for index, line in enumerate(_decode_cell_source(parts)):
                raw_string, raw_offset = positions[index] if index < len(positions) else (None, 0)
                found.append((line, raw_string, raw_offset))
    return found


# --- mapping back ------------------------------------------------------------------------------


def _raw_point(module: VirtualModule, source: SourceText, origin: LineOrigin, column0: int) -> tuple[int, int] | None:
    """(1-based line, 1-based column) in the .ipynb text of a character of the notebook."""
    if origin.raw_string is None:
        return None
    column0 = max(0, column0 - origin.shift)
    string_start = origin.raw_string
    # the decoded prefix of the JSON string up to this character, re-encoded as in the file
    decoded = json.loads(_json_string_at(module.raw, string_start))
    prefix = decoded[: origin.raw_offset + column0]
    encoded = json.dumps(prefix, ensure_ascii=False)[:-1]
    if not module.raw.startswith(encoded, string_start):
        encoded = json.dumps(prefix)[:-1]
    offset = string_start + len(encoded)
    line, col = source.position(offset)
    return line, col + 1


def _json_string_at(raw: str, start: int) -> str:
    """The JSON string literal that starts at `start` (a quote)."""
    index = start + 1
    while index < len(raw):
        char = raw[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return raw[start : index + 1]
        index += 1
    return '""'


def _shown_line(shown: str, virtual: str, original: str, shift: int) -> str:
    """The (redacted) line as the user wrote it: the neutralization undone, redaction kept."""
    if shift:
        return shown[shift:] if shown.startswith("#") else shown
    if virtual == original:
        return shown
    same = 0
    while same < min(len(virtual), len(original)) and virtual[same] == original[same]:
        same += 1
    if same + 2 <= len(virtual) and shown.startswith(virtual[: same + 2]):
        # a magic overwritten by `0#` (redaction only ever changes text after it)
        return original[: same + 2] + shown[same + 2 :]
    return shown


def map_finding(finding: Finding, module: VirtualModule, raw_source: SourceText) -> Finding:
    """A finding on the virtual module, placed in the notebook: cell, line within it."""
    origin = module.origin(finding.line)
    if origin is None:
        return replace(finding, fix=None)
    end = module.origin(finding.end_line)
    if end is None or end.cell != origin.cell or end.output != origin.output:
        end_line, end_column = origin.line, len(module.originals[finding.line - 1]) + 1
    else:
        end_line, end_column = end.line, max(1, finding.end_column - end.shift)
    statement_end = module.origin(finding.statement_end_line or finding.line)
    statement_end_line = statement_end.line if statement_end and statement_end.cell == origin.cell else origin.line
    message = finding.message + (OUTPUT_NOTE.format(cell=origin.cell) if origin.output else "")
    original = module.originals[finding.line - 1]
    start_caret, end_caret = finding.caret
    caret = (max(0, start_caret - origin.shift), max(0, end_caret - origin.shift))
    raw_region = None
    try:
        start_point = _raw_point(module, raw_source, origin, finding.column - 1)
        end_origin = end if end is not None and end.cell == origin.cell else origin
        end_point = _raw_point(module, raw_source, end_origin, finding.end_column - 1)
        if start_point is not None:
            raw_region = (*start_point, *(end_point or start_point))
    except (ValueError, IndexError):
        raw_region = None
    source_line = _shown_line(finding.source_line, module.virtuals[finding.line - 1], original, origin.shift)
    return replace(
        finding,
        line=origin.line,
        column=max(1, finding.column - origin.shift),
        end_line=end_line,
        end_column=end_column,
        statement_end_line=statement_end_line,
        cell=origin.cell,
        message=message,
        source_line=source_line,
        caret=caret,
        fix=None,  # fixes are not applied inside notebooks (their edits are in virtual lines)
        raw_region=raw_region,
    )


def analyze_notebook(
    path: str, data: bytes, config: "Config", rule_classes: "Sequence[type[Rule]]"
) -> FileResult:
    """Analyze a notebook: the virtual module through the normal engine, findings mapped back."""
    from linter.engine.analyze import _not_analyzed, analyze_source

    try:
        module = read_notebook(data)
    except NotebookError as exc:
        result = FileResult(path=path, not_analyzed=str(exc))
        if any(rule.code == "AIL000" for rule in rule_classes):
            result.findings.append(_not_analyzed(path, str(exc)))
        # the raw-text secret scan still runs on the bytes, as for any unparseable file
        text_only = tuple(r for r in rule_classes if hasattr(r, "check_text"))
        if text_only:
            raw = analyze_source(path, data, config, text_only, as_python=True)
            result.findings.extend(f for f in raw.findings if f.code != "AIL000")
            result.suppressions = {}
        result.findings.sort(key=Finding.sort_key)
        return result

    result = analyze_source(path, module.text.encode("utf-8", "surrogatepass"), config, rule_classes, as_python=True)
    raw_source = SourceText(module.raw)
    result.findings = sorted((map_finding(f, module, raw_source) for f in result.findings), key=Finding.sort_key)
    # suppression comments: keyed by (cell, line within cell), as findings now are
    suppressions: dict[int, list[str]] = {}
    for line, codes in result.suppressions.items():
        origin = module.origin(line)
        if origin is not None:
            suppressions.setdefault(line_key(origin.cell, origin.line), []).extend(codes)
    result.suppressions = suppressions
    return result
