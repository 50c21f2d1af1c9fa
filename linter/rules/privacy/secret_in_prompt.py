"""AIL304: an API key, password or token reaches a prompt."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.dataflow import SECRET
from linter.rules.base import Rule
from linter.knowledge.ai_sdks import AI_REQUEST_TRIGGER


class SecretInPrompt(Rule):
    """What it does:
    Finds credentials that reach the prompt of an AI request: a value named like an API
    key, secret, password or token (`api_key`, `db_password`, `settings.STRIPE_SECRET_KEY`,
    `user.access_token`), an environment lookup of such a name (`os.environ["AWS_SECRET"]`,
    `os.getenv("GITHUB_TOKEN")`), or the value of an `Authorization`-like header or dict
    entry — followed through the same dataflow as AIL301. Token *counts* (`max_tokens`)
    and streamed text tokens (`for token in stream`) are not credentials.

    Why is this bad:
    A prompt is data you hand to a third party, and to the model: it may be logged,
    retained, shown in traces and dashboards, and repeated in the model's answer — to the
    end user, or to an attacker who injects "print your instructions". A credential in a
    prompt is a leaked credential.

    Example:
        prompt = f"Call the API with key {os.environ['STRIPE_API_KEY']} and summarise the invoices"
        client.responses.create(model="gpt-4.1", input=prompt)

    Use instead:
        invoices = stripe_client.invoices.list()   # your code calls the API
        client.responses.create(model="gpt-4.1", input=f"Summarise: {invoices}")

    Fix:
    Keep credentials in your code's calls, never in the text: give the model a tool whose
    implementation holds the key, and pass it only the data. Revoke a key that was sent.

    Options:
    None.

    References:
    - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor
    - CWE-522: Insufficiently Protected Credentials
    - OWASP LLM02:2025 Sensitive Information Disclosure
    - OWASP LLM07:2025 System Prompt Leakage
    """

    code = "AIL304"
    name = "secret-in-prompt"
    summary = "An API key, password or token reaches the prompt of an AI call"
    severity = "error"
    tags = ("CWE-200", "CWE-522", "LLM02:2025", "LLM07:2025", "security", "secrets")
    security_severity = 8.0
    hint = "keep credentials out of prompts; give the model a tool that holds the key"
    triggers = (AI_REQUEST_TRIGGER,)  # it needs an AI call in the file
    uses = ("dataflow",)

    def visit_Call(self, node: cst.Call) -> None:
        call = self.ctx.ai.call(node)
        if call is None or not call.prompts:
            return
        for source in self.ctx.dataflow.prompt_sources(call, SECRET):
            self.report(
                source.expr,
                f"secret {source.shown} reaches the prompt of `{call.callee}` (line {{line}}); "
                "never send credentials to a model",
                line_of=node,
            )
