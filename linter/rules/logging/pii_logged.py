"""AIL504: personal data is written to a log."""

from __future__ import annotations

from linter.engine.dataflow import PII
from linter.rules.logging._base import LogRule


class PiiLogged(LogRule):
    """What it does:
    Finds log calls that carry personal data, recognized with the same vocabulary as AIL301:
    a field, attribute, key or variable named like an email address, phone number, SSN,
    date of birth, address, card number, IBAN, passport or national id, health record...;
    `name` when it belongs to a person-like object (`user.name`); a dict with such keys;
    a whole person-like object (`user`, `customer`, `patient`, `profile`). Ids and metadata
    (`user.id`, `email_template_id`, `email_count`) and values passed through a sanitizer
    (redact, mask, anonymize, hash, a configured call) are not reported.

    Why is this bad:
    Personal data in logs escapes the controls that protect it in the database — access
    rules, deletion requests, retention limits — and multiplies with every log shipper and
    backup. GDPR and similar laws treat it as a processing of its own.

    Example:
        logger.info("summarizing ticket for %s <%s>", customer.name, customer.email)

    Use instead:
        logger.info("summarizing ticket for customer %s", customer.id)

    Fix:
    Log an opaque id, or redact the value (`mask_email(customer.email)`); add your redaction
    helpers to `[tool.ailint.pii] sanitizers` if their names do not say so.

    Options:
    `[tool.ailint.pii] extend-names` (more personal-data names) and `sanitizers` (more
    sanitizing calls), shared with AIL301.

    References:
    - CWE-532: Insertion of Sensitive Information into Log File
    - CWE-359: Exposure of Private Personal Information to an Unauthorized Actor
    - OWASP LLM02:2025 Sensitive Information Disclosure
    """

    code = "AIL504"
    name = "pii-logged"
    summary = "Personal data is written to a log"
    severity = "warning"
    tags = ("CWE-532", "CWE-359", "LLM02:2025", "logging", "privacy")
    security_severity = 5.0
    hint = "log an opaque id or a redacted value instead"
    label = PII

    def message(self, call, picked):
        shown = self.listing(picked)
        return f"personal data {shown} is {self.verb(call)}; log an id or a redacted value instead"
