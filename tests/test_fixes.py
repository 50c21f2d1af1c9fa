"""Automatic fixes: fixture pairs, idempotence, byte-for-byte preservation, the CLI."""

from __future__ import annotations

import codecs
import difflib
import json
import re
import shutil
from pathlib import Path

import libcst as cst
import pytest

from fixture_harness import FIXTURES
from keygen import fake_keys
from linter.config import Config
from linter.engine.analyze import analyze_source
from linter.engine.fixes import Fix
from linter.fixer import fix_source
from linter.knowledge.ai_sdks import OPENAI_V1_MODULE_METHODS
from linter.rules import select_rules
from test_cli import invoke

RULES = select_rules(None)
KEYS = fake_keys(9)
PAIRS = sorted(FIXTURES.rglob("*.fixed.py"))


def original_of(fixed: Path) -> Path:
    return fixed.with_name(fixed.name.replace(".fixed.py", ".py"))


def fix(text: str, unsafe: bool = True, path: str = "f.py") -> str:
    return fix_source(path, text, Config(), RULES, unsafe)[0]


def findings(text: str, path: str = "f.py"):
    return analyze_source(path, text.encode(), Config(), RULES).findings


def test_there_are_fixture_pairs() -> None:
    assert {p.name for p in PAIRS} >= {
        "api_key_env.fixed.py",
        "credential_env.fixed.py",
        "insecure_endpoint.fixed.py",
        "tls_verification.fixed.py",
        "provider_retention.fixed.py",
        "legacy_openai.fixed.py",
    }


