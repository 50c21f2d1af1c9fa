"""AIL502: the prompt sent to a model, or the model's response, is written to a log."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.dataflow import AI_REQUEST, MODEL_OUTPUT, Source
from linter.engine.logs import LoggedSource
from linter.knowledge.logging_sinks import PROMPT_NAME_WORDS
from linter.knowledge.pii import tokens_of
from linter.rules.logging._base import LogRule, code_of, is_the_prompt, unique


class PromptOrResponseLogged(LogRule):
    """What it does:
    Finds log calls that carry what is sent to an AI API — the prompt or messages, any value
    that becomes part of them, the whole request payload (a raw HTTP request's body, a
    `**params` spread) — or what comes back: the model's response or its text. In a logging
    helper (a function whose name says log/audit/trace), writing a parameter named like a
    prompt, payload or response to a file opened for append, or `json.dump`-ing it, counts
    too. Metadata is not reported: token usage (`response.usage.*`), the response id, the
    model name, the finish reason, lengths, latency, hashes.

    Why is this bad:
    Prompts carry whatever users typed and whatever documents the application retrieved;
    responses repeat them. Logged, they bypass the retention the provider contract and the
    privacy policy promise, and they end up in log indexes, tickets and dashboards.

    Example:
        response = client.chat.completions.create(model="gpt-4o", messages=messages)
        logger.debug("messages=%s answer=%s", messages, response.choices[0].message.content)

    Use instead:
        logger.debug("chat %s: %d messages, %d tokens", response.id, len(messages),
                     response.usage.total_tokens)

    Fix:
    Log ids, sizes and token usage. If transcripts must be kept, store them deliberately,
    with access control and a retention period, not in the application log. User input that
    is logged before it is sent is reported by AIL501 instead.

    Options:
    None.

    References:
    - CWE-532: Insertion of Sensitive Information into Log File
    - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor
    - OWASP LLM02:2025 Sensitive Information Disclosure
    """

    code = "AIL502"
    name = "prompt-or-response-logged"
    summary = "A prompt sent to a model, or its response, is written to a log"
    severity = "warning"
    tags = ("CWE-532", "CWE-200", "LLM02:2025", "logging")
    security_severity = 5.0
    hint = "log ids, sizes and token usage instead of prompts and responses"

    def select(self, call, found):
        raw = {id(item.value.expr) for item in found
               if item.source.label == "untrusted" and not is_the_prompt(found, item.value.expr)}
        picked = [item for item in found if item.source.label == MODEL_OUTPUT or (
            item.source.label == AI_REQUEST and id(item.value.expr) not in raw)]
        if call.kind == "file" and not picked:
            picked = self._named_parameters(call)
        return unique(picked)

    @staticmethod
    def _named_parameters(call) -> list[LoggedSource]:
        """In a logging helper, the data arrives as a parameter: its name says what it is."""
        out = []
        for value in call.values:
            for node in _names(value.expr):
                if node.value in call.helper_params and any(t in PROMPT_NAME_WORDS for t in tokens_of(node.value)):
                    out.append(LoggedSource(value, Source(AI_REQUEST, node, f"parameter `{node.value}`")))
                    break
        return out

    def message(self, call, picked):
        first = picked[0]
        source = first.source
        logged = code_of(first.value.expr)
        if source.label == MODEL_OUTPUT:
            what = f"the model's response `{logged}` (from `{source.description}`)"
            instead = "its id, length or token usage"
        elif source.description.startswith("parameter"):
            what = f"the prompt/response `{logged}`"
            instead = "its length or a hash"
        else:
            target = source.description.split(" of ", 1)[-1]
            what = (f"the prompt `{logged}` sent to {target}" if is_the_prompt(picked, first.value.expr)
                    else f"`{logged}`, part of the prompt sent to {target},")
            instead = "its length or a hash"
        more = f" (and {len(picked) - 1} more value{'s' if len(picked) > 2 else ''})" if len(picked) > 1 else ""
        return f"{what} is {self.verb(call)}{more}; log {instead} instead"


def _names(node: cst.CSTNode, budget: int = 200) -> list[cst.Name]:
    out: list[cst.Name] = []
    stack = [node]
    while stack and budget:
        budget -= 1
        current = stack.pop()
        if isinstance(current, cst.Name):
            out.append(current)
        elif isinstance(current, cst.Attribute):
            stack.append(current.value)
        else:
            stack.extend(current.children)
    return out
