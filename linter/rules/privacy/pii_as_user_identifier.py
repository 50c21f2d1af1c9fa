"""AIL302: personal data sent as the provider's end-user identifier."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.dataflow import PII
from linter.knowledge.ai_sdks import AI_REQUEST_TRIGGER
from linter.rules.base import Rule


class PiiAsUserIdentifier(Rule):
    """What it does:
    Finds personal data used as the end-user identifier of an AI request: OpenAI
    `user=` and `safety_identifier=`, values of `metadata=`, Anthropic
    `metadata={"user_id": ...}`, and the same keys in the JSON body of a raw request. A
    value counts when it is (or is derived from) an email, phone number, username, name or
    other field of the AIL301 vocabulary, and has not been hashed or otherwise sanitized.
    An opaque id (`user.id`, `str(user.pk)`, a UUID) is not reported, and neither is a
    variable that is itself called `user` — it is taken to be the identifier.

    Why is this bad:
    The identifier exists so that the provider can tell your end users apart for abuse
    detection — it needs to be stable, not readable. An email or phone number there is
    personal data handed to the provider on every request and kept in its abuse-monitoring
    logs, with no benefit over an opaque id. OpenAI asks for a hashed username or email.

    Example:
        client.chat.completions.create(model="gpt-4o", messages=messages, user=current_user.email)

    Use instead:
        user_hash = hashlib.sha256(current_user.email.encode()).hexdigest()
        client.chat.completions.create(model="gpt-4o", messages=messages, safety_identifier=user_hash)

    Fix:
    Send your internal user id or a keyed hash (HMAC) of it. Hashing calls (`hashlib.*`,
    `hmac`, anything named hash/digest/encrypt) and configured sanitizers make a value safe.

    Options:
    `[tool.ailint.pii] extend-names` and `[tool.ailint.pii] sanitizers`, as for AIL301.

    References:
    - CWE-359: Exposure of Private Personal Information to an Unauthorized Actor
    - OWASP LLM02:2025 Sensitive Information Disclosure
    - https://platform.openai.com/docs/guides/safety-best-practices#end-user-ids
    - https://docs.anthropic.com/en/api/messages#body-metadata
    """

    code = "AIL302"
    name = "pii-as-user-identifier"
    summary = "Personal data is sent as the provider's end-user identifier"
    severity = "warning"
    tags = ("CWE-359", "LLM02:2025", "privacy")
    security_severity = 5.0
    hint = "send an opaque id or a keyed hash of it"
    triggers = ("user", "metadata", "safety_identifier")
    uses = ("dataflow",)
    requires = (AI_REQUEST_TRIGGER,)  # an AI request or client in the file

    def visit_Call(self, node: cst.Call) -> None:
        call = self.ctx.ai.call(node)
        if call is None or not call.user_ids:
            return
        seen: set[int] = set()
        for value in call.user_ids:
            keyword = next((a.keyword.value for a in node.args if a.value is value and a.keyword is not None), None)
            where = f"`{keyword}=`" if keyword else "the end-user identifier"
            for source in self.ctx.dataflow.sources_of(value, labels=(PII,)):
                if source.whole_object or id(source.expr) in seen:
                    continue
                seen.add(id(source.expr))
                self.report(
                    source.expr,
                    f"personal data {source.shown} is sent as {where} of `{call.callee}` (line {{line}}); "
                    "send an opaque or hashed id",
                    line_of=node,
                )
