"""The pre-filter's vocabulary tests are sound: where one says "cannot", the engine agrees.

Each test walks the AI-call model over every fixture and every source file of ailint and
its tests — files that make AI requests, that only talk about them, and that do neither —
and checks a pre-filter verdict against what the model actually finds. (The end-to-end
guarantee, identical findings with and without the pre-filter, is in test_determinism.py.)
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from linter.config import Config
from linter.engine.ai_calls import AiModel
from linter.engine.semantics import Semantics
from linter.engine.walker import Dispatcher
from linter.engine.credentials import CredentialTracker
from linter.knowledge.ai_sdks import may_request_ai, may_send_request, may_use_legacy_api
from linter.knowledge.credentials import may_use_credential
from linter.knowledge.logging_sinks import may_log

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    p for folder in ("fixtures", "tests", "linter") for p in (ROOT / folder).rglob("*.py") if p.stat().st_size < 400_000
)


def model_of(path: Path, text: str, with_text: bool, credentials: list | None = None) -> AiModel | None:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return None
    semantics = Semantics(module)
    display = path.relative_to(ROOT).as_posix()
    model = AiModel(semantics, module, display, Config(), text if with_text else None)
    tracker = CredentialTracker(semantics)
    Dispatcher([semantics, model, tracker]).walk(module)
    if credentials is not None:
        credentials.extend(tracker.uses)
    return model


def summary(model: AiModel) -> tuple:
    return (
        [(c.provider, c.callee, c.kind, c.method) for c in model.calls],
        [(c.provider, c.family, c.callee) for c in model.constructions],
        [(r.library, r.callee) for r in model.http_requests],
        len(model.endpoints),
        model.facts(),
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_ai_vocabulary_is_sound(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    credentials: list = []
    model = model_of(path, text, with_text=True, credentials=credentials)
    if model is None:
        return
    if not may_request_ai(text, text.lower()):
        assert model.calls == [], "an AI request in a file the pre-filter calls AI-free"
        assert not [c for c in model.constructions if c.provider != "http"], "an AI client in an AI-free file"
    if not may_send_request(text, text.lower()):
        assert model.http_requests == [] and model.constructions == [], "a request in a request-free file"
        assert model.endpoints == [], "an endpoint in a file the pre-filter calls request-free"
    if not may_use_credential(display := path.name, text, text.lower()):
        assert credentials == [], f"a credential use in {display}, which names no credential"
    # telling the model the text (so that it skips client lookups where none can exist)
    # changes nothing it finds
    reference = model_of(path, text, with_text=False)
    assert reference is not None
    assert summary(model) == summary(reference)


def log_calls(text: str, path: str = "m.py") -> list[str]:
    """The log calls the engine keeps in `text` (a bare `print` only in a request handler)."""
    from linter.engine.context import FileContext
    from linter.engine.logs import LogTracker
    from linter.engine.routes import RouteTracker
    from linter.engine.source import SourceText

    module = cst.parse_module(text)
    ctx = FileContext(path, SourceText(text), Config(), module)
    ctx.routes = RouteTracker(ctx)
    ctx.logs = LogTracker(ctx)
    Dispatcher([ctx.semantics, ctx.routes, ctx.logs]).walk(module)
    return [call.sink for call in ctx.logs.calls]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_log_call_test_is_sound(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    display = path.relative_to(ROOT).as_posix()
    try:
        calls = log_calls(text, display)
    except cst.ParserSyntaxError:
        return
    if calls:
        assert may_log(display, text, text.lower()), f"log calls {calls[:3]} in a file the pre-filter calls log-free"


@pytest.mark.parametrize(
    "code",
    [
        "import logging\nlogger = logging.getLogger(__name__)\nlogger.info('%s', x)\n",
        "import logging\nlog = logging.getLogger()\n(log\n  .warning  # why\n)(x)\n",
        "import logging\nlogger = logging.getLogger()\nlogger . error \\\n  (x)\n",
        "import logging\nlogger = logging.getLogger()\nlogger.\\\nexception(x)\n",
        "import logging\nlogger = logging.getLogger()\n(logger.  # c\n  # d\n  critical)(x)\n",
        "from loguru import logger\nlogger.success(x)\n",
        "import structlog\nlog = structlog.get_logger()\nasync def f():\n    await log.ainfo('e', user=x)\n",
        "from warnings import warn as w\nimport warnings\nw(x)\n",
        "def log_event(x):\n    with open('audit.txt', 'a') as f:\n        f.write(x)\n",
        "import json\ndef record(x, f):\n    json.dump(x, f)\n",
        "print(x, file=f)\n",
        "from flask import Flask, request\napp = Flask(__name__)\n@app.post('/chat')\ndef chat():\n    print(request.json)\n",
        "class Store:\n    def writeAuditRecord(self, x):\n        self.f = open('a.log', mode='a')\n        self.f.write(x)\n",
        # old Mac line breaks, with a comment inside the call
        "import logging\rlogger = logging.getLogger()\r(logger.info  # c\r)(x)\r",
        "import logging\rlogger = logging.getLogger()\r(logger.  # c\r info)(x)\r",
        # a form feed after `def`; identifier characters `\\w` does not match
        "import json\ndef\flog_event(x, f):\n    json.dump(x, f)\n",
        "import json\ndef \\\n\flog_it(x, f):\n    json.dump(x, f)\n",
        "import json\ndef \u0932\u093f\u0916\u094b_log(x, f):\n    json.dump(x, f)\n",
        "import json\ndef e\u0301_log_event(x, f):\n    json.dump(x, f)\n",
        "import json\ndef x\u203f_log(x, f):\n    json.dump(x, f)\n",
    ],
)
def test_log_calls_written_oddly_are_seen(code: str) -> None:
    assert log_calls(code), "the spelling is not a log call to the tracker: fix the example"
    assert may_log("m.py", code, code.lower())


@pytest.mark.parametrize(
    "code",
    [
        "import logging\nlogger = logging.getLogger(__name__)\n",  # a logger never called
        "catalog = {'record_count': 1}\n",
        "def get_log_path(): return '/var/log/app'\n",
        "x.information(1)\nfingerprint(x)\n",
        'def ask(llm, x):\n    """Example: `print(llm.invoke(x))`, then `json.dump` the log."""\n',
    ],
)
def test_files_that_only_talk_about_logs_are_log_free(code: str) -> None:
    assert not log_calls(code)
    assert not may_log("m.py", code, code.lower())


def test_the_vocabulary_needs_every_part_of_a_name() -> None:
    assert may_request_ai("from openai import OpenAI\n", "from openai import openai\n")
    assert may_request_ai("from langchain_openai import ChatOpenAI\n", "")
    # a LangChain integration module that never names a model client
    text = "from langchain_core.language_models import BaseLLM\nfrom langchain_core.utils import get_from_env\n"
    assert not may_request_ai(text, text.lower())
    # names are case-sensitive: prose about Anthropic is not its client
    text = "# This module talks about anthropic models\nclass Anthropic:\n    pass\n"
    assert not may_request_ai("# talks about anthropic\n", "# talks about anthropic\n")
    assert may_request_ai(text + "import anthropic\n", "")
    # a URL naming a provider host counts, in any case
    assert may_request_ai('URL = "HTTPS://API.OPENAI.COM/v1/x"\n', 'url = "https://api.openai.com/v1/x"\n')


def test_plain_http_requests_are_requests() -> None:
    text = "import requests\nrequests.get(url, params={'key': k})\n"
    assert may_send_request(text, text.lower()) and not may_request_ai(text, text.lower())
    text = "import os\nos.environ['OPENAI_BASE_URL'] = 'http://x'\n"
    assert may_send_request(text, text.lower())
    # a file that only mentions keys and params sends nothing
    text = "def build(params, key=None):\n    return {**params, 'key': key}\n"
    assert not may_send_request(text, text.lower())


def test_legacy_names_need_every_part() -> None:
    assert may_use_legacy_api("a.py", "import openai\nopenai.ChatCompletion.create()\n", "")
    assert may_use_legacy_api("a.py", "from langchain.llms import OpenAI\n", "")
    assert not may_use_legacy_api("a.py", "from langchain_core.runnables import Runnable\n", "")


# --- the hand-written scans equal the plain regular expressions they replace -------------------

import re  # noqa: E402

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from linter.knowledge.credentials import _KEY_QUALIFIERS, may_use_credential  # noqa: E402
from linter.knowledge.keys import _KEY_CHARS, STANDALONE_FORMATS, may_hold_key  # noqa: E402

#: the one-regex forms: slower, obviously right
CREDENTIAL_REFERENCE = re.compile(
    r"(?:(?:" + "|".join(sorted(_KEY_QUALIFIERS)) + r")[_\-.\s:/]*key|apikey|token|secret|passwd|password|pwd"
    r"|passphrase|credentials?|(?:basic|http)[_\-.\s:/]*auth|authorization)(?![A-Za-z0-9])",
    re.IGNORECASE,
)
PREFIXES = sorted({f.prefix for f in STANDALONE_FORMATS if f.prefix} | {"AKIA", "ASIA", "ABIA", "ACCA", "A3T"})
KEY_REFERENCE = re.compile(f"(?<![{_KEY_CHARS}])(?:" + "|".join(map(re.escape, PREFIXES)) + ")")

WORDS = ["key", "Key", "KEY", "api", "apikey", "token", "secret", "auth", "basic", "http", "password", "passwd",
         "pwd", "passphrase", "credential", "credentials", "authorization", "client", "id", "max", "monkey",
         "tokens", "_", "-", ".", ":", "/", " ", "\t", "\n", "x", "9", "s", *PREFIXES, *(p.lower() for p in PREFIXES)]
#: a qualifier (or not), separators, then the word it qualifies: the shapes the scan decides
qualified = st.tuples(
    st.sampled_from(sorted(_KEY_QUALIFIERS) + ["basic", "http", "HTTP", "Api", "max", "pad", "x", ""]),
    st.text(alphabet="_-.:/ \t\n\u00a0x", max_size=3),
    st.sampled_from(["key", "Key", "KEY", "keys", "auth", "Auth", "author", "authorization", "token", "tokens"]),
    st.sampled_from(["", "_", "s", "9", " ", "."]),
).map("".join)
texts = st.lists(st.one_of(st.sampled_from(WORDS), qualified), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_the_credential_scan_equals_its_regular_expression(text: str) -> None:
    assert may_use_credential("f.py", text, text.lower()) == bool(CREDENTIAL_REFERENCE.search(text))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_the_key_prefix_scan_equals_its_regular_expression(text: str) -> None:
    assert may_hold_key("f.py", text, text.lower()) == bool(KEY_REFERENCE.search(text))


@pytest.mark.parametrize("path", FILES[::7], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_scans_agree_on_real_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert may_use_credential("f.py", text, text.lower()) == bool(CREDENTIAL_REFERENCE.search(text))
    assert may_hold_key("f.py", text, text.lower()) == bool(KEY_REFERENCE.search(text))


# --- find_keys: the prefix-first scan finds what one alternation of every format finds --------

from keygen import fake_keys  # noqa: E402
from linter.knowledge.keys import KEY_FORMATS, find_keys, is_placeholder  # noqa: E402

ALTERNATION = re.compile(
    "|".join(
        f"(?P<k{i}>(?<![{_KEY_CHARS}]){re.escape(f.prefix)}{f.pattern}(?![{_KEY_CHARS}]))"
        for i, f in enumerate(KEY_FORMATS)
        if not f.context_only
    )
)


def reference_keys(text: str) -> list[tuple[str, int, int]]:
    found = []
    for match in ALTERNATION.finditer(text):
        key_format = KEY_FORMATS[int(match.lastgroup[1:])]  # type: ignore[index]
        if not is_placeholder(match.group(), key_format):
            found.append((key_format.provider, match.start(), match.end()))
    return found


KEY_PIECES = [*fake_keys(5).values(), "_", "-", " ", "x", "=", '"', "A", "sk-", "AKIA", "ABSK", "pa-", "\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(KEY_PIECES), max_size=8).map("".join))
def test_find_keys_equals_the_alternation(text: str) -> None:
    assert [(k.provider, k.start, k.end) for k in find_keys(text)] == reference_keys(text)


@pytest.mark.parametrize("path", FILES[::5], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_find_keys_agrees_on_real_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert [(k.provider, k.start, k.end) for k in find_keys(text)] == reference_keys(text)


# --- mentions_any: the grouped scan equals "every part of one term occurs" -------------------

from linter.knowledge.ai_sdks import AI_NAME_TERMS, LEGACY_API_TERMS, REQUEST_NAME_TERMS, mentions_any  # noqa: E402

_ALL_PARTS = sorted({part for terms in (AI_NAME_TERMS, LEGACY_API_TERMS, REQUEST_NAME_TERMS) for t in terms for part in t})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALL_PARTS + [" ", ".", "import ", "x"]), max_size=10).map("".join))
def test_the_grouped_name_scan_equals_the_plain_one(text: str) -> None:
    for terms in (AI_NAME_TERMS, LEGACY_API_TERMS, REQUEST_NAME_TERMS):
        assert mentions_any(terms, text) == any(all(part in text for part in term) for term in terms)


def test_short_random_key_bodies_are_not_taken_for_placeholders() -> None:
    """16 random base-32 characters (an AWS key id) have under 3.0 bits of entropy per
    character once in 300, and three x's in a row once in 2,300; such a key is still a key
    (hypothesis found seed 580)."""
    missed = [key for key in (fake_keys(seed)["aws"] for seed in range(3000)) if not find_keys(key)]
    assert missed == []


# --- the credential rules' literal gate reads every literal they report ----------------------

from linter.engine import analyze  # noqa: E402
from linter.engine.semantics import concatenation_parts, literal_string  # noqa: E402
from linter.engine.source import compile_quietly, string_literals  # noqa: E402
from linter.knowledge.credentials import may_be_credential_literal  # noqa: E402
from linter.knowledge.keys import looks_like_secret, match_context_key  # noqa: E402
from linter.rules import all_rules  # noqa: E402


class _Literals:
    """libcst's literal values, as the credential rules read them: every node
    `literal_string` gives a value for, and the joined ones AIL101 scans for keys."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.joined: list[str] = []

    def _add(self, node: cst.CSTNode, joined: bool) -> None:
        value = literal_string(node)
        if value is not None and not any(isinstance(n, cst.FormattedString) for n in concatenation_parts(node)):
            self.values.append(value)
            if joined:
                self.joined.append(value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._add(node, False)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        self._add(node, True)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Add):
            self._add(node, True)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_literal_gate_reads_the_literals_the_credential_rules_report(path: Path) -> None:
    """`string_literals` (CPython's parse) has every literal value libcst's has, and
    `may_be_credential_literal` passes each one AIL101 or AIL102 could report."""
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        module, tree = cst.parse_module(text), compile_quietly(text)
    except (cst.ParserSyntaxError, SyntaxError, ValueError):
        return  # where CPython cannot parse, the gate reads nothing and the file is parsed
    gate = [value for value in string_literals(tree) if value is not None]
    literals, semantics = _Literals(), Semantics(module)
    tracker = CredentialTracker(semantics)
    Dispatcher([semantics, tracker, literals]).walk(module)
    for value in literals.values:  # each libcst literal lies within one the gate reads
        assert any(value in whole for whole in gate), value
    for value in literals.joined:
        if find_keys(value):  # AIL101 on a concatenation
            assert any(value in whole and may_be_credential_literal(whole) for whole in gate), value
    for use in tracker.uses:
        literal, value = use.literal, literal_string(use.value)
        if literal is None or value is None or value not in literals.values:
            continue  # not a literal, or one with an f-string (which opens the gate)
        if (find_keys(literal) or match_context_key(literal, use.context)
                or looks_like_secret(literal, min_length=8 if use.password else 16)):
            assert value in gate and may_be_credential_literal(value), value


