"""AIL000: the engine could not analyze a file."""

from __future__ import annotations

from linter.rules.base import Rule


class FileNotAnalyzed(Rule):
    """What it does:
    Reports a file that ailint could not read, decode or parse, with the reason
    (a syntax error and where it is, an undecodable byte, a binary file, a file too
    large or too deeply nested for the parser, analysis that ran out of time).

    Why is this bad:
    A file that is not analyzed is a file where no other rule can find anything: a
    clean report would be a false reassurance. The raw-text secret scan (AIL101) still
    runs on such files.

    Example:
        def broken(:
            pass

    Use instead:
    Fix the syntax error, declare the file's encoding (`# -*- coding: latin-1 -*-`), or
    exclude generated and binary files in `[tool.ailint] exclude`.

    Fix:
    None automatic.

    Options:
    `exclude`, `extend-exclude`.

    References:
    - PEP 263 – Defining Python Source Code Encodings
    """

    code = "AIL000"
    name = "file-not-analyzed"
    summary = "The file could not be read or parsed; says why"
    severity = "warning"
    security_severity = 2.0
    hint = "fix the file or exclude it; the raw-text secret scan still ran on it"
