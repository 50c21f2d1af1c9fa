"""AI-provider key formats, placeholder detection and redaction — data, kept in one place.

Sources: the providers' published formats and the detectors of gitleaks, trufflehog and
detect-secrets (see shared/reference/key-formats.md). No provider key carries a checksum,
so confidence comes from fixed markers, exact lengths and alphabets, and a placeholder
filter that knows what people paste into examples.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

# Characters that can continue a key: a match must not be glued to more of them.
_KEY_CHARS = r"A-Za-z0-9_\-"


@dataclass(frozen=True)
class KeyFormat:
    provider: str
    #: the fixed prefix kept visible when the key is redacted ("" if none)
    prefix: str
    #: the body pattern, matched after the prefix
    pattern: str
    #: environment variable the provider's SDK reads (for fix hints)
    env_var: str
    #: context-only formats are keys only where the literal is used as that provider's credential
    context_words: tuple[str, ...] = ()
    #: whether the body mixes upper, lower case and digits (used by the placeholder filter)
    mixed_alphabet: bool = True

    @property
    def context_only(self) -> bool:
        return bool(self.context_words)


# Order matters: more specific prefixes first (sk-ant-, sk-or-v1-, sk-proj- before sk-).
KEY_FORMATS: tuple[KeyFormat, ...] = (
    KeyFormat("Anthropic", "sk-ant-", r"(?:api|admin)\d\d-[A-Za-z0-9_\-]{80,100}AA", "ANTHROPIC_API_KEY"),
    KeyFormat("OpenRouter", "sk-or-v1-", r"[0-9a-f]{64}", "OPENROUTER_API_KEY", mixed_alphabet=False),
    KeyFormat("OpenAI", "sk-proj-", r"[A-Za-z0-9_\-]{40,200}", "OPENAI_API_KEY"),
    KeyFormat("OpenAI", "sk-svcacct-", r"[A-Za-z0-9_\-]{40,200}", "OPENAI_API_KEY"),
    KeyFormat("OpenAI", "sk-admin-", r"[A-Za-z0-9_\-]{40,200}", "OPENAI_ADMIN_KEY"),
    KeyFormat("OpenAI", "sk-", r"[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}", "OPENAI_API_KEY"),
    KeyFormat("Google", "AIza", r"[0-9A-Za-z_\-]{35}", "GEMINI_API_KEY"),
    KeyFormat("Hugging Face", "hf_", r"[A-Za-z0-9]{34}", "HF_TOKEN"),
    KeyFormat("Hugging Face", "api_org_", r"[A-Za-z0-9]{34}", "HF_TOKEN"),
    KeyFormat("Groq", "gsk_", r"[A-Za-z0-9]{52}", "GROQ_API_KEY"),
    KeyFormat("Replicate", "r8_", r"[0-9A-Za-z_\-]{37}", "REPLICATE_API_TOKEN"),
    KeyFormat("Perplexity", "pplx-", r"[A-Za-z0-9]{48}", "PERPLEXITY_API_KEY"),
    KeyFormat("xAI", "xai-", r"[0-9A-Za-z_]{80}", "XAI_API_KEY"),
    KeyFormat("LangSmith", "lsv2_", r"(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}", "LANGSMITH_API_KEY", mixed_alphabet=False),
    KeyFormat("Pinecone", "pcsk_", r"[A-Za-z0-9]{5,6}_[A-Za-z0-9]{63}", "PINECONE_API_KEY"),
    KeyFormat("Voyage AI", "pa-", r"[A-Za-z0-9_\-]{43}", "VOYAGE_API_KEY"),
    KeyFormat("AWS", "", r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}", "AWS_ACCESS_KEY_ID", mixed_alphabet=False),
    KeyFormat("AWS Bedrock", "ABSK", r"[A-Za-z0-9+/]{109,269}={0,2}", "AWS_BEARER_TOKEN_BEDROCK"),
    KeyFormat("AWS Bedrock", "bedrock-api-key-", r"[A-Za-z0-9+/]{40,400}={0,2}", "AWS_BEARER_TOKEN_BEDROCK"),
    # Context-only: shapes too generic to flag on their own.
    KeyFormat("DeepSeek", "sk-", r"[a-z0-9]{32}", "DEEPSEEK_API_KEY", ("deepseek",), mixed_alphabet=False),
    KeyFormat("Cohere", "", r"[A-Za-z0-9]{40}", "CO_API_KEY", ("cohere", "co_api_key")),
    KeyFormat("Mistral", "", r"[A-Za-z0-9]{32}", "MISTRAL_API_KEY", ("mistral",)),
    KeyFormat("Azure OpenAI", "", r"[0-9a-f]{32}", "AZURE_OPENAI_API_KEY", ("azure",), mixed_alphabet=False),
)

STANDALONE_FORMATS = tuple(f for f in KEY_FORMATS if not f.context_only)
CONTEXT_FORMATS = tuple(f for f in KEY_FORMATS if f.context_only)

#: each standalone format, anchored where a prefix was found, ending at a key boundary
_FORMAT_RES = tuple(
    (f, re.compile(f"{re.escape(f.prefix)}{f.pattern}(?![{_KEY_CHARS}])")) for f in KEY_FORMATS if not f.context_only
)
_CONTEXT_RES = tuple((f, re.compile(re.escape(f.prefix) + f.pattern)) for f in CONTEXT_FORMATS)
#: where a standalone key may start: one of the prefixes (AWS ids: their four-letter heads)
_KEY_PREFIX_RE = re.compile(
    "|".join(
        re.escape(p)
        for p in sorted({f.prefix for f in STANDALONE_FORMATS if f.prefix} | {"AKIA", "ASIA", "ABIA", "ACCA", "A3T"})
    )
)
_KEY_CHAR_RE = re.compile(f"[{_KEY_CHARS}]")


def key_character(char: str) -> bool:
    """Whether `char` can continue a key (a key ends where one cannot)."""
    return _KEY_CHAR_RE.match(char) is not None


def _key_starts(text: str) -> Iterator[int]:
    """Where a standalone key may start: a prefix at a key boundary. The boundary is checked
    by hand: a look-behind in front of the prefixes would keep the regular expression engine
    from skipping ahead to their first characters (about twice as slow)."""
    for hit in _KEY_PREFIX_RE.finditer(text):
        start = hit.start()
        if start == 0 or _KEY_CHAR_RE.match(text, start - 1) is None:
            yield start


@dataclass(frozen=True)
class KeyMatch:
    provider: str
    value: str
    start: int
    end: int
    key_format: KeyFormat

    @property
    def redacted(self) -> str:
        return redact(self.value, self.key_format.prefix)


def find_keys(text: str) -> list[KeyMatch]:
    """Every standalone-format key in `text` that is not a placeholder.

    The scan looks for the formats' prefixes first (one fast search), then tries the formats,
    in catalogue order, where a prefix starts at a key boundary; matches do not overlap. One
    alternation of every format with a look-behind in front tried each format at every
    position of the text: about a second per megabyte."""
    found = []
    end = 0
    for start in _key_starts(text):
        if start < end:
            continue
        for key_format, regex in _FORMAT_RES:
            match = regex.match(text, start)
            if match is not None:
                break
        else:
            continue
        end = match.end()
        value = match.group()
        if not is_placeholder(value, key_format):
            found.append(KeyMatch(key_format.provider, value, start, end, key_format))
    return found


def _shapes_by_prefix() -> dict[str, tuple[re.Pattern[str], ...]]:
    """For each prefix `_KEY_PREFIX_RE` may match, the standalone formats, without either
    boundary, that a key starting there can have: those whose prefix (AWS: head) starts
    with it. Where two prefixes match at one place, the alternation takes the one sorted
    first, the shorter, which the longer starts with: its formats are tried as well."""
    heads = {f: (f.prefix,) if f.prefix else ("AKIA", "ASIA", "ABIA", "ACCA", "A3T") for f in STANDALONE_FORMATS}
    shapes = {f: re.compile(f"{re.escape(f.prefix)}{f.pattern}") for f in STANDALONE_FORMATS}
    prefixes = {head for options in heads.values() for head in options}
    return {p: tuple(shapes[f] for f in STANDALONE_FORMATS if any(h.startswith(p) for h in heads[f])) for p in prefixes}


_SHAPES_BY_PREFIX = _shapes_by_prefix()


def contains_key_shape(value: str) -> bool:
    """Whether some part of `value` has the shape of a standalone-format key: a superset of
    `find_keys` on `value` and on every substring of it (a literal inside a concatenation),
    because neither a boundary nor the placeholder filter is asked for, and every position
    where a prefix starts is tried (overlapping prefixes included)."""
    position = 0
    while True:
        hit = _KEY_PREFIX_RE.search(value, position)
        if hit is None:
            return False
        start = hit.start()
        if any(regex.match(value, start) for regex in _SHAPES_BY_PREFIX[hit.group()]):
            return True
        position = start + 1


def match_context_key(value: str, context: str) -> KeyFormat | None:
    """The context-only format `value` has, when `context` (names around it) mentions its provider."""
    lowered = context.lower()
    for key_format, regex in _CONTEXT_RES:
        if regex.fullmatch(value) and any(word in lowered for word in key_format.context_words):
            if not is_placeholder(value, key_format):
                return key_format
    return None


def has_context_key_shape(value: str) -> bool:
    """Whether `value` has the shape of a context-only format: `match_context_key` without
    the context it needs and without the placeholder filter (a superset of it)."""
    return any(regex.fullmatch(value) for _, regex in _CONTEXT_RES)


# --- placeholders ------------------------------------------------------------------

_PLACEHOLDER_WORDS = re.compile(
    r"your|xxx|example|placeholder|replace|changeme|change_me|dummy|fake|sample|insert|redacted"
    r"|here|todo|fixme|test|mock|secret_?key|api_?key|token_?here|demo|invalid|notreal|not_?a_?real",
    re.IGNORECASE,
)
_TEMPLATE_RE = re.compile(r"<[^>]*>|\$\{[^}]*\}|\{\{.*?\}\}|\{[A-Za-z_]\w*\}|%\([^)]*\)s|\$[A-Z_]{3,}")
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _has_placeholder_word(body: str, key_format: KeyFormat | None) -> bool:
    # three x's in a row turn up in one random 16-character base-32 body (an AWS key id)
    # of 2,300: in a format of one case, only four say "placeholder"
    one_case = key_format is not None and not key_format.mixed_alphabet
    for match in _PLACEHOLDER_WORDS.finditer(body):
        if one_case and match.group().lower() == "xxx" and "xxxx" not in body.lower():
            continue
        return True
    return False


def _has_sequence(body: str, run: int = 6) -> bool:
    for seq in _SEQUENCES:
        for i in range(len(seq) - run + 1):
            if seq[i : i + run] in body:
                return True
    return False


def _longest_run(body: str) -> int:
    best = current = 0
    previous = ""
    for char in body:
        current = current + 1 if char == previous else 1
        previous = char
        best = max(best, current)
    return best


def shannon_entropy(value: str) -> float:
    """Bits per character of `value`."""
    if not value:
        return 0.0
    counts = Counter(value)
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in counts.values())


def is_placeholder(value: str, key_format: KeyFormat | None = None) -> bool:
    """True for the values people paste into examples instead of a key.

    `sk-...`, `sk-xxxx`, `sk-your-key-here`, `<OPENAI_API_KEY>`, `${OPENAI_API_KEY}`,
    `{{ api_key }}`, `YOUR_API_KEY`, `changeme`, AWS's `...EXAMPLE` keys, repeated or
    sequential characters, and low-entropy strings.
    """
    prefix = key_format.prefix if key_format else ""
    body = value[len(prefix) :] if prefix and value.startswith(prefix) else value
    if "..." in value or "\u2026" in value or "*" * 3 in value:
        return True
    if _TEMPLATE_RE.search(value) or _has_placeholder_word(body, key_format):
        return True
    # a random hex or base-32 body has a run of 5 in about 1 key of 1,700: only a longer
    # run says "placeholder" there
    run_limit = 8 if key_format is not None and not key_format.mixed_alphabet else 5
    if _longest_run(body) >= run_limit or _has_sequence(body):
        return True
    distinct = len(set(body))
    if distinct <= max(4, len(body) // 8):
        return True
    if key_format is not None and key_format.mixed_alphabet and len(body) >= 24:
        classes = sum(
            (any(c.islower() for c in body), any(c.isupper() for c in body), any(c.isdigit() for c in body))
        )
        if classes < 2 or not any(c.isdigit() for c in body):
            return True
    if shannon_entropy(body) < _entropy_floor(body, key_format):
        return True
    return False


def _entropy_floor(body: str, key_format: KeyFormat | None) -> float:
    """Bits per character below which a body reads as made up. A random body's entropy
    grows with its length: 16 random base-32 characters (an AWS key id) fall under 3.0 bits
    once in 300, but under log2(16) - 1.6 = 2.4 less than once in 200,000. A known key
    format (its marker, length and alphabet already matched) gets the length-aware floor;
    a bare value, with nothing else to go on, keeps 3.0."""
    if key_format is None:
        return 3.0
    return min(3.0, math.log2(max(len(body), 2)) - 1.6)


_WORD_SEGMENT_RE = re.compile(r"[a-z]+\d{0,3}|[A-Z]+\d{0,3}|[A-Z]?[a-z]+(?:[A-Z][a-z]+)*\d{0,3}|\d{1,4}")
_SEGMENT_SPLIT_RE = re.compile(r"[-_.~+/=:@ ]+")


def is_word_like(value: str) -> bool:
    """Made of words, not randomness: `openai-access-token-1`, `unused-under-sigv4`,
    `sk-ant-oat01-staging`, `old-access-SECRET`. Real secrets have long random segments."""
    segments = [s for s in _SEGMENT_SPLIT_RE.split(value) if s]
    return bool(segments) and all(len(s) <= 16 and _WORD_SEGMENT_RE.fullmatch(s) for s in segments)


def looks_like_secret(value: str, *, min_length: int = 16) -> bool:
    """Secret-like entropy for a literal used as a credential (AIL102).

    Long enough, no spaces, mixed character classes, high entropy, and not a
    placeholder, a URL, a path, an identifier or an environment-variable name.
    """
    if len(value) < min_length or len(value) > 512:
        return False
    if any(c.isspace() for c in value) or "://" in value or value.startswith(("/", "./", "~")):
        return False
    if re.fullmatch(r"[A-Z][A-Z0-9_]*", value) or re.fullmatch(r"[a-z][a-z_.\-]*", value):
        return False  # an environment-variable or identifier name, not a value
    if is_placeholder(value) or is_word_like(value):
        return False
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )
    if classes < 2:
        return False
    return shannon_entropy(value) >= (3.0 if len(value) >= 16 else 2.5)


def redact(value: str, prefix: str = "") -> str:
    """Show at most the provider prefix, 4 characters of the key's own and the last 2.

    `redact("sk-proj-AbC1....9x", "sk-proj-") == "sk-proj-AbC1…9x"`; short values show less.
    """
    if prefix and value.startswith(prefix):
        body = value[len(prefix) :]
    else:
        prefix, body = "", value
    head = min(4, len(body) // 4)
    tail = min(2, len(body) // 8)
    return f"{prefix}{body[:head]}\u2026{body[len(body) - tail:] if tail else ''}"


#: The pre-filter's test for "this file may hold a key of a standalone format": such a key
#: starts with its prefix (AWS access key ids with one of their four-letter heads), after a
#: character that cannot be part of a key — the same boundary `find_keys` requires.
#: Context-only formats need a credential use, which the credential rules' trigger covers.
def may_hold_key(path: str, text: str, lowered: str) -> bool:
    """AIL101's pre-filter trigger for standalone key formats (see `Rule.triggers`)."""
    return next(_key_starts(text), None) is not None


KEY_TRIGGERS = (may_hold_key,)
