"""AIL503: an API key, token or credential is written to a log."""

from __future__ import annotations

from linter.engine.dataflow import SECRET
from linter.rules.logging._base import LogRule


class SecretLogged(LogRule):
    """What it does:
    Finds log calls that carry a credential: an API key, token or password (by its name,
    an environment lookup such as `os.environ["OPENAI_API_KEY"]`, a settings attribute),
    an `Authorization`/`x-api-key` header or a headers dict holding one, or an AI client's
    credentials (`client.api_key`). A masked prefix (`api_key[:4]`) or a hash is not
    reported.

    Why is this bad:
    Logs are shipped, indexed, retained and shared far more widely than a secret store. A
    key that reaches a log must be considered leaked and rotated.

    Example:
        logger.debug("calling OpenAI with key %s", os.environ["OPENAI_API_KEY"])

    Use instead:
        logger.debug("calling OpenAI with key …%s", os.environ["OPENAI_API_KEY"][-4:])

    Fix:
    Remove the credential from the log call; log a key id, or its last four characters,
    if you need to tell keys apart. Rotate any key that was logged.

    Options:
    None.

    References:
    - CWE-532: Insertion of Sensitive Information into Log File
    - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor
    - OWASP LLM02:2025 Sensitive Information Disclosure
    """

    code = "AIL503"
    name = "secret-logged"
    summary = "An API key, token or credential is written to a log"
    severity = "error"
    tags = ("CWE-532", "CWE-200", "LLM02:2025", "logging", "secrets")
    security_severity = 7.5
    hint = "never log credentials; log a key id or its last four characters"
    label = SECRET

    def message(self, call, picked):
        shown = self.listing(picked)
        return f"the credential {shown} is {self.verb(call)}; never log secrets (rotate it if this ran)"
