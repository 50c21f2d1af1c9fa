"""AIL201: a plain-HTTP (or ws://) URL to a non-loopback host used as an endpoint."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.fixes import secure_scheme
from linter.engine.values import HOLE, host_allowed, split_url
from linter.knowledge.ai_sdks import REQUEST_TRIGGER
from linter.knowledge.http import SECURE_SCHEMES
from linter.rules.base import Rule


class InsecureEndpoint(Rule):
    """What it does:
    Finds `http://` and `ws://` URLs to hosts that are not loopback used as the address of
    a request: the endpoint of an AI client (`base_url=`, `azure_endpoint=`, `api_base=`,
    `host=`, `server_url=`, google-genai `http_options={"base_url": ...}`), an endpoint
    set in code (`openai.base_url = ...`, `os.environ["OPENAI_BASE_URL"] = ...`, the
    default of `os.getenv("OPENAI_BASE_URL", ...)`), or the URL of any requests, httpx,
    aiohttp, urllib, urllib3, websockets or `http.client.HTTPConnection` call. The URL may
    be written in place or come from a constant of the module or function, a class
    attribute, an f-string, `+` or `%` concatenation, `str.format`, `urljoin`, or the
    default of `os.getenv(...)`. An Ollama host written without a scheme
    (`Client(host="gpu:11434")`) is plain HTTP too.

    A URL that is only text — a docstring, a comment, an XML namespace, a link in a
    message — is never reported: only URLs used as endpoints are. A URL whose host is not
    known statically (`f"http://{host}/v1"`) is not reported either.

    Why is this bad:
    Everything sent over plain HTTP — the API key in the `Authorization` header, the
    prompt with whatever personal data it holds, the model's answer — can be read and
    changed by anyone on the network path: a shared Wi-Fi, a compromised router, a
    cloud neighbour. Model gateways on "internal" networks are a frequent case.

    Example:
        client = OpenAI(base_url="http://gpu-box.corp.example.com:8000/v1")

    Use instead:
        client = OpenAI(base_url="https://gpu-box.corp.example.com/v1")

    Fix:
    Serve the endpoint over TLS (a reverse proxy such as Caddy or nginx in front of vLLM or
    Ollama is enough) and use `https://`. Local servers on `localhost`/`127.0.0.1` are fine.
    `--fix --unsafe-fixes` changes `http://` to `https://` (`ws://` to `wss://`) in the
    string literal the URL begins with — where it is written, also when that is a constant
    elsewhere in the module, the first piece of an implicit concatenation, or the text at
    the start of an f-string; quotes and prefix kept. Unsafe: the server must accept TLS at
    that host and port. A scheme that is not written plainly at the start of a literal
    (escapes, a name, `f"{scheme}://..."`) and an Ollama host given without a scheme are
    left for you.

    Options:
    `[tool.ailint.transport] allowed-insecure-hosts`: hosts that may be reached over plain
    HTTP. Names, `*` wildcards (`*.internal`), IP addresses and CIDR blocks. The default
    is loopback: `localhost`, `127.0.0.0/8`, `::1`, `0.0.0.0`, `*.localhost`.

    References:
    - CWE-319: Cleartext Transmission of Sensitive Information
    - OWASP LLM02:2025 Sensitive Information Disclosure
    - https://cwe.mitre.org/data/definitions/319.html
    """

    code = "AIL201"
    name = "insecure-endpoint"
    summary = "A plain-HTTP or ws:// URL to a non-loopback host is used as an endpoint"
    severity = "error"
    tags = ("CWE-319", "LLM02:2025", "security", "transport")
    security_severity = 7.5
    hint = "use https:// (put a TLS proxy in front of the server), or allow the host in [tool.ailint.transport]"
    triggers = ("http:", "ws:", "HTTP:", "Http:", "WS:", "HTTPConnection", "ollama", "Ollama", "OLLAMA")
    requires = (REQUEST_TRIGGER,)  # it reads the endpoints the AI-call model records

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._seen = 0

    def _check_new(self) -> None:
        endpoints = self.ctx.ai.endpoints
        allowed = self.ctx.config.transport.allowed_insecure_hosts
        while self._seen < len(endpoints):
            endpoint = endpoints[self._seen]
            self._seen += 1
            if endpoint.resolved is None:
                continue
            url = split_url(endpoint.resolved.text, endpoint.default_scheme)
            if url is None or url.scheme not in ("http", "ws") or url.host is None:
                continue
            if host_allowed(url.host, allowed):
                continue
            port = f":{url.port}" if url.port and HOLE not in url.port else ""
            shown = f"{url.scheme}://{url.host}{port}"
            secure = SECURE_SCHEMES[url.scheme]
            origin = endpoint.resolved.origin
            self.report(
                origin,
                f"plain-{url.scheme.upper()} endpoint `{shown}` ({endpoint.where}) sends requests unencrypted "
                f"to a non-loopback host; use {secure}://",
                fix=secure_scheme(origin, url.scheme, secure),
            )

    def visit_Call(self, node: cst.Call) -> None:
        self._check_new()

    def visit_Assign(self, node: cst.Assign) -> None:
        self._check_new()

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._check_new()

    def finish(self) -> None:
        self._check_new()
