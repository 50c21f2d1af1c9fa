"""The project phase (engine/project.py) on hand-built facts: modules, the cross-module call
graph, global limiters, and completing a single-file run's facts from the project."""

from __future__ import annotations

from pathlib import Path

from linter.engine.project import ProjectIndex, ai_functions_of, calls_of, module_parts


def handler(name: str, **extra) -> dict:
    return {"name": name, "framework": "fastapi", **extra}


def test_module_parts() -> None:
    assert module_parts("src/app/llm.py") == ("src", "app", "llm")
    assert module_parts("app/llm/__init__.py") == ("app", "llm")
    assert module_parts("./main.py") == ("main",)
    assert module_parts("pkg\\mod.pyi") == ("pkg", "mod")


def test_fact_adapters_accept_lists_and_maps() -> None:
    assert ai_functions_of({"ai_functions": ["ask"]}) == {"ask": "an AI request"}
    assert ai_functions_of({"ai_functions": {"ask": "client.chat.completions.create"}}) == {
        "ask": "client.chat.completions.create"
    }
    assert calls_of({"calls": [["a", "b"], ["a", "c"]]}) == {"a": ["b", "c"]}
    assert calls_of({}) == {}


def test_handler_reaches_ai_through_two_modules() -> None:
    index = ProjectIndex(
        {
            "proj/app/routes/chat.py": {
                "handlers": [handler("chat", route="/chat", receiver="router")],
                "calls": {"chat": ["app.services.answer.answer", "len"]},
            },
            "proj/app/services/answer.py": {"calls": {"answer": [".llm.complete"]}},
            "proj/app/services/llm.py": {
                "calls": {"complete": ["openai.OpenAI"]},
                "ai_functions": {"complete": "client.chat.completions.create"},
            },
        }
    )
    verdict = index.verdicts()[("proj/app/routes/chat.py", "chat")]
    assert verdict.chain == ("chat", "services.answer.answer", "services.llm.complete")
    assert verdict.ai_call == "client.chat.completions.create"
    assert verdict.covered_by is None


def test_handler_that_reaches_no_ai_has_no_verdict() -> None:
    index = ProjectIndex(
        {
            "app/routes.py": {"handlers": [handler("health")], "calls": {"health": ["app.db.ping"]}},
            "app/db.py": {"calls": {"ping": []}},
            "app/llm.py": {"ai_functions": ["ask"]},
        }
    )
    assert index.verdicts() == {}


def test_local_calls_nested_and_methods() -> None:
    index = ProjectIndex(
        {
            "views.py": {
                "handlers": [handler("ChatView.post"), handler("outer")],
                "calls": {
                    "ChatView.post": ["self._ask"],
                    "ChatView._ask": ["client.chat.completions.create"],
                    "outer": ["inner"],
                    "outer.inner": ["helper"],
                    "helper": [],
                },
                "ai_functions": ["ChatView._ask", "helper"],
            }
        }
    )
    verdicts = index.verdicts()
    assert verdicts[("views.py", "ChatView.post")].chain == ("ChatView.post", "ChatView._ask")
    assert verdicts[("views.py", "outer")].chain == ("outer", "outer.inner", "helper")


def test_relative_imports_and_package_reexports() -> None:
    index = ProjectIndex(
        {
            "app/api/chat.py": {"handlers": [handler("chat")], "calls": {"chat": ["..llm.ask"]}},
            "app/llm/__init__.py": {"imports": {"ask": ".client.ask"}},
            "app/llm/client.py": {"ai_functions": ["ask"]},
        }
    )
    assert index.verdicts()[("app/api/chat.py", "chat")].chain == ("chat", "llm.client.ask")


def test_limited_function_on_the_path_stops_it() -> None:
    facts = {
        "app/routes.py": {"handlers": [handler("chat")], "calls": {"chat": ["app.llm.ask"]}},
        "app/llm.py": {"ai_functions": ["ask"], "limited_functions": {"ask": "ratelimit `@limits`"}},
    }
    assert ProjectIndex(facts).verdicts() == {}


