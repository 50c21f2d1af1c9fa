"""The pre-filter contract of the AIL4 rules: a file whose text none of AIL401's triggers
match holds none of the facts the project phase reads, and a facts-only analysis (no rules)
still runs the engine trackers."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixture_harness import FIXTURES
from linter.config import Config
from linter.engine.analyze import analyze_source
from linter.rules.abuse.unthrottled_ai_endpoint import UnthrottledAiEndpoint
from linter.rules.abuse.unthrottled_ai_fan_out import UnthrottledAiFanOut

PROJECT_FACTS = ("handlers", "calls", "ai_functions", "global_limiters", "limited_receivers", "limited_functions")
FILES = sorted(FIXTURES.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_untriggered_files_carry_no_project_facts(path: Path) -> None:
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    facts = analyze_source(path.relative_to(FIXTURES).as_posix(), data, Config(), ()).facts
    if not any(trigger in text for trigger in UnthrottledAiEndpoint.triggers):
        assert not any(facts.get(key) for key in PROJECT_FACTS), f"{path.name}: facts a pre-filter would lose"


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
    assert any(trigger in text for trigger in UnthrottledAiEndpoint.triggers)


def test_ail402_triggers_cover_its_fixtures() -> None:
    for path in (FIXTURES / "abuse").rglob("*.py"):
        text = path.read_text()
        if "expect: AIL402" in text:
            assert any(trigger in text for trigger in UnthrottledAiFanOut.triggers)
