"""AIL701: AI SDK APIs that the provider removed or deprecated."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.fixes import Fix, rename_callee
from linter.engine.semantics import dotted_name
from linter.knowledge.ai_sdks import (
    AI_REQUEST_TRIGGER,
    LEGACY_APIS,
    LEGACY_METHODS,
    OPENAI_V0_CLIENT_ARGUMENTS,
    OPENAI_V1_MODULE_METHODS,
    OPENAI_V1_MODULE_NAMES,
    OPENAI_V1_MODULE_SETTINGS,
    OPENAI_V1_SAME_SETTINGS,
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
    most openai<1 code automatically). `--fix --unsafe-fixes` rewrites the callee of an
    openai<1.0 request whose arguments are all keywords the v1 method also takes, to the
    openai>=1 module client, keeping the arguments and the name `openai` is imported as:
    `openai.ChatCompletion.create(...)` -> `openai.chat.completions.create(...)`,
    `Completion.create` -> `completions.create`, `Embedding.create` -> `embeddings.create`,
    `Moderation.create` -> `moderations.create`, `Image.create` -> `images.generate`,
    `Image.create_variation` -> `images.create_variation`, `Image.create_edit` ->
    `images.edit`, `Audio.transcribe`/`translate` -> `audio.transcriptions`/`translations.create`.
    Unsafe: v1 returns objects, not dicts (`response["choices"]` becomes `response.choices`),
    so the code that reads the response must follow. No fix for a call that passes
    `engine=`/`deployment_id=` (Azure), `api_key=`, `api_base=`, `api_type=`,
    `api_version=`, `organization=`, `request_id=`, `headers=`, `timeout=` or
    `request_timeout=`, positional arguments or `**kwargs`; for `acreate` and the other
    coroutines (v1 has no async module client); for `Edit`, `File`, `FineTune`, `Engine`
    and the rest; for a resource imported by name (`from openai import ChatCompletion`);
    nor in a file that sets module configuration the v1 client reads differently
    (`openai.api_base`, `openai.api_type`, `openai.proxy`... — anything but `api_key` and
    `organization`), where the rewritten call would go elsewhere. The other findings
    (imports, `openai.error`, module configuration, Anthropic, Google, LangChain) get none.

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
        #: openai<1.0 calls with a v1 equivalent: (the reported `openai.<Resource>`, its fix),
        #: offered after the walk unless the file configures the module in a way v1 reads
        #: differently (`openai.api_base = ...`)
        self._v1_rewrites: list[tuple[cst.CSTNode, Fix]] = []
        self._v0_configuration = False
        if ctx.text_test is not None and not ctx.text_test(may_use_legacy_api):
            # no legacy name can be referenced (the file must name one part by part): the
            # reference visitors, called for every name of the file, have nothing to find
            self.visit_Name = self.visit_Attribute = self.visit_Arg = None  # type: ignore[assignment]

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
                if qualified and qualified.count(".") == 1 and qualified.startswith("openai."):
                    self._v0_configuration |= qualified not in OPENAI_V1_SAME_SETTINGS
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
        if not self._v0_configuration:
            for node, fix in self._v1_rewrites:
                self.ctx.offer_fix(self, node, fix)

    # --- legacy request methods -----------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self._v1_rewrite(node)
        call = self.ctx.ai.call(node)
        if call is None:
            return
        legacy = LEGACY_METHODS.get((call.family, call.method))
        if legacy is not None:
            why, instead = legacy
            self.report(node.func, self._message(f"`{call.callee}`", None, why, instead))

    def _v1_rewrite(self, node: cst.Call) -> None:
        """`openai.ChatCompletion.create(model=..., messages=...)` ->
        `openai.chat.completions.create(model=..., messages=...)`: the openai>=1 module client
        takes the same keyword arguments — unless the call passes one the 0.x method kept for
        itself (`engine=`, `api_key=`...), positional arguments or `**kwargs`."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute)):
            return
        base = func.value.value  # the module as imported: `openai`, or an alias
        new = OPENAI_V1_MODULE_METHODS.get(f"{func.value.attr.value}.{func.attr.value}")
        if new is None or self.ctx.ai.imported(base) != "openai":
            return
        if any(arg.keyword is None or arg.keyword.value in OPENAI_V0_CLIENT_ARGUMENTS for arg in node.args):
            return
        callee = f"{dotted_name(base)}.{new}"
        description = (
            f"Call `{callee}` (openai>=1); it returns an object, not a dict: "
            '`response["choices"]` becomes `response.choices`'
        )
        self._v1_rewrites.append((func.value, rename_callee(node, base, new, description)))
