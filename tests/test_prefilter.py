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
from linter.knowledge.ai_sdks import may_request_ai, may_use_legacy_api

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    p for folder in ("fixtures", "tests", "linter") for p in (ROOT / folder).rglob("*.py") if p.stat().st_size < 400_000
)


def model_of(path: Path, text: str, with_text: bool) -> AiModel | None:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return None
    semantics = Semantics(module)
    display = path.relative_to(ROOT).as_posix()
    model = AiModel(semantics, module, display, Config(), text if with_text else None)
    Dispatcher([semantics, model]).walk(module)
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
    model = model_of(path, text, with_text=True)
    if model is None:
        return
    if not may_request_ai(text, text.lower()):
        assert model.calls == [], "an AI request in a file the pre-filter calls AI-free"
        assert not [c for c in model.constructions if c.provider != "http"], "an AI client in an AI-free file"
    # telling the model the text (so that it skips client lookups where none can exist)
    # changes nothing it finds
    reference = model_of(path, text, with_text=False)
    assert reference is not None
    assert summary(model) == summary(reference)


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


def test_legacy_names_need_every_part() -> None:
    assert may_use_legacy_api("a.py", "import openai\nopenai.ChatCompletion.create()\n", "")
    assert may_use_legacy_api("a.py", "from langchain.llms import OpenAI\n", "")
    assert not may_use_legacy_api("a.py", "from langchain_core.runnables import Runnable\n", "")
