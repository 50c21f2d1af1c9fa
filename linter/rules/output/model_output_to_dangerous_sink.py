"""AIL602: a model's response reaches code execution, a shell, deserialization or raw HTML."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.dataflow import MODEL_OUTPUT
from linter.knowledge.taint import SQL_EXECUTE_METHODS, SQL_TEXT_CALLS, dangerous_arguments
from linter.rules.base import Rule
from linter.knowledge.ai_sdks import AI_REQUEST_TRIGGER


class ModelOutputToDangerousSink(Rule):
    """What it does:
    Finds the response of an AI request — `resp.choices[0].message.content`,
    `resp.content[0].text`, `resp.text`, `resp.output_text`, a LangChain result's
    `.content`, and anything derived from them — that reaches a call which executes,
    evaluates, deserializes, imports or renders its argument: `eval`, `exec`, `compile`,
    `os.system`, `os.popen`, `subprocess` (the command, or with `shell=True` the whole
    argument; a list argument without a shell counts only for the program),
    `pickle.loads`, `yaml.load` without a safe loader, `render_template_string`,
    `jinja2.Template`, `Markup`/`mark_safe`, `importlib.import_module`, and a SQL
    `execute` whose query is built by string formatting. Escaping (`shlex.quote`,
    `html.escape`) counts as a sanitizer; parsing the output as JSON, or returning it, is
    not a sink.

    Why is this bad:
    A model's output is controlled by whoever controls its input — including text it read
    from a web page, an email or a document (indirect prompt injection). Executing it is
    remote code execution with your service's privileges; rendering it unescaped is XSS;
    formatting it into SQL is SQL injection.

    Example:
        answer = client.chat.completions.create(model="gpt-4o", messages=messages)
        result = eval(answer.choices[0].message.content)

    Use instead:
        answer = client.chat.completions.create(model="gpt-4o", messages=messages)
        result = ast.literal_eval(answer.choices[0].message.content)  # or json.loads

    Fix:
    Treat model output as untrusted input: parse it as data (`json.loads`, a pydantic
    model, structured outputs), map it onto a fixed set of actions, pass values as bound
    SQL parameters and argument-vector items, and let templates escape them. If code must
    run, run it in a sandbox with no secrets and no network.

    Options:
    None.

    References:
    - CWE-94: Improper Control of Generation of Code ('Code Injection')
    - CWE-78: OS Command Injection
    - CWE-89: SQL Injection
    - CWE-79: Cross-site Scripting
    - CWE-502: Deserialization of Untrusted Data
    - OWASP LLM05:2025 Improper Output Handling
    - https://genai.owasp.org/llmrisk/llm052025-improper-output-handling/
    """

    code = "AIL602"
    name = "model-output-to-dangerous-sink"
    summary = "A model's response reaches eval, a shell, deserialization, raw HTML or formatted SQL"
    severity = "error"
    tags = ("CWE-94", "CWE-78", "CWE-89", "CWE-79", "CWE-502", "LLM05:2025", "security")
    security_severity = 8.5
    hint = "parse model output as data (json, pydantic); never execute, unpickle or render it raw"
    triggers = (AI_REQUEST_TRIGGER,)  # it needs an AI call in the file
    uses = ("dataflow",)

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.ctx.semantics.qualified_name(node.func)
        if qualified is None:
            return
        arguments = dangerous_arguments(node, qualified)
        if not arguments:
            return
        sink = qualified.rsplit(".", 1)[-1] if qualified.rsplit(".", 1)[-1] in SQL_EXECUTE_METHODS else qualified
        is_sql = sink in SQL_EXECUTE_METHODS
        dataflow = self.ctx.dataflow
        for argument in arguments:
            if is_sql and not self._formatted(argument):
                continue  # a query given whole (or with bound parameters) is not built by formatting
            for source in dataflow.sources_of(argument, labels=(MODEL_OUTPUT,)):
                self.report(
                    argument,
                    f"the output of {source.shown} (line {{line}}) reaches `{sink}`; "
                    "treat model output as untrusted data",
                    line_of=source.expr,
                )
                break

    def _formatted(self, argument: cst.BaseExpression) -> bool:
        """The SQL text is built by f-string, `format`, `%` or `+` (here or where it was assigned)."""
        if isinstance(argument, cst.Call) and self.ctx.semantics.qualified_name(argument.func) in SQL_TEXT_CALLS \
                and argument.args:
            argument = argument.args[0].value
        for value in self.ctx.dataflow.values_of(argument):
            if isinstance(value, (cst.FormattedString, cst.BinaryOperation, cst.ConcatenatedString)):
                return True
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) \
                    and value.func.attr.value in ("format", "format_map", "join", "replace"):
                return True
        return False
