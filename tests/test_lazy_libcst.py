"""libcst is imported only when a file needs a tree (engine/libcst_loader.py).

These run in fresh interpreters: the test process imported libcst long ago.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def python(code: str, cwd: Path) -> dict:
    """Run `code` in a fresh interpreter; it prints one JSON object."""
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


CHECK = """
    import json, sys
    from linter.cli import main
    sys.argv = ["ailint", "check", "--no-cache", "--format", "json", *{files!r}]
    try:
        main()
    except SystemExit as exit:
        code = exit.code
    from linter.engine import libcst_loader
    print(json.dumps({{
        "code": code,
        "libcst": libcst_loader.is_loaded(),
        "workers": "linter.engine.pool" in sys.modules,
    }}))
"""


def test_files_that_need_no_tree_never_import_libcst(tmp_path: Path) -> None:
    """Nor start a worker: a run of a few files does those in its own process, and hands
    the others (here, a file where a text rule reports) to a worker."""
    (tmp_path / "plain.py").write_text("import json\n\ndef shout(x):\n    return json.dumps(x).upper()\n")
    (tmp_path / "key.py").write_text("api_key = 'q8Zr2LmXcVb7Nw4Ty81'\n")  # a text rule reports: parsed after all
    assert python(CHECK.format(files=["plain.py"]), tmp_path) == {"code": 0, "libcst": False, "workers": False}
    assert python(CHECK.format(files=["plain.py", "key.py"]), tmp_path) == {"code": 1, "libcst": False, "workers": True}


def test_parsing_imports_libcst(tmp_path: Path) -> None:
    result = python(
        """
        import json
        from linter.config import Config
        from linter.engine import libcst_loader
        from linter.engine.analyze import analyze_source
        from linter.rules import select_rules
        source = b"from openai import OpenAI\\n\\nclient = OpenAI(base_url='http://llm.example.com/v1')\\n"
        before = libcst_loader.is_loaded()
        codes = [f.code for f in analyze_source("ask.py", source, Config(), select_rules(None)).findings]
        print(json.dumps({"before": before, "after": libcst_loader.is_loaded(), "codes": codes}))
        """,
        tmp_path,
    )
    assert result == {"before": False, "after": True, "codes": ["AIL201"]}


def test_the_stand_in_gives_way_to_the_real_module(tmp_path: Path) -> None:
    result = python(
        """
        import json, sys, types
        from linter.engine import libcst_loader, semantics
        before = [libcst_loader.is_loaded(), type(semantics.cst).__name__]
        node = libcst_loader.cst.parse_expression("client.chat.completions.create")  # imports libcst
        import libcst
        print(json.dumps({
            "before": before,
            "after": libcst_loader.is_loaded(),
            "rebound": [
                name for name, module in sys.modules.items()
                if name.startswith("linter") and getattr(module, "cst", libcst) is not libcst
            ],
            "works": semantics.dotted_name(node),
        }))
        """,
        tmp_path,
    )
    assert result == {
        "before": [False, "_Deferred"],
        "after": True,
        "rebound": [],
        "works": "client.chat.completions.create",
    }