def test_locally_limited_handler_is_not_judged() -> None:
    facts = {
        "app/routes.py": {
            "handlers": [handler("chat", limited_by="slowapi `@limiter.limit`")],
            "ai_functions": ["chat"],
        }
    }
    assert ProjectIndex(facts).verdicts() == {}


def test_global_limiter_in_another_module_covers() -> None:
    facts = {
        "proj/main.py": {"global_limiters": [{"what": "`SlowAPIMiddleware`", "scope": "<module>", "applies_to": "all"}]},
        "proj/routers/chat.py": {"handlers": [handler("chat")], "calls": {"chat": ["proj.llm.ask"]}},
        "proj/llm.py": {"ai_functions": ["ask"]},
    }
    verdict = ProjectIndex(facts).verdicts()[("proj/routers/chat.py", "chat")]
    assert verdict.covered_by and "SlowAPIMiddleware" in verdict.covered_by and "proj/main.py" in verdict.covered_by


def test_exempt_handler_is_not_covered_by_a_global_limiter() -> None:
    facts = {
        "main.py": {"global_limiters": [{"what": "flask-limiter `default_limits`", "applies_to": "all"}]},
        "routes.py": {"handlers": [handler("chat", exempt=True)], "ai_functions": ["chat"]},
    }
    assert ProjectIndex(facts).verdicts()[("routes.py", "chat")].covered_by is None


def test_drf_default_throttle_covers_only_drf_views() -> None:
    facts = {
        "proj/settings.py": {"global_limiters": [{"what": "DRF `DEFAULT_THROTTLE_CLASSES`", "applies_to": "drf"}]},
        "proj/views.py": {
            "handlers": [{"name": "ChatAPI.post", "framework": "django", "drf": True}, {"name": "plain", "framework": "django"}],
            "ai_functions": ["ChatAPI.post", "plain"],
        },
    }
    verdicts = ProjectIndex(facts).verdicts()
    assert verdicts[("proj/views.py", "ChatAPI.post")].covered_by
    assert verdicts[("proj/views.py", "plain")].covered_by is None


def test_router_limited_where_it_is_included() -> None:
    facts = {
        "proj/main.py": {
            "limited_receivers": [{"name": "proj.routers.chat.router", "what": "fastapi-limiter dependency"}]
        },
        "proj/routers/chat.py": {"handlers": [handler("chat", receiver="router")], "ai_functions": ["chat"]},
        "proj/routers/other.py": {"handlers": [handler("other", receiver="router")], "ai_functions": ["other"]},
    }
    verdicts = ProjectIndex(facts).verdicts()
    assert verdicts[("proj/routers/chat.py", "chat")].covered_by
    assert verdicts[("proj/routers/other.py", "other")].covered_by is None


def test_ambiguous_module_prefers_the_closest_file() -> None:
    facts = {
        "svc_a/app/routes.py": {"handlers": [handler("chat")], "calls": {"chat": ["app.llm.ask"]}},
        "svc_a/app/llm.py": {"ai_functions": ["ask"]},
        "svc_b/app/llm.py": {"calls": {"ask": []}},
    }
    assert ("svc_a/app/routes.py", "chat") in ProjectIndex(facts).verdicts()
    facts["svc_a/app/llm.py"] = {"calls": {"ask": []}}
    facts["svc_b/app/llm.py"] = {"ai_functions": ["ask"]}
    assert ProjectIndex(facts).verdicts() == {}


def test_call_cycles_terminate() -> None:
    facts = {
        "a.py": {"handlers": [handler("h")], "calls": {"h": ["b.f"]}},
        "b.py": {"calls": {"f": ["a.g"]}},
        "c.py": {},
    }
    facts["a.py"]["calls"]["g"] = ["b.f", "h"]
    assert ProjectIndex(facts).verdicts() == {}


def test_unrelated_stdlib_names_do_not_resolve_into_project_files() -> None:
    facts = {
        "app/routes.py": {"handlers": [handler("chat")], "calls": {"chat": ["json.dumps"]}},
        "app/json.py": {"ai_functions": ["load_prompt"]},
    }
    assert ProjectIndex(facts).verdicts() == {}


