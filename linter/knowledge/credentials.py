"""The vocabulary of credentials: which names, keys and headers hold a secret.

Matching is token-aware: names are split on `_`, `-`, `.`, spaces and camelCase, so
`OPENAI_API_KEY`, `openaiApiKey` and `x-api-key` all read as (…, api, key), while
`max_tokens`, `primary_key`, `tokenizer` and `key_name` do not read as credentials.
"""

from __future__ import annotations

import re

from linter.knowledge.keys import contains_key_shape, has_context_key_shape, looks_like_secret

_SPLIT_RE = re.compile(r"[_\-.\s:/]+")
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def name_tokens(name: str) -> list[str]:
    """`openaiApiKey` -> ['openai', 'api', 'key']; `OPENAI_API_KEY` -> ['openai', 'api', 'key']."""
    tokens: list[str] = []
    for part in _SPLIT_RE.split(name):
        if part:
            tokens.extend(t.lower() for t in _CAMEL_RE.split(part) if t)
    return tokens


# A name ending in one of these holds a credential...
_SECRET_FINAL = {"apikey", "secret", "password", "passwd", "pwd", "passphrase", "credential", "credentials"}
# ...as does one ending in "key" or "token" when the word before says what kind.
_KEY_QUALIFIERS = {
    "api", "secret", "access", "private", "auth", "subscription", "signing", "license", "master",
    "service", "client", "app", "admin", "account", "bearer", "session", "refresh", "id",
}
_TOKEN_NOT_CREDENTIAL = {
    "max", "min", "num", "total", "n", "stop", "bos", "eos", "pad", "unk", "sep", "cls", "mask",
    "special", "next", "prev", "first", "last", "start", "end", "new", "output", "input", "prompt",
    "completion", "cached", "reasoning", "count", "csrf", "page", "continuation", "cancel",
    "cancellation", "sync", "pagination", "xsrf",
}
_NOT_CREDENTIAL_WORDS = {"name", "names", "id", "ids", "env", "var", "file", "path", "header", "field", "type", "len",
                         "length", "count", "url", "prefix", "suffix", "pattern", "regex", "format"}


#: shell variables whose names read like credentials but hold paths (`os.environ["PWD"]`)
_SHELL_VARIABLES = frozenset({"PWD", "OLDPWD"})


def is_credential_name(name: str) -> bool:
    """Whether a variable, attribute, parameter or key called `name` holds a credential."""
    if name in _SHELL_VARIABLES:
        return False
    tokens = name_tokens(name)
    if not tokens:
        return False
    last = tokens[-1]
    if last in _NOT_CREDENTIAL_WORDS and len(tokens) > 1:
        return False
    if last in _SECRET_FINAL:
        return True
    if last in ("key", "token"):
        if len(tokens) == 1:
            return last == "token"
        previous = tokens[-2]
        if last == "key":
            return previous in _KEY_QUALIFIERS
        return previous not in _TOKEN_NOT_CREDENTIAL
    if last == "auth" and len(tokens) > 1 and tokens[-2] in ("basic", "http"):
        return True
    return False


def is_password_name(name: str) -> bool:
    return any(t in ("password", "passwd", "pwd", "passphrase") for t in name_tokens(name))


#: HTTP headers whose value is a credential (lower-cased)
CREDENTIAL_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "x-goog-api-key",
        "x-auth-token",
        "x-access-token",
        "ocp-apim-subscription-key",
        "x-functions-key",
    }
)

_AUTH_SCHEME_RE = re.compile(r"^(?:bearer|basic|token|apikey|key)\s+", re.IGNORECASE)


def strip_auth_scheme(value: str) -> str:
    """`Bearer abc` -> `abc`."""
    return _AUTH_SCHEME_RE.sub("", value.strip())


#: call names whose first argument is an environment variable name and whose default is
#: the second positional argument or `default=`
ENV_LOOKUPS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "environ.get", "getenv"})


#: The pre-filter's test for "this file may use a credential". Every name that
#: `is_credential_name` accepts ends with one of these words (a "key" after a qualifier, an
#: "auth" after basic/http), and every header in CREDENTIAL_HEADERS ends with one; a word
#: followed by a letter or digit (`max_tokens`, `tokenizer`, `keys`) ends no such name.
#: Matched against the raw text, lowered: a name spelt with escapes inside a string is not
#: seen. The words are searched for first and a "key" or an "auth" then checked for its
#: qualifier (separators allowed between): one regular expression with the qualifiers in
#: front, or with `re.IGNORECASE`, is several times slower, and this test runs on every file.
_CREDENTIAL_WORD_RE = re.compile(
    r"(?:key|token|secret|passw(?:or)?d|pwd|passphrase|credentials?|auth(?:orization)?)(?![a-z0-9])"
)
_QUALIFIED = {"key": tuple(sorted(_KEY_QUALIFIERS)), "auth": ("basic", "http")}
_NAME_SEPARATORS = "_-.:/"


def may_use_credential(path: str, text: str, lowered: str) -> bool:
    """The credential rules' pre-filter trigger (see `Rule.triggers`)."""
    for match in _CREDENTIAL_WORD_RE.finditer(lowered):
        qualifiers = _QUALIFIED.get(match.group())
        if qualifiers is None:
            return True
        start = match.start()
        while start > 0 and (lowered[start - 1] in _NAME_SEPARATORS or lowered[start - 1].isspace()):
            start -= 1
        if lowered.endswith(qualifiers, 0, start):
            return True
    return False


def may_be_credential_literal(value: str) -> bool:
    """Whether the credential rules could report a string literal of this value, or one
    whose value is a part of it (a literal inside an implicit or `+` concatenation).

    A superset of what AIL101 and AIL102 test a literal with, so that the pre-filter may
    leave a file unparsed where none of its literals passes (`rules.base.LiteralTrigger`):
    a standalone key anywhere in it (AIL101, joined literals), and — for the value itself
    and without an auth scheme (`Bearer …`, as header values are read) — a context-only
    key's shape (AIL101) or a secret's entropy at a password's shorter length (AIL102).
    `tests/test_prefilter.py` holds it to both rules.
    """
    if contains_key_shape(value):
        return True
    for candidate in {value, strip_auth_scheme(value)}:
        if looks_like_secret(candidate, min_length=8) or has_context_key_shape(candidate):
            return True
    return False
