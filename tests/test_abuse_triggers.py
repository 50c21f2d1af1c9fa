"""The pre-filter contract of the AIL4 rules: a file whose text none of AIL401's triggers
match defines no request handler and configures no global limit (the project phase
completes its other facts on demand), and a facts-only analysis (no rules) still runs the
engine trackers."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixture_harness import FIXTURES
from linter.config import Config
from linter.engine.analyze import analyze_source, triggered
from linter.rules.abuse.unthrottled_ai_endpoint import UnthrottledAiEndpoint
from linter.rules.abuse.unthrottled_ai_fan_out import UnthrottledAiFanOut

#: the facts only a triggered file may hold: where the project phase starts and what limits globally
TRIGGERED_FACTS = ("handlers", "global_limiters", "limited_receivers")
FILES = sorted(FIXTURES.rglob("*.py"))


def ail401_fires_on(path: str, text: str) -> bool:
    return bool(triggered([UnthrottledAiEndpoint], text, (), path))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_untriggered_files_carry_no_handler_or_limiter_facts(path: Path) -> None:
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    display = path.relative_to(FIXTURES).as_posix()
    facts = analyze_source(display, data, Config(), ()).facts
    if any(facts.get(key) for key in TRIGGERED_FACTS):
        assert ail401_fires_on(display, text), f"{path.name}: facts a pre-filter would lose"


@pytest.mark.parametrize(
    "path, text",
    [
        ("app/api.py", "from app.main import app\n\n@app.post('/chat')\ndef chat(q):\n    return q\n"),
        ("app/api.py", "from .main import router\n\n@router.get(\n    \"/chat\",\n)\ndef chat(q):\n    return q\n"),
        ("app/api.py", "from flask.views import MethodView\nclass Chat(MethodView):\n    def post(self):\n        pass\n"),
        ("app/api.py", "def chat(q):\n    return q\n\nbp.add_url_rule('/chat', 'chat', chat)\n"),
        ("app/views.py", "def chat(request):\n    return request\n"),
        ("app/views/chat.py", "def chat(request):\n    return request\n"),
    ],
)
def test_handler_shapes_trigger_ail401(path: str, text: str) -> None:
    assert analyze_source(path, text.encode(), Config(), ()).facts.get("handlers")
    assert ail401_fires_on(path, text)


@pytest.mark.parametrize(
    "path, text",
    [
        ("lib/util.py", "import json\n\ndef helper(x):\n    return json.dumps(x)\n"),
        ("lib/llm.py", "from openai import OpenAI\n\ndef ask(q):\n    return OpenAI().responses.create(model='m', input=q)\n"),
        ("lib/cache.py", "@functools.cache\ndef load(name):\n    return open(name).read()\n"),
    ],
)
def test_library_code_does_not_trigger_ail401(path: str, text: str) -> None:
    assert not ail401_fires_on(path, text)


def test_facts_only_analysis_runs_the_engine_trackers() -> None:
    source = (
        b"from fastapi import FastAPI\nfrom slowapi.middleware import SlowAPIMiddleware\nfrom openai import OpenAI\n"
        b"app = FastAPI()\napp.add_middleware(SlowAPIMiddleware)\nclient = OpenAI()\n\n"
        b"@app.post('/chat')\ndef chat(q: str):\n    return helper(q)\n\n"
        b"def helper(q):\n    return client.responses.create(model='m', input=q)\n"
    )
    facts = analyze_source("app/main.py", source, Config(), ()).facts
    assert facts["handlers"][0]["name"] == "chat"
    assert facts["ai_functions"] == {"helper": "client.responses.create"}
    assert facts["calls"]["chat"] == ["app.main.helper"]
    assert facts["global_limiters"]


def test_a_limiter_only_module_triggers_ail401() -> None:
    text = "from app.main import app\nfrom slowapi.middleware import SlowAPIMiddleware\napp.add_middleware(SlowAPIMiddleware)\n"
    assert "def " not in text
    assert ail401_fires_on("app/limits.py", text)


def test_ail402_triggers_cover_its_fixtures() -> None:
    for path in (FIXTURES / "abuse").rglob("*.py"):
        text = path.read_text()
        if "expect: AIL402" in text:
            assert triggered([UnthrottledAiFanOut], text, (), path.as_posix())
