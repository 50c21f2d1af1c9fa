"""AIL102: a secret-like literal used as a credential."""

from __future__ import annotations

from linter.engine.fixes import credential_env_var, replace_with_env
from linter.knowledge.keys import find_keys, looks_like_secret, match_context_key, redact
from linter.rules.base import Rule
from linter.rules.secrets import CREDENTIAL_LITERAL_TRIGGER


class HardcodedCredential(Rule):
    """What it does:
    Finds literals with the entropy of a secret used as a credential: an `api_key=`,
    `token=`, `password=`… argument, a `*_API_KEY` / `*_SECRET` / `*_TOKEN` assignment,
    `openai.api_key = …`, `os.environ["…_KEY"] = …`, the default of
    `os.getenv("…_API_KEY", …)` or of an `api_key=` parameter, or the value of an
    `Authorization`, `x-api-key` or `api-key` header. Literals that AIL101 already
    reports as a known key format are left to AIL101. Placeholders, environment-variable
    names, identifiers, URLs and low-entropy strings are not reported.

    Why is this bad:
    A hardcoded credential cannot be rotated without a code change, and it leaks with
    every copy of the code. Keys of providers without a recognizable format (Together,
    Fireworks, self-hosted gateways, internal services) are only found this way.

    Example:
        client = OpenAI(base_url="https://llm.internal/v1", api_key="9f8Kq2LmZx7Wv4Tn")

    Use instead:
        client = OpenAI(base_url="https://llm.internal/v1", api_key=os.environ["LLM_GATEWAY_KEY"])

    Fix:
    Rotate the credential, then load it from the environment or a secret manager.
    `--fix --unsafe-fixes` replaces the literal by `os.environ["<NAME>"]`, the name taken
    from where it is used (`GATEWAY_TOKEN = "..."` -> `GATEWAY_TOKEN`, `openai.api_key`
    -> `OPENAI_API_KEY`, `Client(token="...")` from `mylib` -> `MYLIB_TOKEN`), and adds
    `import os`; unsafe, because the program then needs that variable set.

    Options:
    None.

    References:
    - CWE-798: Use of Hard-coded Credentials
    - OWASP LLM02:2025 Sensitive Information Disclosure
    """

    code = "AIL102"
    name = "hardcoded-credential"
    summary = "A secret-like literal is used as a credential"
    severity = "error"
    tags = ("CWE-798", "LLM02:2025", "security", "secrets")
    security_severity = 7.5
    fix_replaces_secret = True
    hint = "rotate it, then read it from the environment or a secret manager"
    triggers = (CREDENTIAL_LITERAL_TRIGGER,)

    def finish(self) -> None:
        # `may_be_credential_literal` (the pre-filter) passes every literal this reports:
        # a test here that it does not cover would go unseen in files left unparsed
        for use in self.ctx.credentials.uses:
            literal = use.literal
            if literal is None or find_keys(literal) or match_context_key(literal, use.context):
                continue  # not a literal, or AIL101's to report
            if looks_like_secret(literal, min_length=8 if use.password else 16):
                env_var = credential_env_var(use)
                self.report(
                    use.value,
                    f"hardcoded credential `{redact(literal)}` in {use.where}; load it from the environment",
                    secrets=(literal,),
                    fix=replace_with_env(use.value, env_var) if env_var else None,
                )
