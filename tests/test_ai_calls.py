"""The AI-call model (engine/ai_calls.py): what it recognizes as an AI request, and what not."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from linter.config import AiConfig, Config
from linter.engine.ai_calls import AiModel, module_name_for
from linter.engine.credentials import CredentialTracker
from linter.engine.semantics import Semantics
from linter.engine.values import HOLE, host_allowed, split_url
from linter.engine.walker import Dispatcher


def model(source: str, path: str = "app/main.py", config: Config | None = None) -> tuple[AiModel, cst.Module]:
    module = cst.parse_module(textwrap.dedent(source))
    semantics = Semantics(module)
    ai = AiModel(semantics, module, path, config or Config())
    Dispatcher([semantics, CredentialTracker(semantics), ai]).walk(module)
    return ai, module


def calls(source: str, **kwargs) -> list[tuple[str, str, str]]:
    ai, _ = model(source, **kwargs)
    return [(c.provider, c.kind, c.callee) for c in ai.calls]


def roles(source: str) -> list[list[tuple[str, str]]]:
    ai, module = model(source)
    return [[(p.role, module.code_for_node(p.value)) for p in c.prompts] for c in ai.calls]


def test_import_aliases() -> None:
    assert calls(
        """
        import openai as oa
        from openai import OpenAI as Client
        a = oa.OpenAI()
        b = Client()
        a.chat.completions.create(model="m", messages=[])
        b.responses.create(model="m", input="x")
        """
    ) == [("openai", "chat", "a.chat.completions.create"), ("openai", "responses", "b.responses.create")]


def test_module_clients_and_functions_imported_by_name() -> None:
    found = calls(
        """
        import openai, ollama
        import google.generativeai as genai
        from litellm import completion
        openai.chat.completions.create(model="m", messages=[])
        ollama.chat("llama3", [{"role": "user", "content": "hi"}])
        completion("gpt-4o", [])
        genai.embed_content("models/embedding-001", "text")
        """
    )
    assert [f[0] for f in found] == ["openai", "ollama", "litellm", "google"]


def test_a_name_that_is_not_imported_is_not_a_module_client() -> None:
    assert calls("ollama = Box()\nollama.chat('x', [])\n") == []


def test_clients_through_self_class_attributes_and_globals() -> None:
    found = calls(
        """
        from anthropic import AsyncAnthropic
        from langchain_openai import ChatOpenAI
        from openai import OpenAI

        class Bot:
            llm = ChatOpenAI(model="gpt-4o")

            def reply(self, text):
                self.llm.invoke(text)
                return self.client.messages.create(model="m", max_tokens=5, messages=[])

            def __init__(self):
                self.client = AsyncAnthropic()

        def use_global(text):
            return CLIENT.chat.completions.create(model="m", messages=text)

        CLIENT = OpenAI()
        """
    )
    assert found == [
        ("openai", "chat", "self.llm.invoke"),
        ("anthropic", "chat", "self.client.messages.create"),
        ("openai", "chat", "CLIENT.chat.completions.create"),
    ]


def test_clients_from_helper_functions_with_and_annotations() -> None:
    found = calls(
        """
        from functools import lru_cache
        from openai import AsyncOpenAI, OpenAI
        import httpx

        async def main(question):
            client = get_client()
            await client.responses.create(model="m", input=question)
            async with AsyncOpenAI() as scoped:
                await scoped.chat.completions.create(model="m", messages=[])

        def answer(client: OpenAI, question: str):
            return client.chat.completions.create(model="m", messages=[])

        def chained():
            return OpenAI().with_options(timeout=3).embeddings.create(model="m", input="x")

        @lru_cache
        def get_client():
            client = OpenAI(http_client=httpx.Client())
            return client
        """
    )
    assert [c[2] for c in found] == [
        "client.responses.create",
        "scoped.chat.completions.create",
        "client.chat.completions.create",
        "OpenAI().with_options().embeddings.create",
    ]


def test_google_langchain_and_llamaindex_shapes() -> None:
    found = calls(
        """
        from google import genai
        from langchain_core.prompts import ChatPromptTemplate
        from langchain_anthropic import ChatAnthropic
        from llama_index.llms.openai import OpenAI
        import vertexai.generative_models as gm

        client = genai.Client()
        client.models.generate_content(model="m", contents="hi")
        client.aio.models.generate_content(model="m", contents="hi")
        chat = client.chats.create(model="m")
        chat.send_message("hi")
        model = gm.GenerativeModel("gemini-pro")
        model.start_chat().send_message("hi")
        chain = ChatPromptTemplate.from_messages([]) | ChatAnthropic(model="claude").bind_tools([])
        chain.invoke({"q": 1})
        OpenAI(model="gpt-4o").complete("hi")
        """
    )
    assert [c[0] for c in found] == ["google", "google", "google", "google-vertex", "anthropic", "openai"]
    assert "client.chats.create" not in [c[2] for c in found]  # creating a chat session sends nothing


def test_prompt_roles_user_ids_and_store() -> None:
    ai, module = model(
        """
        from openai import OpenAI
        from anthropic import Anthropic
        from google import genai
        OpenAI().responses.create(model="m", instructions=SYSTEM, input=text, user=uid, store=True)
        Anthropic().messages.create(model="m", system="be brief", messages=msgs, metadata={"user_id": h})
        genai.Client().models.generate_content(model="m", contents=q, config={"system_instruction": sysmsg})
        """
    )
    first, second, third = ai.calls
    assert [(p.role, module.code_for_node(p.value)) for p in first.prompts] == [("input", "text"), ("instructions", "SYSTEM")]
    assert [module.code_for_node(u) for u in first.user_ids] == ["uid"]
    assert first.store is not None and first.stores_by_default
    assert [p.role for p in second.prompts] == ["messages", "system"]
    assert [module.code_for_node(u) for u in second.user_ids] == ['{"user_id": h}']
    assert [(p.role, module.code_for_node(p.value)) for p in third.prompts] == [("contents", "q"), ("system", "sysmsg")]


def test_positional_prompts() -> None:
    assert roles(
        """
        import litellm, ollama
        litellm.completion("gpt-4o", history)
        ollama.generate("llama3", "why?")
        """
    ) == [[("messages", "history")], [("prompt", '"why?"')]]


def test_raw_http_to_provider_hosts() -> None:
    ai, module = model(
        """
        import httpx, json, requests
        URL = "https://api.openai.com/v1/chat/completions"
        def ask(q):
            payload = {"model": "gpt-4o", "messages": [{"role": "user", "content": q}], "user": "u1"}
            return requests.post(URL, json=payload, headers=HEADERS)
        def gemini(q):
            return httpx.post(f"https://generativelanguage.googleapis.com/v1beta/models/{M}:generateContent",
                              data=json.dumps({"contents": q}))
        def azure(q):
            with httpx.Client(base_url="https://res.openai.azure.com") as h:
                return h.post("/openai/deployments/d/chat/completions", json={"messages": q})
        def local(q):
            return requests.post("http://localhost:8000/v1/chat/completions", json={"messages": q})
        """
    )
    assert [(c.provider, c.kind, c.method) for c in ai.calls] == [
        ("openai", "raw_http", "chat"),
        ("google", "raw_http", "chat"),
        ("azure-openai", "raw_http", "chat"),
        ("openai-compatible", "raw_http", "chat"),
    ]
    assert [p.role for p in ai.calls[0].prompts] == ["messages"]
    assert len(ai.calls[0].user_ids) == 1
    assert module.code_for_node(ai.calls[1].prompts[0].value) == "q"


def test_non_ai_requests_are_not_ai_calls() -> None:
    ai, _ = model(
        """
        import requests, httpx
        requests.post("https://hooks.slack.com/services/T0/B0", json={"text": "deploy done", "messages": []})
        httpx.get("https://api.github.com/repos/x/y")
        session = requests.Session()
        session.post("https://example.com/api/chat", json={"message": "hi"})
        """
    )
    assert ai.calls == []
    assert len(ai.http_requests) == 3  # still HTTP requests, for the transport rules


def test_unrelated_methods_with_ai_names_are_not_ai_calls() -> None:
    assert calls(
        """
        from openai import OpenAI
        client = OpenAI()
        client.models.list()
        client.files.retrieve("f")
        db.chat.completions.create(messages=[])
        ollama_like.chat("x", [])
        def f(client):
            client.chat.completions.create(messages=[])
        """
    ) == []


def test_rebinding_a_local_forgets_the_client() -> None:
    assert calls(
        """
        from openai import OpenAI
        def f():
            client = OpenAI()
            client = Other()
            client.chat.completions.create(messages=[])
        """
    ) == []


def test_extend_clients_from_configuration() -> None:
    config = Config(ai=AiConfig(extend_clients=("myapp.llm.complete", "myapp.llm.Gateway.ask")))
    found = calls(
        """
        from myapp.llm import complete, Gateway
        from .llm import complete as relative_complete
        complete("hi", user=email)
        Gateway().ask("hi")
        relative_complete("x")
        """,
        path="myapp/views.py",
        config=config,
    )
    assert found == [
        ("custom", "other", "complete"),
        ("custom", "other", "Gateway().ask"),
        ("custom", "other", "relative_complete"),
    ]


def test_is_client() -> None:
    ai, module = model(
        """
        from openai import OpenAI
        import requests
        client = OpenAI()
        session = requests.Session()
        """
    )
    assert ai.is_client(cst.parse_expression("client")) == "openai"
    assert ai.is_client(cst.parse_expression("session")) is None
    assert ai.http_session(cst.parse_expression("session")) == "requests"
    assert ai.is_client(cst.parse_expression("other")) is None


def test_facts_for_cross_module_rules() -> None:
    ai, _ = model(
        """
        from openai import OpenAI
        from .helpers import ask
        import json
        client = OpenAI()

        def handler(q):
            json.dumps(q)
            return ask(q) + local(q)

        def local(q):
            return client.chat.completions.create(model="m", messages=q)

        class Bot:
            def reply(self, q):
                return self.think(q)

            def think(self, q):
                return client.responses.create(model="m", input=q)
        """,
        path="app/views.py",
    )
    facts = ai.facts()
    assert facts["module"] == "app.views"
    # defined functions are module-relative, callees absolute (engine/project.py reads both)
    assert facts["ai_functions"] == {"Bot.think": "client.responses.create", "local": "client.chat.completions.create"}
    assert facts["calls"]["handler"] == ["app.helpers.ask", "app.views.local"]
    assert facts["calls"]["Bot.reply"] == ["app.views.Bot.think"]


def test_method_calls_through_an_instance_name_the_method() -> None:
    ai, _ = model(
        """
        from .bots import Helper
        import requests

        class Bot:
            def think(self, q):
                return q

        def direct(q):
            return Bot().think(q)

        def through_a_name(q):
            bot = Bot()
            return bot.think(q)

        def imported(q):
            return Helper(q).answer()

        def not_a_class(q):
            return requests.get(q).json()
        """,
        path="app/views.py",
    )
    calls = ai.facts()["calls"]
    assert "app.views.Bot.think" in calls["direct"]
    assert "app.views.Bot.think" in calls["through_a_name"]
    assert "app.bots.Helper.answer" in calls["imported"]
    assert not any(c.endswith(".json") for c in calls.get("not_a_class", ()))


def test_self_rebinding_names_do_not_recurse() -> None:
    ai, _ = model(
        """
        from .helpers import *

        def f(x):
            x = x.copy()
            x = x.Update()
            return x.Update().go(len(x)) + ask(x)
        """,
        path="app/views.py",
    )
    calls = ai.facts()["calls"]["f"]
    assert "app.helpers.ask" in calls  # a star import is a candidate for the call graph
    assert "app.helpers.len" not in calls  # builtins are not


def test_module_names_from_paths() -> None:
    assert module_name_for("app/helpers.py") == "app.helpers"
    assert module_name_for("pkg/__init__.py") == "pkg"
    assert module_name_for("./script.py") == "script"


def test_endpoint_resolution() -> None:
    ai, _ = model(
        """
        import os
        from urllib.parse import urljoin
        from openai import OpenAI
        BASE = "http://gpu:8000"
        class C:
            URL = "http://c.example.com/v1"
            def make(self):
                return OpenAI(base_url=self.URL)
        def f(host="h.example.com"):
            path = "/v1"
            OpenAI(base_url=BASE + path)
            OpenAI(base_url=f"http://{host}/v1")
            OpenAI(base_url=urljoin(BASE, "v1"))
            OpenAI(base_url=os.getenv("OPENAI_BASE_URL", "http://e.example.com/v1"))
            OpenAI(base_url="http://%s:%d/v1" % (host, 80))
            OpenAI(base_url="http://{}/v1".format(host))
            OpenAI(base_url=os.environ["X"])
        """
    )
    texts = [e.resolved.text if e.resolved else None for e in ai.endpoints if e.source == "ai_client"]
    assert texts == [
        "http://c.example.com/v1",
        "http://gpu:8000/v1",
        "http://h.example.com/v1",
        "http://gpu:8000/v1",
        "http://e.example.com/v1",
        f"http://{HOLE}:{HOLE}/v1",
        f"http://{HOLE}/v1",
        None,
    ]


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("0.0.0.0", True),
        ("api.localhost", True),
        ("10.0.0.1", False),
        ("localhost.evil.com", False),
        ("example.com", False),
    ],
)
def test_default_allowed_insecure_hosts(host: str, allowed: bool) -> None:
    assert host_allowed(host, Config().transport.allowed_insecure_hosts) is allowed


def test_allowed_hosts_wildcards_and_cidr() -> None:
    assert host_allowed("llm.internal", ["*.internal"])
    assert not host_allowed("internal.example.com", ["*.internal"])
    assert host_allowed("10.1.2.3", ["10.0.0.0/8"])


def test_split_url() -> None:
    url = split_url("HTTP://user:pw@Example.COM:8080/v1?key=1#x")
    assert (url.scheme, url.host, url.port, url.query) == ("http", "example.com", "8080", [("key", "1")])
    assert split_url("/relative/path") is None
    assert split_url("gpu:11434", default_scheme="http").host == "gpu"
    assert split_url(f"http://{HOLE}/v1").host is None


def test_hostile_nesting_is_not_a_crash() -> None:
    from linter.engine.analyze import analyze_source
    from linter.rules import select_rules

    source = "\n".join(
        [
            "from openai import OpenAI",
            "from langchain_openai import ChatOpenAI",
            "llm = ChatOpenAI()",
            "OpenAI(base_url=" + "+".join(['"http://a"'] * 1500) + ")",
            "OpenAI(base_url=" + " ".join(['"http://b"'] * 1500) + ")",
            "chain = " + " | ".join(["llm"] * 1500),
            "chain.invoke(1)",
        ]
    )
    rules = select_rules(["AIL0", "AIL2", "AIL3", "AIL7"])
    result = analyze_source("hostile.py", source.encode(), Config(), rules)
    assert result.not_analyzed or any(f.code == "AIL201" for f in result.findings)
