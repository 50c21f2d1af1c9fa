"""The log-call recognizer (engine/logs.py) and the "ai_request" label (engine/payload_flow.py)."""

from __future__ import annotations

import textwrap

from linter.config import Config
from linter.engine.analyze import analyze_source
from linter.rules import all_rules

AIL5 = [rule for rule in all_rules() if rule.code.startswith("AIL5")]


def codes(code: str) -> list[tuple[int, str]]:
    result = analyze_source("m.py", textwrap.dedent(code).encode(), Config(), AIL5)
    return [(f.line, f.code) for f in result.findings]


def test_sibling_of_a_prompt_field_is_not_the_prompt():
    assert codes('''
        import logging
        from openai import OpenAI
        log = logging.getLogger(__name__)
        client = OpenAI()
        def ask(body):
            log.info("user %s", body["user_ref"])
            log.info("body %s", body)
            log.info("q %s", body["q"])
            return client.responses.create(model="m", input=body["q"])
    ''') == [(8, "AIL502"), (9, "AIL502")]


def test_prompt_built_by_a_helper_of_the_module():
    assert codes('''
        import logging
        from openai import OpenAI
        log = logging.getLogger(__name__)
        client = OpenAI()
        def build(question, tag):
            return [{"role": "user", "content": question}]
        def ask(question, tag):
            log.info("tag %s", tag)
            log.info("question %s", question)
            return client.chat.completions.create(model="m", messages=build(question, tag))
    ''') == [(10, "AIL502")]


def test_not_loggers():
    assert codes('''
        import math
        import numpy as np
        def f(email):
            return math.log(email), np.log(email), print(email)
    ''') == []
