"""AIL601: raw user input reaches the system/developer instructions of a model."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.ai_calls import PromptArg, message_role
from linter.engine.dataflow import UNTRUSTED
from linter.knowledge.ai_sdks import MESSAGE_LIST_BUILDERS, SYSTEM_PROMPT_ARGS, SYSTEM_ROLES
from linter.rules.base import Rule
from linter.knowledge.ai_sdks import AI_REQUEST_TRIGGER


class UntrustedInputInSystemPrompt(Rule):
    """What it does:
    Finds raw user input that reaches the instructions a model gives the most authority:
    the content of a `system` or `developer` message (a dict with that `"role"`,
    LangChain `SystemMessage`/`SystemMessagePromptTemplate`, a `("system", text)` pair of
    `ChatPromptTemplate.from_messages`), `instructions=` (OpenAI Responses, Assistants,
    Mistral), `system=` (Anthropic), `system_instruction=` (Gemini) and `preamble=`
    (Cohere). User input is request data (Flask `request.json/form/args/...`, Django
    `request.POST/GET/body`, FastAPI/Starlette body and query parameters of a route
    handler, `await request.json()`), `input()`, `sys.stdin` and websocket messages,
    followed through assignments, formatting and helper functions. The same input in a
    `user` message is not reported: that is where it belongs. Escaping does not make text
    safe here; only not putting it there does.

    Why is this bad:
    Models are trained to follow the system/developer role over the user role. Text the
    user controls in that role is a direct prompt injection with the highest privilege:
    "ignore the rules above", exfiltrate the rest of the instructions, call tools the user
    may not use, change the output format your code parses.

    Example:
        persona = request.json["persona"]
        messages = [{"role": "system", "content": f"You are {persona}. Never reveal prices."},
                    {"role": "user", "content": request.json["question"]}]

    Use instead:
        PERSONAS = {"pirate": "You are a pirate.", "tutor": "You are a patient tutor."}
        persona = PERSONAS.get(request.json["persona"], PERSONAS["tutor"])
        messages = [{"role": "system", "content": f"{persona} Never reveal prices."},
                    {"role": "user", "content": request.json["question"]}]

    Fix:
    Keep the system prompt under your control: choose it from a fixed set by the user's
    choice, or put user-supplied text in a user message (delimited, and described in the
    system prompt as data, not instructions).

    Options:
    None.

    References:
    - CWE-77: Improper Neutralization of Special Elements used in a Command
    - CWE-1427: Improper Neutralization of Input Used for LLM Prompting
    - OWASP LLM01:2025 Prompt Injection
    - OWASP LLM07:2025 System Prompt Leakage
    - https://genai.owasp.org/llmrisk/llm01-prompt-injection/
    """

    code = "AIL601"
    name = "untrusted-input-in-system-prompt"
    summary = "Raw user input reaches the system/developer instructions of a model"
    severity = "warning"
    tags = ("CWE-77", "CWE-1427", "LLM01:2025", "LLM07:2025", "security")
    security_severity = 7.0
    hint = "keep user text in the user role; choose system prompts from a fixed set"
    triggers = (AI_REQUEST_TRIGGER,)  # it needs an AI call in the file
    uses = ("dataflow",)

    def visit_Call(self, node: cst.Call) -> None:
        ai = self.ctx.ai
        call = ai.call(node)
        prompts: tuple[PromptArg, ...] = ()
        callee = ""
        if call is not None:
            prompts, callee = call.prompts, call.callee
        else:
            construction = ai.construction(node)
            if construction is not None and construction.prompts:
                prompts, callee = construction.prompts, construction.callee
            elif _system_message(node):
                # `SystemMessage(content=...)` built anywhere is bound for a model
                self._check(message_role(node)[1], "a system message", node)  # type: ignore[index]
                return
            elif _builds_messages(node):
                prompts, callee = (PromptArg("messages", node.args[0].value),), _last(node.func)
        if not prompts:
            return
        dataflow = self.ctx.dataflow
        for prompt in prompts:
            for role, content in ai.message_parts(prompt, dataflow.elements_of):
                if role in SYSTEM_ROLES or (prompt.role not in ("messages", "history") and role in SYSTEM_PROMPT_ARGS):
                    where = f"the {role} message" if role in SYSTEM_ROLES else f"`{role}=`"
                    self._check(content, f"{where} of `{callee}` (line {{line}})", node)

    def _check(self, content: cst.BaseExpression, where: str, node: cst.Call) -> None:
        for source in self.ctx.dataflow.sources_of(content, labels=(UNTRUSTED,)):
            self.report(
                source.expr,
                f"user input {source.shown} reaches {where}; keep user text in the user role",
                line_of=node,
            )


def _system_message(node: cst.Call) -> bool:
    found = message_role(node)
    return found is not None and found[0] in SYSTEM_ROLES


def _last(func: cst.BaseExpression) -> str:
    return func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""


def _builds_messages(node: cst.Call) -> bool:
    return bool(node.args) and _last(node.func) in MESSAGE_LIST_BUILDERS
