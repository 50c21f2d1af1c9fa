"""AIL303: the provider is asked to keep the request and response (`store=True`)."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.fixes import Fix, flip_bool
from linter.engine.semantics import keyword_arg
from linter.knowledge.ai_sdks import AI_REQUEST_TRIGGER
from linter.rules.base import Rule

#: providers whose chat-completions / responses APIs keep requests when `store` is on
_STORING_PROVIDERS = frozenset({"openai", "azure-openai", "litellm"})


def _store_off(value: cst.BaseExpression) -> Fix | None:
    """`store=True` -> `store=False` (also `"store": True` in a request body)."""
    return flip_bool(value, True, "Pass `store=False` (stored completions and `previous_response_id` stop working)")


class ProviderRetentionEnabled(Rule):
    """What it does:
    Finds OpenAI (and Azure OpenAI) Chat Completions and Responses requests that ask the
    provider to keep the conversation: `store=True` on `client.chat.completions.create`,
    `client.responses.create` (and their `parse`/`stream` variants, async clients,
    `with_raw_response`), a LiteLLM `completion`/`responses` call, LangChain
    `ChatOpenAI(store=True)`, or `"store": True` in the JSON body of a raw HTTP request to
    the OpenAI API. The value may be a literal or a constant.

    With `require-explicit-store = true` it also reports Responses API requests that do
    not pass `store=False` — the Responses API stores by default — including
    `ChatOpenAI(use_responses_api=True)` without `store=False`. A call that passes
    `**kwargs`, or a `store=` value that is not known statically, is not reported.

    Why is this bad:
    Stored completions and responses stay in the provider's systems — visible in the
    dashboard to everyone with access to the project, usable for evals and distillation,
    and retrievable by id — beyond the abuse-monitoring window. Whatever personal or
    confidential data was in the prompt is now kept by a third party, which you must
    disclose and may not be allowed to do (GDPR purpose limitation, customer contracts,
    zero-data-retention agreements).

    Example:
        client.responses.create(model="gpt-4.1", input=ticket_text, store=True)

    Use instead:
        client.responses.create(model="gpt-4.1", input=ticket_text, store=False)

    Fix:
    Pass `store=False` (or leave `store` out of Chat Completions calls, where it defaults
    to false). Keep conversation state on your side instead of `previous_response_id`.
    `--fix --unsafe-fixes` turns a `True` written in place — `store=True`, `"store": True`
    in a request body — into `False`. Unsafe: a later request that refers to the stored
    response (`previous_response_id`, retrieving stored completions, evals built on them)
    stops working. A `store` value that comes from a name, and the calls reported only
    under `require-explicit-store` (which would need `store=False` added), are left for you.

    Options:
    `[tool.ailint.retention] require-explicit-store` (default false): also report Responses
    API calls that rely on the default `store=true`.

    References:
    - CWE-359: Exposure of Private Personal Information to an Unauthorized Actor
    - OWASP LLM02:2025 Sensitive Information Disclosure
    - https://platform.openai.com/docs/api-reference/responses/create#responses-create-store
    - https://platform.openai.com/docs/guides/your-data
    - https://learn.microsoft.com/en-us/azure/ai-foundry/openai/how-to/stored-completions
    """

    code = "AIL303"
    name = "provider-retention-enabled"
    summary = "store=True asks the provider to keep the request and response"
    severity = "warning"
    tags = ("CWE-359", "LLM02:2025", "privacy")
    security_severity = 5.0
    hint = "pass store=False (the Responses API stores by default)"
    triggers = ("store", "responses", "use_responses_api")
    requires = (AI_REQUEST_TRIGGER,)  # an AI request or client in the file

    def visit_Call(self, node: cst.Call) -> None:
        ai = self.ctx.ai
        call = ai.call(node)
        require_explicit = self.ctx.config.retention.require_explicit_store
        if call is not None and call.provider in _STORING_PROVIDERS:
            if call.store is not None:
                self._report_store_true(
                    call.store, f"`store` is true on `{call.callee}`: the provider keeps the prompt and response"
                )
            elif require_explicit and call.stores_by_default and not call.has_star_kwargs:
                self.report(
                    node.func,
                    f"`{call.callee}` stores the response at the provider by default; pass store=False",
                )
            return
        construction = ai.construction(node)
        if construction is None or not construction.ai or construction.provider not in _STORING_PROVIDERS:
            return
        if construction.store is not None:
            self._report_store_true(
                construction.store, f"`store=True` on `{construction.callee}`: the provider keeps every prompt and response"
            )
        elif require_explicit and not any(arg.star == "**" for arg in node.args):
            responses = keyword_arg(node, "use_responses_api")
            if responses is not None and self.ctx.ai.resolve_bool(responses.value) is True:
                self.report(
                    responses,
                    f"`{construction.callee}` uses the Responses API, which stores by default; pass store=False",
                )

    def _report_store_true(self, store: cst.BaseExpression, what: str) -> None:
        """A `store` value that is true, on a request or on a client."""
        if self.ctx.ai.resolve_bool(store) is True:
            self.report(store, f"{what}; pass store=False", fix=_store_off(store))
