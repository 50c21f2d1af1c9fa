"""AIL301: personal data reaches the prompt of an AI call."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.dataflow import PII
from linter.rules.base import Rule
from linter.knowledge.ai_sdks import AI_REQUEST_TRIGGER


class PiiInPrompt(Rule):
    """What it does:
    Finds personal data that reaches the prompt of an AI request — chat `messages`
    content, `prompt`, `input`, `instructions`, `system`, Gemini `contents`, embeddings
    input, LangChain and LiteLLM equivalents, the JSON body of a raw HTTP request to a
    provider — without passing through a sanitizer. Personal data is a field, attribute,
    dict key, keyword or variable named like an email, phone number, SSN, date of birth,
    address, card number, IBAN, passport or national id, health record and the like (token
    by token: `email_template_id`, `model_name` and `address_space` are not); `name` or
    `address` of a person-like object (`user.name`); a dict literal with such keys; or a
    whole person-like object (`user`, `customer`, `patient`, `user_data`, `profile`). The
    engine's dataflow follows the value through assignments, f-strings, `format` (and its
    keywords: `template.format(email=...)`), `%`, `+`, `join`, `json.dumps`, containers,
    `append`/`extend`, and helper functions of the same module. The user's own question is
    not personal data by itself; `len(user.email)` and ids are not personal data.

    Why is this bad:
    Whatever is in the prompt leaves your systems: the provider processes it, may keep it
    for abuse monitoring (and longer when storage is on), and the model may repeat it to
    whoever sees its output. Sending customers' contact, identity, financial or health
    data needs a legal basis and a processing agreement (GDPR art. 28, HIPAA BAA), and is
    the most common way AI features leak customer data — usually by accident, because the
    whole record was interpolated when one field was needed.

    Example:
        user_data = {"name": "John Doe", "email": "john.doe@example.com", "ssn": "123-45-6789"}
        client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": f"User info: {user_data}"}])

    Use instead:
        client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": f"Plan: {user_data['plan']}"}])

    Fix:
    Send only the fields the task needs. Redact or tokenize personal data before it is
    interpolated (`redact(text)`, `mask_email(email)`, Presidio's anonymizer, a
    pseudonymization table you reverse on the answer), or hash identifiers. A call whose
    name says it redacts, masks, anonymizes, pseudonymizes, tokenizes, scrubs, hashes or
    encrypts counts as a sanitizer; name your own in `[tool.ailint.pii] sanitizers`.

    Options:
    `[tool.ailint.pii] extend-names`: more field names that hold personal data.
    `[tool.ailint.pii] sanitizers`: more calls (qualified or last name) that make a value safe.

    References:
    - CWE-359: Exposure of Private Personal Information to an Unauthorized Actor
    - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor
    - OWASP LLM02:2025 Sensitive Information Disclosure
    - https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/
    - https://platform.openai.com/docs/guides/your-data
    """

    code = "AIL301"
    name = "pii-in-prompt"
    summary = "Personal data reaches the prompt of an AI call"
    severity = "warning"
    tags = ("CWE-359", "CWE-200", "LLM02:2025", "privacy")
    security_severity = 6.5
    hint = "send only the fields the task needs; redact, tokenize or hash personal data first"
    triggers = (AI_REQUEST_TRIGGER,)  # it needs an AI call in the file
    uses = ("dataflow",)

    def visit_Call(self, node: cst.Call) -> None:
        call = self.ctx.ai.call(node)
        if call is None or not call.prompts:
            return
        for source in self.ctx.dataflow.prompt_sources(call, PII):
            what = f"{source.shown} (the whole record)" if source.whole_object else source.shown
            self.report(
                source.expr,
                f"personal data {what} reaches the prompt of `{call.callee}` (line {{line}}); "
                "redact or tokenize it before sending",
                line_of=node,
            )
