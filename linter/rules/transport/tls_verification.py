"""AIL202: TLS certificate verification turned off."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.fixes import Fix, flip_bool, written_bool
from linter.engine.semantics import keyword_arg, literal_string
from linter.knowledge import http
from linter.knowledge.ai_sdks import TLS_OFF_KEYWORDS, TLS_OFF_SETTINGS
from linter.rules.base import Rule

_VERIFIED_BY_DEFAULT = "certificates are verified by default"
#: environment variables whose value in code turns verification off for requests/Python
_ENV_OFF = {"PYTHONHTTPSVERIFY": ("0",), "CURL_CA_BUNDLE": ("",), "REQUESTS_CA_BUNDLE": ("",)}


class TlsVerificationDisabled(Rule):
    """What it does:
    Finds code that turns off TLS certificate verification: `verify=False` on a requests,
    httpx or urllib3 call, session or transport (`httpx.Client(verify=False)`,
    `session.verify = False`); aiohttp `ssl=False` / `verify_ssl=False` (on a request or a
    `TCPConnector`); LiteLLM `ssl_verify=False` and `litellm.ssl_verify = False`; an AI
    client given an HTTP client or client options that do not verify
    (`OpenAI(http_client=httpx.Client(verify=False))`, `ChatOllama(client_kwargs={"verify": False})`,
    `ollama.Client(verify=False)`); `ssl._create_unverified_context()`,
    `ssl._create_default_https_context = ssl._create_unverified_context`,
    `ctx.check_hostname = False`, `ctx.verify_mode = ssl.CERT_NONE`,
    `cert_reqs="CERT_NONE"`; openai<1.0 `openai.verify_ssl_certs = False`; and
    `PYTHONHTTPSVERIFY=0` / an empty `CURL_CA_BUNDLE` set in code.
    `verify="/path/to/ca.pem"` (a custom CA bundle) is verification, and is fine.

    Why is this bad:
    Without certificate verification, TLS no longer proves who is at the other end: anyone
    who can intercept the connection can impersonate the provider, read the API key and
    every prompt and response, and change the model's answers. It is as bad as plain HTTP,
    and harder to notice.

    Example:
        client = OpenAI(http_client=httpx.Client(verify=False))

    Use instead:
        client = OpenAI(http_client=httpx.Client(verify="/etc/ssl/certs/corp-ca.pem"))

    Fix:
    Remove the override. For a private or corporate CA, pass its bundle
    (`verify="/path/ca.pem"`, `ssl.create_default_context(cafile=...)`, or set
    `SSL_CERT_FILE` / `REQUESTS_CA_BUNDLE` outside the code).
    `--fix --unsafe-fixes` removes a `verify=False` (`ssl=False`, `verify_ssl=False`,
    `ssl_verify=False`) argument written in the call, and a `"verify": False` entry of
    client options written in place, and turns `session.verify = False` /
    `litellm.ssl_verify = False` / `openai.verify_ssl_certs = False` into `= True` —
    verification on, as by default. Unsafe: connections to a server whose certificate does
    not verify now fail. A `False` that comes from a name, options defined elsewhere, an
    assignment to several targets, SSL contexts (`ssl._create_unverified_context()`,
    `check_hostname`/`verify_mode`/`cert_reqs`, which must change together) and
    environment variables are left for you.

    Options:
    None.

    References:
    - CWE-295: Improper Certificate Validation
    - OWASP LLM02:2025 Sensitive Information Disclosure
    - https://cwe.mitre.org/data/definitions/295.html
    """

    code = "AIL202"
    name = "tls-verification-disabled"
    summary = "TLS certificate verification is turned off"
    severity = "error"
    tags = ("CWE-295", "LLM02:2025", "security", "transport")
    security_severity = 7.5
    hint = "remove the override; for a private CA pass its bundle: verify=\"/path/ca.pem\""
    triggers = ("verify", "ssl", "SSL", "CERT_NONE", "check_hostname", "PYTHONHTTPSVERIFY", "CA_BUNDLE")

    def _is_false(self, value: cst.BaseExpression) -> bool:
        return self.ctx.ai.resolve_bool(value) is False

    def _cert_none(self, value: cst.BaseExpression) -> bool:
        value = self.ctx.ai.resolve(value)
        if isinstance(value, (cst.Name, cst.Attribute)):
            return self.ctx.semantics.qualified_name(value) in http.CERT_NONE
        literal = literal_string(value)
        return literal is not None and literal in http.CERT_NONE_STRINGS

    def visit_Call(self, node: cst.Call) -> None:
        ai = self.ctx.ai
        qualified = self.ctx.ai.imported(node.func)
        if qualified in http.UNVERIFIED_CONTEXTS:
            self.report(node, f"`{qualified}()` builds an SSL context that does not verify certificates")
            return
        if qualified in http.CERT_REQS_CALLS:
            arg = keyword_arg(node, "cert_reqs")
            if arg is not None and self._cert_none(arg.value):
                self.report(arg, f"`cert_reqs` CERT_NONE turns off certificate verification in `{qualified}`")
        construction = ai.construction(node)
        known = (
            ai.http_request(node) is not None
            or construction is not None
            or ai.call(node) is not None
            or qualified in http.TLS_CONNECTORS
            or qualified in http.VERIFY_TRANSPORTS
        )
        if not known:
            return
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in TLS_OFF_KEYWORDS and self._is_false(arg.value):
                keyword = arg.keyword.value
                fix = None
                if written_bool(arg.value, False):
                    fix = Fix.remove_argument(node, arg, f"Remove `{keyword}=False` ({_VERIFIED_BY_DEFAULT})")
                self.report(arg, f"`{keyword}=False` turns off TLS certificate verification", fix=fix)
        if construction is not None and construction.ai:
            for keyword, value in construction.http_client_kwargs:
                options = ai.resolve(value)
                if isinstance(options, cst.Dict):
                    for element in options.elements:
                        if (
                            isinstance(element, cst.DictElement)
                            and literal_string(element.key) in TLS_OFF_KEYWORDS
                            and self._is_false(element.value)
                        ):
                            self.report(
                                element,
                                f"`{keyword}` turns off TLS certificate verification for the "
                                f"`{construction.callee}` client",
                                fix=self._remove_option(value, element),
                            )

    @staticmethod
    def _remove_option(value: cst.BaseExpression, element: cst.DictElement) -> Fix | None:
        """Drop `"verify": False` from client options written in place (a dict defined
        elsewhere may serve other uses too)."""
        if not isinstance(value, cst.Dict) or not written_bool(element.value, False):
            return None
        key = literal_string(element.key)
        return Fix.remove_element(value, element, f'Remove `"{key}": False` ({_VERIFIED_BY_DEFAULT})')

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assignment(target.target, node.value, single=len(node.targets) == 1)

    @staticmethod
    def _turn_on(value: cst.BaseExpression, single: bool) -> Fix | None:
        """`session.verify = False` -> `= True`: the default, so the line could also go, but
        flipping it keeps the statement (and any block it is alone in) valid."""
        return flip_bool(value, False, "Set it to `True` (verify certificates)") if single else None

    def _assignment(self, target: cst.BaseExpression, value: cst.BaseExpression, single: bool) -> None:
        if isinstance(target, cst.Attribute):
            attribute = target.attr.value
            qualified = self.ctx.ai.imported(target)
            if qualified in TLS_OFF_SETTINGS and self._is_false(value):
                self.report(
                    target,
                    f"`{qualified} = False` turns off TLS certificate verification",
                    fix=self._turn_on(value, single),
                )
            elif qualified == "ssl._create_default_https_context":
                if self.ctx.ai.imported(value) in http.UNVERIFIED_CONTEXTS:
                    self.report(target, "every HTTPS connection of the process stops verifying certificates")
            elif attribute == "check_hostname" and self._is_false(value):
                self.report(target, "`check_hostname = False` accepts a certificate issued for any host")
            elif attribute == "verify_mode" and self._cert_none(value):
                self.report(target, "`verify_mode = CERT_NONE` turns off certificate verification")
            elif attribute == "verify" and self._is_false(value) and self.ctx.ai.http_session(target.value):
                self.report(
                    target,
                    "`session.verify = False` turns off TLS certificate verification",
                    fix=self._turn_on(value, single),
                )
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            if self.ctx.ai.imported(target.value) != "os.environ":
                return
            index = target.slice[0].slice
            name = literal_string(index.value) if isinstance(index, cst.Index) else None
            literal = literal_string(value)
            if name in _ENV_OFF and literal is not None and literal.strip() in _ENV_OFF[name]:
                self.report(target, f"setting `{name}` to {literal!r} turns off TLS certificate verification")
