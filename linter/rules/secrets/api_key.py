"""AIL101: a literal that matches a known AI-provider key format."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.fixes import NO_ENV_FIX_KINDS, replace_with_env
from linter.engine.semantics import concatenation_parts, is_concatenation, literal_string
from linter.knowledge.keys import KEY_TRIGGERS, KeyFormat, find_keys, key_character, match_context_key, redact
from linter.rules.base import Rule
from linter.rules.secrets import CREDENTIAL_LITERAL_TRIGGER


def _pieces(node: cst.CSTNode) -> list[tuple[cst.CSTNode | None, str | None]]:
    """The operands of a concatenation (implicit or `+`), in order, with their values."""
    return [(part, literal_string(part)) for part in concatenation_parts(node)]


def _fragments(node: cst.CSTNode) -> tuple[str, ...]:
    """The literal pieces of a concatenation, so each is redacted where shown."""
    return tuple(value for _, value in _pieces(node) if value and len(value) >= 4)


def _end_piece(node: cst.CSTNode, *, last: bool) -> cst.CSTNode:
    """The last (or first) operand of a concatenation, or the node itself."""
    while is_concatenation(node):
        node = node.right if last else node.left  # type: ignore[attr-defined]
    return node


def _piece_at(pieces: list[tuple[cst.CSTNode | None, str | None]], offset: int) -> cst.CSTNode | None:
    """The piece of an all-literal concatenation that holds character `offset` of its value."""
    for piece, value in pieces:
        if value is not None and offset < len(value):
            return piece
        offset -= len(value or "")
    return None


class HardcodedApiKey(Rule):
    """What it does:
    Finds AI-provider API keys written into source: in code, f-string parts, bytes,
    docstrings and comments, including keys split over implicitly concatenated or
    `+`-joined literals. It knows the formats of OpenAI (`sk-proj-`, `sk-svcacct-`,
    `sk-admin-`, legacy `sk-…T3BlbkFJ…`), Anthropic (`sk-ant-api03-`, `sk-ant-admin01-`),
    Google (`AIza…`), Hugging Face (`hf_`, `api_org_`), Groq (`gsk_`), Replicate (`r8_`),
    Perplexity (`pplx-`), xAI (`xai-`), OpenRouter (`sk-or-v1-`), LangSmith (`lsv2_`),
    Pinecone (`pcsk_`), Voyage AI, AWS access key ids and Bedrock keys, and — where the
    literal is used as that provider's credential — Azure OpenAI, Mistral, Cohere and
    DeepSeek keys. Placeholders (`sk-...`, `sk-your-key-here`, `<OPENAI_API_KEY>`,
    `${OPENAI_API_KEY}`, `YOUR_API_KEY`, repeated or sequential characters) are not keys.

    Why is this bad:
    A key in source ends up in version control, forks, CI logs, wheels and notebooks.
    Anyone who reads it can spend on your account and read what your organisation sent
    to the model. Leaked AI keys are found and abused by scanners within minutes.

    Example:
        client = OpenAI(api_key="sk-proj-AbC1...")

    Use instead:
        client = OpenAI()  # reads OPENAI_API_KEY from the environment

    Fix:
    Revoke the key at the provider first — it is already leaked. Then read it from the
    environment or a secret manager. `--fix --unsafe-fixes` replaces a string literal that
    is exactly the key by `os.environ["<PROVIDER>_API_KEY"]` (the variable the provider's
    SDK reads) and adds `import os`; unsafe, because the program then needs that variable
    set. Keys in comments, docstrings, f-strings, bytes and joined literals, and values
    written into `os.environ` or given as a `getenv` default, are left for you to remove.

    Options:
    None.

    References:
    - CWE-798: Use of Hard-coded Credentials
    - OWASP LLM02:2025 Sensitive Information Disclosure
    - https://help.openai.com/en/articles/5112595-best-practices-for-api-key-safety
    """

    code = "AIL101"
    name = "hardcoded-api-key"
    summary = "A literal matches a known AI-provider key format"
    severity = "error"
    tags = ("CWE-798", "LLM02:2025", "security", "secrets")
    security_severity = 9.0
    fix_replaces_secret = True
    hint = "revoke the key, then read it from the environment (os.environ) or a secret manager"
    # a key of a standalone format starts with its prefix; a context-only key is reported
    # only where it is used as a credential. (A prefix itself split over literals or written
    # with escapes, `"s" "k-proj-…"`, is outside what the raw text shows.)
    triggers = (*KEY_TRIGGERS, CREDENTIAL_LITERAL_TRIGGER)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._reported: set[str] = set()
        #: string literals that are exactly a reported key: fix candidates
        self._whole: list[tuple[cst.SimpleString, KeyFormat]] = []
        #: ids of literals that are parts of an implicit concatenation (not replaceable alone)
        self._joined: set[int] = set()
        #: the keys reported at each concatenation the walk is inside (its parts hold parts of them)
        self._enclosing: list[list[str]] = []

    def check_text(self) -> None:
        for key in find_keys(self.ctx.text):
            self._reported.add(key.value)
            self.report_offsets(key.start, key.end, self._message(key.provider, key.redacted), secrets=(key.value,))

    @staticmethod
    def _message(provider: str, redacted: str) -> str:
        return f"{provider} API key `{redacted}` is hardcoded; revoke it and load it from the environment"

    def _check_joined(self, node: cst.BaseExpression) -> list[str]:
        """Report the keys of a concatenation that none of its literals holds whole (the
        raw-text pass saw those); the keys reported."""
        value = literal_string(node)
        if value is None:
            return []
        reported: list[str] = []
        pieces = _pieces(node)
        for key in find_keys(value):
            # nor a part of a key an enclosing concatenation has (a `+` of three literals
            # holds a `+` of two, which may hold a shorter key of a format of any length)
            if any(key.value in piece for _, piece in pieces if piece) or any(
                key.value in whole for keys in self._enclosing for whole in keys
            ):
                continue
            self._reported.add(key.value)
            reported.append(key.value)
            # the piece where the key starts may pass for a key on its own, which the raw-text
            # pass reported: this finding, the whole key, replaces that one (and its fix)
            first = _piece_at(pieces, key.start)
            if first is not None:
                self.ctx.supersede(self, first, key.value)
            self.report(node, self._message(key.provider, key.redacted), secrets=(key.value, *_fragments(node)))
        return reported

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        self._joined.update((id(node.left), id(node.right)))
        self._enclosing.append(self._check_joined(node))

    def leave_ConcatenatedString(self, original_node: cst.ConcatenatedString) -> None:
        self._enclosing.pop()

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if not self._reported or id(node) in self._joined:
            return
        value = literal_string(node)
        if value is not None and value in self._reported:
            keys = find_keys(value)
            if len(keys) == 1 and keys[0].value == value:
                self._whole.append((node, keys[0].key_format))

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Add):
            self._enclosing.append(self._check_joined(node))
            # a literal that a literal continuing a key follows (`name + "sk-…" + "…"`,
            # whose sums are not all literal) is no key to replace alone
            left, right = _end_piece(node.left, last=True), _end_piece(node.right, last=False)
            after = literal_string(right)
            if isinstance(left, cst.SimpleString) and after and key_character(after[0]):
                self._joined.add(id(left))

    def leave_BinaryOperation(self, original_node: cst.BinaryOperation) -> None:
        if isinstance(original_node.operator, cst.Add):
            self._enclosing.pop()

    def finish(self) -> None:
        no_fix = {id(use.value) for use in self.ctx.credentials.uses if use.kind in NO_ENV_FIX_KINDS}
        for node, key_format in self._whole:
            if id(node) not in no_fix:
                self.ctx.offer_fix(self, node, replace_with_env(node, key_format.env_var))
        # where only a credential word has the file parsed, `may_be_credential_literal` (the
        # pre-filter) must pass what is reported here and in `_check_joined`
        for use in self.ctx.credentials.uses:
            if use.literal is None or use.literal in self._reported:
                continue
            key_format = match_context_key(use.literal, use.context)
            if key_format is not None:
                self._reported.add(use.literal)
                redacted = redact(use.literal, key_format.prefix)
                fix = None if use.kind in NO_ENV_FIX_KINDS else replace_with_env(use.value, key_format.env_var)
                self.report(use.value, self._message(key_format.provider, redacted), secrets=(use.literal,), fix=fix)

    @property
    def reported(self) -> frozenset[str]:
        return frozenset(self._reported)