@pytest.mark.parametrize("fixed", PAIRS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_pair(fixed: Path) -> None:
    source = original_of(fixed).read_text(encoding="utf-8")
    expected = fixed.read_text(encoding="utf-8")
    assert fix(source) == expected
    # idempotent: fixing the fixed file changes nothing, and nothing fixable is left
    assert fix(expected) == expected
    assert not [f for f in findings(expected) if f.fix]
    # the fixed findings are gone, the others stay
    before = [f for f in findings(source) if not f.fix]
    after = findings(expected)
    assert [(f.code, f.message) for f in after] == [(f.code, f.message) for f in before]


#: per fixture pair, the rewrites a changed line may show: (old text, new text), once a line
_REWRITES: dict[str, tuple[tuple[str, str], ...]] = {
    "insecure_endpoint": (("http://", "https://"), ("HTTP://", "https://"), ("ws://", "wss://")),
    "tls_verification": (
        *((f"{sep}{kw}=False", "") for kw in ("verify", "ssl", "ssl_verify") for sep in (", ", "")),
        ('"verify": False', ""),
        (', "verify": False', ""),
        (" = False", " = True"),
    ),
    "provider_retention": (("store=True", "store=False"), ('"store": True', '"store": False')),
    "legacy_openai": tuple((f".{old}(", f".{new}(") for old, new in OPENAI_V1_MODULE_METHODS.items()),
}
#: lines a fix may delete whole: an argument alone on its line
_DELETABLE = {"tls_verification": re.compile(r"\s*(verify|ssl|ssl_verify)=False,?\s*(#.*)?\n")}


def _env_rewrite(old: str, new: str) -> bool:
    """A literal replaced by os.environ["..."]: the line around it is untouched."""
    if 'os.environ["' not in new or "os.environ" in old:
        return False
    start = new.index('os.environ["')
    return old[:start] == new[:start] and old.endswith(new[new.index('"]', start) + 2 :])


def _rewritten(stem: str, old: str, new: str) -> bool:
    if stem not in _REWRITES:
        return _env_rewrite(old, new)
    for before, after in _REWRITES[stem]:
        start = old.find(before)
        while start != -1:
            if old[:start] + after + old[start + len(before) :] == new:
                return True
            start = old.find(before, start + 1)
    return False


@pytest.mark.parametrize("fixed", PAIRS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_only_the_fixed_ranges_change(fixed: Path) -> None:
    """Outside the rewritten fragments (and one added `import os` line, or an argument's
    own line), every line is identical."""
    stem = fixed.name.removesuffix(".fixed.py")
    before = original_of(fixed).read_text(encoding="utf-8").splitlines(keepends=True)
    after = fixed.read_text(encoding="utf-8").splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    changed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "insert":
            assert after[j1:j2] == ["import os\n"] and stem not in _REWRITES
        elif tag == "delete":
            assert stem in _DELETABLE and all(_DELETABLE[stem].fullmatch(line) for line in before[i1:i2])
        elif tag == "replace":
            assert i2 - i1 == j2 - j1
            for old, new in zip(before[i1:i2], after[j1:j2]):
                assert _rewritten(stem, old, new), f"unexpected change:\n- {old}+ {new}"
                changed += 1
        else:
            assert tag == "equal"
    assert changed


def test_bytes_outside_the_fix_survive_crlf_bom_tabs_and_no_final_newline() -> None:
    key = KEYS["anthropic"]
    text = (
        "# -*- coding: utf-8 -*-\r\n"
        '"""Dokumentation: Schlüssel."""\r\n'
        "\r\n"
        "import sys\t  # trailing spaces   \r\n"
        f"K = (  '{key}'  )  # note\r\n"
        "x = [1,\r\n\t2]"
    )
    fixed = fix(text)
    assert fixed == text.replace(f"'{key}'", 'os.environ["ANTHROPIC_API_KEY"]').replace(
        "\r\nimport sys", "\r\nimport os\r\nimport sys"
    )
    assert fix(fixed) == fixed


def test_existing_import_is_reused_and_fixes_in_one_file_share_it() -> None:
    text = f'import os.path\nA = "{KEYS["groq"]}"\nB = "{KEYS["xai"]}"\n'
    assert fix(text) == 'import os.path\nA = os.environ["GROQ_API_KEY"]\nB = os.environ["XAI_API_KEY"]\n'


def test_unsafe_fixes_need_the_flag() -> None:
    text = f'A = "{KEYS["groq"]}"\n'
    assert fix(text, unsafe=False) == text
    assert findings(text)[0].fix["applicability"] == "unsafe"


def test_suppressed_findings_are_not_fixed() -> None:
    text = f'A = "{KEYS["groq"]}"  # ailint: ignore[AIL101]\n'
    assert fix(text) == text


def test_cli_fix_writes_and_reruns(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "fixes" / "api_key_env.py", tmp_path / "app.py")
    shutil.copy(FIXTURES / "fixes" / "api_key_env.py", tmp_path / "nb_source.py")
    (tmp_path / "app.py").write_bytes(codecs.BOM_UTF8 + (tmp_path / "app.py").read_bytes())
    before = json.loads(invoke("check", "--format", "json", "app.py", cwd=tmp_path).output)
    fixable = [f for f in before["findings"] if f["fix"]]
    assert fixable and all(f["fix"]["applicability"] == "unsafe" and f["fix"]["edits"] for f in fixable)

    text = invoke("check", "app.py", cwd=tmp_path).output
    assert "hidden fixes can be enabled with the `--unsafe-fixes` option" in text
    marked = invoke("check", "--unsafe-fixes", "app.py", cwd=tmp_path).output
    assert marked.count("[*]") == len(fixable) + 1 and "fixable with the `--fix` option" in marked

    assert invoke("check", "--fix", "app.py", cwd=tmp_path).exit_code == 1  # safe only: nothing to do
    assert (tmp_path / "app.py").read_bytes()[3:] == (FIXTURES / "fixes" / "api_key_env.py").read_bytes()

    result = invoke("check", "--fix", "--unsafe-fixes", "--format", "json", "app.py", cwd=tmp_path)
    after = json.loads(result.stdout)
    assert len(after["findings"]) == len(before["findings"]) - len(fixable)
    data = (tmp_path / "app.py").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data[3:] == (FIXTURES / "fixes" / "api_key_env.fixed.py").read_bytes()


@pytest.mark.parametrize("fixed", PAIRS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_cli_fixes_a_copy_of_each_pair(fixed: Path, tmp_path: Path) -> None:
    """The real CLI: the diff preview shows the change, `--fix --unsafe-fixes` writes the
    `.fixed.py` text, and the report that follows has none of the fixed findings."""
    shutil.copy(original_of(fixed), tmp_path / "app.py")
    before = json.loads(invoke("check", "--format", "json", "app.py", cwd=tmp_path).stdout)["findings"]
    assert [f for f in before if f["fix"]]

    preview = invoke("check", "--diff-fixes", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert preview.exit_code == 1 and (tmp_path / "app.py").read_bytes() == original_of(fixed).read_bytes()
    added = [line[1:] for line in preview.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added
    if fixed.name.removesuffix(".fixed.py") in _REWRITES:  # nothing secret: shown as it is
        assert all(line in fixed.read_text(encoding="utf-8").splitlines() for line in added)

    result = invoke("check", "--fix", "--unsafe-fixes", "--format", "json", "app.py", cwd=tmp_path)
    assert (tmp_path / "app.py").read_bytes() == fixed.read_bytes()
    after = json.loads(result.stdout)["findings"]
    assert not [f for f in after if f["fix"]]
    assert sorted((f["code"], f["message"]) for f in after) == sorted(
        (f["code"], f["message"]) for f in before if not f["fix"]
    )


def test_diff_preview_writes_nothing_and_shows_no_secret(tmp_path: Path) -> None:
    source = (FIXTURES / "fixes" / "credential_env.py").read_text()
    (tmp_path / "app.py").write_text(source)
    result = invoke("check", "--diff-fixes", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert result.exit_code == 1
    assert (tmp_path / "app.py").read_text() == source
    assert "+GATEWAY_TOKEN = os.environ[\"GATEWAY_TOKEN\"]" in result.output
    for secret in ("9f8Kq2LmZx7Wv4Tn3RbYp6", "Hx7Lp2Qw9Zr4Mn8Vb3Kt", "Lp2RwQ8zN4xTk7Vm3Yb6", "Kp3Wz8Lq2Xn7Rv4Mt9Yc"):
        assert secret not in result.output
    keyed = (FIXTURES / "fixes" / "api_key_env.py").read_text()
    (tmp_path / "keys.py").write_text(keyed)
    output = invoke("check", "--diff-fixes", "--unsafe-fixes", "keys.py", cwd=tmp_path).output
    for key in fake_keys(21).values():
        assert key not in output and key[-12:] not in output
    clean = invoke("check", "--diff-fixes", "--unsafe-fixes", "app.py", cwd=tmp_path)  # still unfixed
    assert clean.exit_code == 1


def test_notebooks_are_not_fixed(tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": [f'K = "{KEYS["groq"]}"\n']}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "nb.ipynb").write_text(json.dumps(nb))
    before = (tmp_path / "nb.ipynb").read_text()
    result = invoke("check", "--fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert result.exit_code == 1 and (tmp_path / "nb.ipynb").read_text() == before


def test_fix_refuses_stdin() -> None:
    assert invoke("check", "-", "--fix", input="x = 1\n").exit_code == 2


# --- the fixes of AIL201, AIL202, AIL303, AIL701: the cases that get none ----------------------

NO_FIX = {
    # AIL201: the scheme is not written plainly at the start of a literal (the comment is
    # there for the rule's pre-filter, which reads the raw text)
    "escaped scheme": (
        '# http: docs\nfrom openai import OpenAI\nOpenAI(base_url="\\x68ttp://gpu.corp.example.com/v1")\n', "AIL201"),
    "scheme from a name": (
        '# http: docs\nfrom openai import OpenAI\nS = "http"\nOpenAI(base_url=f"{S}://gpu.corp.example.com/v1")\n',
        "AIL201"),
    "host without a scheme": ('import ollama\nollama.Client(host="gpu.corp.example.com:11434")\n', "AIL201"),
    # AIL202: `False` through a name, shared options, SSL contexts
    "verify from a name": ("import httpx\nV = False\nhttpx.Client(verify=V)\n", "AIL202"),
    "options defined elsewhere": (
        'from langchain_ollama import ChatOllama\nO = {"verify": False}\nChatOllama(model="m", client_kwargs=O)\n',
        "AIL202"),
    "two targets": ("import requests\na = requests.Session()\nb = requests.Session()\na.verify = b.verify = False\n",
                    "AIL202"),
    "check_hostname": ("import ssl\nc = ssl.create_default_context()\nc.check_hostname = False\n", "AIL202"),
    # AIL303: `True` through a name
    "store from a name": ("from openai import OpenAI\nK = True\nOpenAI().responses.create(model='m', input='x', store=K)\n",
                          "AIL303"),
    # AIL701: arguments v1 does not take, coroutines, resources imported by name, no v1 equivalent
    "azure engine": ('import openai\nopenai.ChatCompletion.create(engine="gpt35", messages=[])\n', "AIL701"),
    "api_key argument": ('import openai\nopenai.Embedding.create(model="m", input="x", api_key=k)\n', "AIL701"),
    "retry timeout": ('import openai\nopenai.Completion.create(model="m", prompt="x", timeout=20)\n', "AIL701"),
    "keyword spread": ("import openai\nopenai.ChatCompletion.create(**params)\n", "AIL701"),
    "positional": ('import openai\nopenai.Moderation.create("text")\n', "AIL701"),
    "acreate": ("import openai\nasync def f():\n    await openai.ChatCompletion.acreate(model='m', messages=[])\n",
                "AIL701"),
    "from-import": ("from openai import ChatCompletion\nChatCompletion.create(model='m', messages=[])\n", "AIL701"),
    "edit endpoint": ("import openai\nopenai.Edit.create(model='m', input='x', instruction='y')\n", "AIL701"),
    "api_base configured": (
        'import openai\nopenai.api_base = "https://proxy.example.com/v1"\nopenai.ChatCompletion.create(model="m", messages=[])\n',
        "AIL701"),
    "api_type set in a function": (
        'import openai\nopenai.ChatCompletion.create(model="m", messages=[])\ndef setup():\n    openai.api_type = "azure"\n',
        "AIL701"),
}


@pytest.mark.parametrize("case", sorted(NO_FIX))
def test_findings_without_a_mechanical_fix_get_none(case: str) -> None:
    text, code = NO_FIX[case]
    reported = [f for f in findings(text) if f.code == code]
    assert reported, f"{case}: not reported"
    assert not [f for f in reported if f.fix], f"{case}: offered a fix"
    assert fix(text) == text


def test_loopback_and_allowed_hosts_are_no_findings_so_no_fix() -> None:
    text = 'from openai import OpenAI\nOpenAI(base_url="http://localhost:8000/v1")\nOpenAI(base_url="http://[::1]:8000")\n'
    assert not findings(text) and fix(text) == text


def test_a_shared_endpoint_constant_is_fixed_once_where_it_is_defined() -> None:
    text = (
        'import requests\nfrom openai import OpenAI\nBASE = "http://gpu.corp.example.com"\n'
        'OpenAI(base_url=BASE + "/v1")\nrequests.get(BASE + "/health")\n'
    )
    assert fix(text) == text.replace('"http://gpu', '"https://gpu')


def test_fixes_of_two_rules_in_one_call_both_apply() -> None:
    text = 'import requests\nrequests.get("http://api.corp.example.com/x", verify=False)\n'
    assert fix(text) == 'import requests\nrequests.get("https://api.corp.example.com/x")\n'


def test_legacy_openai_fix_keeps_the_module_alias_and_says_the_response_changes() -> None:
    text = 'import openai as oa\nr = oa.ChatCompletion.create(model="m", messages=[])\nprint(r["choices"])\n'
    (finding,) = findings(text)
    assert "not a dict" in finding.fix["message"] and finding.fix["applicability"] == "unsafe"
    assert fix(text) == text.replace("oa.ChatCompletion.create", "oa.chat.completions.create")
    assert fix(text, unsafe=False) == text


def test_legacy_openai_fix_with_api_key_configuration_makes_it_v1_configuration() -> None:
    """`openai.api_key = ...` configures the v1 module client too: the call is rewritten, and
    the assignment is then no longer the legacy pattern."""
    text = 'import os\nimport openai\nopenai.api_key = os.environ["K"]\nopenai.Completion.create(model="m", prompt="x")\n'
    assert [f.code for f in findings(text)] == ["AIL701", "AIL701"]
    fixed = fix(text)
    assert fixed == text.replace("openai.Completion.create", "openai.completions.create")
    assert findings(fixed) == []


def _removed(code: str, keyword: str) -> str:
    module = cst.parse_module(code)
    node = module.body[0].body[0].value  # type: ignore[attr-defined]
    if isinstance(node, cst.Dict):
        element = next(e for e in node.elements if e.key.value == f'"{keyword}"')
        return module.code_for_node(Fix.remove_element(node, element, "").edits[0].content)  # type: ignore[arg-type]
    arg = next(a for a in node.args if a.keyword and a.keyword.value == keyword)
    return module.code_for_node(Fix.remove_argument(node, arg, "").edits[0].content)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("f(a, verify=False)", "f(a)"),
        ("f(verify=False, a=1)", "f(a=1)"),
        ("f(\n    verify=False,\n)", "f()"),
        ("f(  # keep me\n    verify=False,\n)", "f(  # keep me\n    )"),
        ("f(\n    a=1,  # mine\n    # about verify\n    verify=False,  # corp\n)", "f(\n    a=1,  # mine\n)"),
        ("f(\n    a=1,  # mine\n    verify=False  # corp\n)", "f(\n    a=1,  # mine\n)"),
        ("f(\n    verify=False,  # corp\n    a=1,\n)", "f(\n    a=1,\n)"),
        ('{"a": 1, "verify": False}', '{"a": 1}'),
        ('{\n    "a": 1,  # mine\n    "verify": False,  # corp\n}', '{\n    "a": 1,  # mine\n}'),
        ('{\n    "verify": False,\n}', "{}"),
    ],
)
def test_removing_an_argument_takes_its_line_and_leaves_the_other_comments(code: str, expected: str) -> None:
    keyword = "verify"
    assert _removed(code, keyword) == expected