def test_single_file_run_loads_only_the_facts_that_can_matter(tmp_path: Path, monkeypatch) -> None:
    from linter.config import load_config
    from linter.engine.project import project_facts
    from linter.engine.runner import run, targets_for

    (tmp_path / "ailint.toml").write_text("")
    app = tmp_path / "app"
    (app / "routers").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "routers" / "__init__.py").write_text("")
    (app / "main.py").write_text(
        "from fastapi import FastAPI\nfrom slowapi.middleware import SlowAPIMiddleware\n"
        "app = FastAPI()\napp.add_middleware(SlowAPIMiddleware)\n"
    )
    (app / "helpers.py").write_text("def shout(x):\n    return x.upper()\n")
    (app / "unrelated.py").write_text("def nothing():\n    pass\n")
    chat = app / "routers" / "chat.py"
    chat.write_text(
        "from fastapi import APIRouter\nfrom app.helpers import shout\nrouter = APIRouter()\n\n"
        "@router.post('/chat')\ndef chat(q: str):\n    return shout(q)\n"
    )
    monkeypatch.chdir(tmp_path)
    config = load_config(None, "app/routers/chat.py")
    outcome = run(targets_for([Path("app/routers/chat.py")]), config, (), jobs=1)
    import linter.engine.runner as runner

    loaded: list[str] = []
    analyze_all = runner.analyze_all

    def spy(targets, *args, **kwargs):
        loaded.extend(t.display for t in targets)
        return analyze_all(targets, *args, **kwargs)

    monkeypatch.setattr(runner, "analyze_all", spy)
    facts = project_facts(outcome.results, config)
    # app/__init__.py is loaded too: `app.helpers.shout` could be re-exported there
    assert sorted(loaded) == ["app/__init__.py", "app/helpers.py", "app/main.py"]
    # every project file is known (module names resolve as in a whole run), unneeded ones empty
    assert set(facts) == {"app/routers/chat.py", "app/main.py", "app/helpers.py", "app/__init__.py",
                          "app/routers/__init__.py", "app/unrelated.py"}
    assert facts["app/unrelated.py"] == {}
    assert facts["app/main.py"]["global_limiters"][0]["what"].startswith("`SlowAPIMiddleware`")
    assert facts["app/routers/chat.py"]["handlers"][0]["name"] == "chat"
    assert project_facts(outcome.results, config, complete=False).keys() == {"app/routers/chat.py"}


def test_completed_facts_come_from_the_cache_on_the_next_run(tmp_path: Path, monkeypatch) -> None:
    from linter.config import load_config
    from linter.engine.cache import ResultCache
    from linter.engine.runner import run, targets_for
    from linter.rules import select_rules

    (tmp_path / "ailint.toml").write_text("")
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "helpers.py").write_text("from app.llm import ask\n\ndef shout(x):\n    return ask(x).upper()\n")
    (app / "llm.py").write_text(
        "from openai import OpenAI\n\ndef ask(q):\n    return OpenAI().responses.create(model='m', input=q, store=False)\n"
    )
    (app / "api.py").write_text(
        "from fastapi import FastAPI\nfrom app.helpers import shout\napp = FastAPI()\n\n"
        "@app.post('/chat')\ndef chat(q: str):\n    return shout(q)\n"
    )
    monkeypatch.chdir(tmp_path)
    config = load_config(None, "app/api.py")
    rules = select_rules(None)
    messages = []
    for _ in range(2):
        cache = ResultCache(tmp_path / "cache")
        outcome = run(targets_for([Path("app/api.py")]), config, rules, jobs=1, cache=cache)
        messages.append([f.message for f in outcome.findings if f.code == "AIL401"])
    assert messages[0] == messages[1] and len(messages[0]) == 1
    assert "`chat` -> `app.helpers.shout` -> `app.llm.ask`" in messages[0][0]
    # the second run parsed nothing: its file and the facts it completed were all cached
    assert cache.misses == 0 and cache.hits >= 3
