"""Fake keys in every supported provider format, for tests. Random, never real."""

from __future__ import annotations

import random
import string

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
B32 = string.ascii_uppercase + "234567"


def _body(rng: random.Random, alphabet: str, length: int) -> str:
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(length))
        # avoid accidental placeholder-looking bodies (runs, words) in generated keys
        from linter.knowledge.keys import is_placeholder

        # (the detector takes a long mixed-alphabet body without a digit for a placeholder;
        # real keys almost always have one, so generated ones do too)
        if length >= 24 and alphabet in (ALNUM, URLSAFE) and not any(c.isdigit() for c in value):
            continue
        if len(value) < 16 or alphabet in (HEX, B32) or not is_placeholder(value):
            return value


def fake_keys(seed: int = 0) -> dict[str, str]:
    """One fake key per provider format, keyed by a short format name."""
    rng = random.Random(seed)
    b = lambda alphabet, n: _body(rng, alphabet, n)  # noqa: E731
    return {
        "openai_project": "sk-proj-" + b(URLSAFE, 74) + "T3BlbkFJ" + b(URLSAFE, 74),
        "openai_svcacct": "sk-svcacct-" + b(URLSAFE, 74) + "T3BlbkFJ" + b(URLSAFE, 74),
        "openai_admin": "sk-admin-" + b(URLSAFE, 58) + "T3BlbkFJ" + b(URLSAFE, 58),
        "openai_legacy": "sk-" + b(ALNUM, 20) + "T3BlbkFJ" + b(ALNUM, 20),
        "anthropic": "sk-ant-api03-" + b(URLSAFE, 93) + "AA",
        "anthropic_admin": "sk-ant-admin01-" + b(URLSAFE, 93) + "AA",
        "google": "AIza" + b(URLSAFE, 35),
        "huggingface": "hf_" + b(ALNUM, 34),
        "huggingface_org": "api_org_" + b(ALNUM, 34),
        "groq": "gsk_" + b(ALNUM, 52),
        "replicate": "r8_" + b(ALNUM, 37),
        "perplexity": "pplx-" + b(ALNUM, 48),
        "xai": "xai-" + b(ALNUM, 80),
        "openrouter": "sk-or-v1-" + b(HEX, 64),
        "langsmith": "lsv2_pt_" + b(HEX, 32) + "_" + b(HEX, 10),
        "pinecone": "pcsk_" + b(ALNUM, 5) + "_" + b(ALNUM, 63),
        "aws": "AKIA" + b(B32, 16),
    }
