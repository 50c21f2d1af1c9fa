"""AIL701: AI SDK APIs that the provider removed or deprecated."""

from __future__ import annotations

import libcst as cst

from linter.engine.semantics import dotted_name
from linter.knowledge.ai_sdks import (
    AI_REQUEST_TRIGGER,
    LEGACY_APIS,
    LEGACY_METHODS,
    OPENAI_V1_MODULE_NAMES,
    OPENAI_V1_MODULE_SETTINGS,
    LegacyApi,
    may_use_legacy_api,
)
from linter.rules.base import Rule

_REFERENCES: dict[str, LegacyApi] = {api.name: api for api in LEGACY_APIS if api.match == "reference"}
_IMPORTS: tuple[LegacyApi, ...] = tuple(api for api in LEGACY_APIS if api.match == "import")
_ASSIGNMENTS: dict[str, LegacyApi] = {api.name: api for api in LEGACY_APIS if api.match == "assign"}


def _import_match(name: str) -> LegacyApi | None:
    for api in _IMPORTS:
        if name == api.name or name.startswith(api.name + "."):
            return api
    return None


class LegacySdkApi(Rule):
    """What it does:
    Finds AI SDK APIs that the provider removed or deprecated:
    - openai < 1.0: `openai.ChatCompletion`, `Completion`, `Embedding`, `Image`,
      `Moderation`, `Edit`, `Audio`, `File`, `FineTune`, `Engine`... (and their `acreate`),
      `openai.error`, `openai.InvalidRequestError`, `openai.embeddings_utils`,
      module-level configuration (`openai.api_key = ...`, `openai.api_base = ...`,
      `openai.proxy`, `openai.verify_ssl_certs`...). `openai.api_key = ...` is not reported
      in a file that uses the openai>=1 module client (`openai.chat.completions.create`,
      `openai.base_url = ...`), which is configured exactly that way;
    - Anthropic Text Completions: `HUMAN_PROMPT` / `AI_PROMPT` and `client.completions.create`;
    - `google.generativeai` (support ended September 30, 2025), its PaLM functions, and the
      Vertex AI SDK's generative modules (`vertexai.generative_models`, `vertexai.language_models`);
    - mistralai 0.x `MistralClient` / `MistralAsyncClient`;
    - LangChain: chat models imported from `langchain.chat_models` / `langchain.llms` /
      `langchain_community` instead of the partner packages, and the deprecated
      `predict`, `predict_messages`, `call_as_llm`, `run` and `llm(...)` call styles.

    Why is this bad:
    Removed APIs fail at run time as soon as the SDK is upgraded (openai>=1 raises
    `APIRemovedInV1`), and pinning the old SDK keeps you on code that no longer gets
    security fixes. Module-level configuration is process-global state: one library
    changing `openai.api_key` or `openai.api_base` redirects every caller's key and
    prompts. Deprecated SDKs stop receiving fixes for new models, safety settings and
    data-handling options.

    Example:
        import openai
        openai.api_key = os.environ["OPENAI_API_KEY"]
        reply = openai.ChatCompletion.create(model="gpt-4o", messages=messages)

    Use instead:
        from openai import OpenAI
        client = OpenAI()  # reads OPENAI_API_KEY
        reply = client.chat.completions.create(model="gpt-4o", messages=messages)

    Fix:
    Migrate to the current SDK surface named in the message (`openai migrate` rewrites
    most openai<1 code automatically).

    Options:
    None.

    References:
    - OpenAI v1 migration guide: https://github.com/openai/openai-python/discussions/742
    - Anthropic Text Completions (legacy): https://docs.anthropic.com/en/api/migrating-from-text-completions-to-messages
    - Gemini SDK migration: https://ai.google.dev/gemini-api/docs/migrate
    - Vertex AI SDK deprecation: https://cloud.google.com/vertex-ai/generative-ai/docs/deprecations/genai-vertexai-sdk
    - CWE-477: Use of Obsolete Function
    """

    code = "AIL701"
    name = "legacy-sdk-api"
    summary = "An AI SDK API that the provider removed or deprecated"
    severity = "warning"
    tags = ("CWE-477", "LLM03:2025", "maintainability")
    security_severity = 3.0
    hint = "migrate to the current SDK API named in the message"
    triggers = (AI_REQUEST_TRIGGER, may_use_legacy_api)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._in_import = 0
        self._skip: set[int] = set()
        #: `openai.api_key = ...` reports, held back until we know whether the file uses
        #: the openai>=1 module client (which is configured exactly that way)
        self._module_settings: list[tuple[cst.CSTNode, str]] = []
        self._uses_v1_module_client = False

    @staticmethod
    def _message(subject: str, api: LegacyApi | None, why: str = "", instead: str = "") -> str:
        why = why or (api.why if api else "")
        instead = instead or (api.instead if api else "")
        return f"{subject}: {why}; use {instead}"

    # --- imports -----------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        self._in_import += 1
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            api = _import_match(full)
            if api is not None:
                self.report(alias, self._message(f"`import {full}`", api))

    def leave_Import(self, node: cst.Import) -> None:
        self._in_import -= 1

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._in_import += 1
        if node.relative or node.module is None:
            return
        module = dotted_name(node.module) or ""
        api = _import_match(module)
        if api is not None:
            self.report(node.module, self._message(f"`from {module} import ...`", api))
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            full = f"{module}.{name}"
            api = _import_match(full) or _REFERENCES.get(full)
            if api is not None and api.match == "import":
                self.report(alias, self._message(f"`{full}`", api))

    def leave_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._in_import -= 1

    # --- references ----------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))
        if self._in_import:
            return
        qualified = self.ctx.ai.imported(node)
        if qualified is not None and qualified.startswith("openai."):
            if qualified.split(".", 2)[1] in OPENAI_V1_MODULE_NAMES:
                self._uses_v1_module_client = True
        api = _REFERENCES.get(qualified or "")
        if api is not None and id(node) not in self._skip:
            self.report(node, self._message(f"`{qualified}`", api))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))

    def visit_Name(self, node: cst.Name) -> None:
        if self._in_import or id(node) in self._skip:
            return
        if node.value not in self.ctx.semantics.imports:
            return
        qualified = self.ctx.semantics.qualified_name(node)
        api = _REFERENCES.get(qualified or "")
        if api is not None:
            self.report(node, self._message(f"`{qualified}`", api))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._skip.add(id(target.target))
            if isinstance(target.target, cst.Attribute):
                qualified = self.ctx.ai.imported(target.target)
                api = _ASSIGNMENTS.get(qualified or "")
                if api is not None:
                    message = self._message(f"`{qualified} = ...`", api)
                    if qualified in OPENAI_V1_MODULE_SETTINGS:
                        self._module_settings.append((target.target, message))
                    else:
                        self.report(target.target, message)

    def finish(self) -> None:
        if not self._uses_v1_module_client:
            for node, message in self._module_settings:
                self.report(node, message)

    # --- legacy request methods -----------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        call = self.ctx.ai.call(node)
        if call is None:
            return
        legacy = LEGACY_METHODS.get((call.family, call.method))
        if legacy is not None:
            why, instead = legacy
            self.report(node.func, self._message(f"`{call.callee}`", None, why, instead))
