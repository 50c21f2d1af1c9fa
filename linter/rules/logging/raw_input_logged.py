"""AIL501: raw user input is written to a log."""

from __future__ import annotations

from linter.rules.logging._base import LogRule, is_the_prompt, unique


class RawInputLogged(LogRule):
    """What it does:
    Finds log calls whose message or arguments carry raw user input: a request body, form
    or query data (`request.json`, `request.form`, `await request.body()`,
    `request.GET`), a parameter of a request handler that the framework fills from the
    request, `input()`, a websocket message. Log sinks are the `logging` module and loggers
    (`logger`, `log`, `self.logger`, `app.logger`, `current_app.logger`,
    `logging.getLogger(...)`) at every level, loguru, structlog (keyword arguments),
    `warnings.warn`, `print` inside a request handler or to a file, and file writes in a
    logging helper. The message, `%`-style arguments, f-string fields, `str.format`
    arguments and `extra={...}` all count. Metadata derived from the input — its length, a
    count, a hash, an id field — is not reported, nor is a route's path parameter
    (`/users/<name>`, `/items/{item_id}`): it is part of the URL, which the web server's
    access log holds anyway (AIL504 still reports one that is personal data).

    Why is this bad:
    Log storage keeps everything, for a long time, readable by far more people and systems
    than the application database: user input in logs is where personal data, secrets
    pasted into a chat box and prompt-injection payloads go to live forever.

    Example:
        data = request.get_json()
        logger.info("chat request: %s", data)

    Use instead:
        logger.info("chat request %s: %d bytes", request_id, len(request.data))

    Fix:
    Log the size, a request id or a hash of the input instead of the input. Raw input that
    is also sent to a model is reported here, not again by AIL502 — unless what is logged
    is the prompt argument itself (`messages`), which AIL502 reports.

    Options:
    None.

    References:
    - CWE-532: Insertion of Sensitive Information into Log File
    - CWE-117: Improper Output Neutralization for Logs
    - OWASP LLM02:2025 Sensitive Information Disclosure
    """

    code = "AIL501"
    name = "raw-input-logged"
    summary = "Raw user input is written to a log"
    severity = "warning"
    tags = ("CWE-532", "CWE-117", "LLM02:2025", "logging")
    security_severity = 5.0
    hint = "log its size, a request id or a hash instead of the input itself"

    def select(self, call, found):
        return unique([item for item in found
                       if item.source.label == "untrusted" and not item.source.in_url
                       and not is_the_prompt(found, item.value.expr)])

    def message(self, call, picked):
        shown = self.listing(picked)
        return f"raw user input {shown} is {self.verb(call)}; log its size or a request id instead"
