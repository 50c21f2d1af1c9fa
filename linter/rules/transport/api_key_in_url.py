"""AIL203: a key or token passed in the query string of a request URL."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.semantics import literal_string
from linter.engine.values import HOLE
from linter.knowledge.ai_sdks import REQUEST_TRIGGER
from linter.knowledge.credentials import is_credential_name
from linter.knowledge.http import CREDENTIAL_QUERY_PARAMS
from linter.rules.base import Rule


def _is_credential_param(name: str) -> bool:
    name = name.strip().lower()
    return bool(name) and HOLE not in name and (name in CREDENTIAL_QUERY_PARAMS or is_credential_name(name))


class ApiKeyInUrl(Rule):
    """What it does:
    Finds API keys and tokens sent in the query string of a request: a URL with
    `?key=`, `&api_key=`, `?access_token=`, `?token=`... (written in place, in a constant,
    an f-string or a concatenation), or a `params={"key": ...}` argument of a requests,
    httpx or aiohttp call. Gemini's REST examples (`...:generateContent?key=API_KEY`)
    are the common case.

    Why is this bad:
    URLs are logged everywhere a header is not: web-server and proxy access logs, load
    balancers, browser history, error trackers, `requests`' own exception messages and
    retries. A key in a URL leaks into all of them.

    Example:
        requests.post(f"https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key={API_KEY}", json=body)

    Use instead:
        requests.post(
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent",
            headers={"x-goog-api-key": API_KEY},
            json=body,
        )

    Fix:
    Send the credential in a header (`Authorization: Bearer ...`, `x-api-key`,
    `x-goog-api-key`, `api-key`), and rotate a key that was already logged.

    Options:
    None.

    References:
    - CWE-598: Use of GET Request Method With Sensitive Query Strings
    - OWASP LLM02:2025 Sensitive Information Disclosure
    - https://cwe.mitre.org/data/definitions/598.html
    """

    code = "AIL203"
    name = "api-key-in-url"
    summary = "A key or token is passed in the query string of a request URL"
    severity = "error"
    tags = ("CWE-598", "LLM02:2025", "security", "transport")
    security_severity = 6.5
    hint = "send the credential in a header (Authorization, x-api-key, x-goog-api-key)"
    triggers = ("key=", "KEY=", "Key=", "token=", "TOKEN=", "Token=", "secret=", "password=", "auth=", "params", "fields")
    requires = (REQUEST_TRIGGER,)  # it reads the requests and endpoints the AI-call model records

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._seen = 0

    def _check_new(self) -> None:
        endpoints = self.ctx.ai.endpoints
        while self._seen < len(endpoints):
            endpoint = endpoints[self._seen]
            self._seen += 1
            resolved = endpoint.resolved
            if resolved is None or "?" not in resolved.text:
                continue
            query = resolved.text.split("?", 1)[1].split("#", 1)[0]
            for item in query.split("&"):
                name, equal, value = item.partition("=")
                if equal and value and _is_credential_param(name):
                    secrets = tuple(part for part in value.split(HOLE) if len(part) >= 8)
                    self.report(
                        resolved.origin,
                        f"credential in the `{name}` query parameter of {endpoint.where}; URLs end up in logs — "
                        "send it in a header",
                        secrets=secrets,
                    )
                    break

    def visit_Call(self, node: cst.Call) -> None:
        self._check_new()
        request = self.ctx.ai.http_request(node)
        if request is None or request.params is None:
            return
        params = self.ctx.ai.resolve(request.params)
        if not isinstance(params, cst.Dict):
            return
        for element in params.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = literal_string(element.key)
            if key is not None and _is_credential_param(key):
                literal = literal_string(element.value)
                self.report(
                    element,
                    f"credential in the `{key}` query parameter of `{request.callee}`; URLs end up in logs — "
                    "send it in a header",
                    secrets=(literal,) if literal else (),
                )

    def visit_Assign(self, node: cst.Assign) -> None:
        self._check_new()

    def finish(self) -> None:
        self._check_new()