_CREDENTIAL_RULES = [rule for rule in all_rules() if rule.code in ("AIL000", "AIL101", "AIL102")]
_USES = [
    "api_key = {}", "client = Client(token={})", "headers = {{'Authorization': {}}}", "s['x-api-key'] = {}",
    "os.environ['COHERE_API_KEY'] = {}", "def f(password={}): pass", "x = os.getenv('MISTRAL_API_KEY', {})",
    "DEEPSEEK_API_KEY: str = {}", "azure_api_key = {}", "LABEL = {}  # api_key",
]
_KEYS = fake_keys(7)
_PIECES = [
    *_KEYS.values(), *(k[: len(k) // 2] for k in _KEYS.values()), *(k[len(k) // 2:] for k in _KEYS.values()),
    "q8Zr2LmXcVb7Nw4Ty81", "q8Zr2", "LmXc", "Vb7Nw4Ty81", "Bearer ", "bearer\t", " ", "ACC", "s", "k-proj-",
    "0123456789abcdef0123456789abcdef", "Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5kL7", "deepseek", "your-api-key-here",
    "\\x41", "\\u00e9", "\\n", "{{", "}}", "{x}", "é", "pw0rd!", "hunter2x",
]
_literal = st.tuples(st.sampled_from(["", "", "b", "r", "f", "u", "rb"]), st.lists(st.sampled_from(_PIECES), max_size=3))
_expressions = st.tuples(
    st.lists(_literal.map(lambda p: f"{p[0]}'{''.join(p[1])}'"), min_size=1, max_size=4),
    st.lists(st.sampled_from([" ", " + ", "\n    ", " + name + "]), min_size=3, max_size=3),
    st.booleans(),
).map(lambda e: "(" * e[2] + "".join(piece + sep for piece, sep in zip(e[0], e[1] + [""])).rstrip(" +\n") + ")" * e[2])


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")  # generated `"\d"`
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_USES), _expressions)
# a key whose prefix no raw text shows, in pieces too short to be secrets, in a value that
# is no secret as a whole
@example("LABEL = {}  # api_key", "'note: s' 'k-proj-' + " + " + ".join(
    repr(_KEYS["openai_project"][i:i + 7]) for i in range(8, len(_KEYS["openai_project"]), 7)))
@example("headers = {{'Authorization': {}}}", "'Bearer ' + 'q8Zr2LmXcVb7Nw4Ty81'")
def test_the_literal_gate_changes_no_finding(use: str, expression: str) -> None:
    """One credential use of a generated literal: split keys, escapes, bytes, f-strings,
    auth schemes, `+` with and without names between: the same findings with the gate."""
    from linter.config import Config

    source = f"import os\n{use.format(expression)}\n".encode("utf-8")
    results = []
    for prefilter in (True, False):
        analyze.PREFILTER = prefilter
        try:
            result = analyze.analyze_source("m.py", source, Config(), _CREDENTIAL_RULES)
        finally:
            analyze.PREFILTER = True
        results.append([f.to_dict() for f in result.findings])
    assert results[0] == results[1]
