"""HTTP client libraries, as data: which calls send a request, where their URL is, which
objects are sessions, and which arguments turn TLS verification off.

Read by the engine's AI-call model (`linter/engine/ai_calls.py`) for raw HTTP requests and
by the transport rules (AIL201/AIL202/AIL203).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HttpCall:
    """A call that sends (or opens) a request."""

    library: str
    #: positional index and keyword of the URL
    url_position: int | None = 0
    url_keywords: tuple[str, ...] = ("url",)
    #: the URL is a bare host (http.client connections): the scheme comes from `scheme`
    scheme: str | None = None
    #: keywords holding the request body, and whether they are JSON (dict) bodies
    json_keywords: tuple[str, ...] = ("json",)
    data_keywords: tuple[str, ...] = ("data", "content", "body")
    params_keywords: tuple[str, ...] = ("params",)


_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
_REQ = HttpCall("requests")
_REQ_METHOD = HttpCall("requests", url_position=1)
_HTTPX = HttpCall("httpx")
_HTTPX_METHOD = HttpCall("httpx", url_position=1)
_AIOHTTP = HttpCall("aiohttp", url_keywords=("url", "str_or_url"))
_AIOHTTP_METHOD = HttpCall("aiohttp", url_position=1, url_keywords=("url", "str_or_url"))
_URLLIB3_METHOD = HttpCall("urllib3", url_position=1, json_keywords=("json",), data_keywords=("body",),
                           params_keywords=("fields",))
_WS = HttpCall("websocket", url_keywords=("uri", "url"), json_keywords=(), data_keywords=(), params_keywords=())

#: module-level request functions, by qualified name
HTTP_FUNCTIONS: dict[str, HttpCall] = {
    **{f"requests.{verb}": _REQ for verb in _VERBS},
    **{f"requests.api.{verb}": _REQ for verb in _VERBS},
    "requests.request": _REQ_METHOD,
    "requests.api.request": _REQ_METHOD,
    **{f"httpx.{verb}": _HTTPX for verb in _VERBS},
    "httpx.request": _HTTPX_METHOD,
    "httpx.stream": _HTTPX_METHOD,
    "aiohttp.request": _AIOHTTP_METHOD,
    "urllib.request.urlopen": HttpCall("urllib", json_keywords=(), data_keywords=("data",), params_keywords=()),
    "urllib.request.Request": HttpCall("urllib", json_keywords=(), data_keywords=("data",), params_keywords=()),
    "urllib2.urlopen": HttpCall("urllib", json_keywords=(), data_keywords=("data",), params_keywords=()),
    "urllib2.Request": HttpCall("urllib", json_keywords=(), data_keywords=("data",), params_keywords=()),
    "urllib3.request": _URLLIB3_METHOD,
    "http.client.HTTPConnection": HttpCall("http.client", url_keywords=("host",), scheme="http", json_keywords=(),
                                           data_keywords=(), params_keywords=()),
    "http.client.HTTPSConnection": HttpCall("http.client", url_keywords=("host",), scheme="https", json_keywords=(),
                                            data_keywords=(), params_keywords=()),
    "httplib.HTTPConnection": HttpCall("http.client", url_keywords=("host",), scheme="http", json_keywords=(),
                                       data_keywords=(), params_keywords=()),
    "websockets.connect": _WS,
    "websockets.client.connect": _WS,
    "websocket.create_connection": _WS,
    "websocket.WebSocketApp": _WS,
}

#: session classes (qualified) -> session family
SESSION_CLASSES: dict[str, str] = {
    "requests.Session": "requests",
    "requests.session": "requests",
    "requests.sessions.Session": "requests",
    "httpx.Client": "httpx",
    "httpx.AsyncClient": "httpx",
    "aiohttp.ClientSession": "aiohttp",
    "urllib3.PoolManager": "urllib3",
    "urllib3.ProxyManager": "urllib3",
    "urllib3.HTTPConnectionPool": "urllib3_pool",
    "urllib3.HTTPSConnectionPool": "urllib3_pool",
    "urllib3.connectionpool.HTTPConnectionPool": "urllib3_pool",
}

#: session family -> method -> call
SESSION_METHODS: dict[str, dict[str, HttpCall]] = {
    "requests": {**{verb: _REQ for verb in _VERBS}, "request": _REQ_METHOD},
    "httpx": {**{verb: _HTTPX for verb in _VERBS}, "request": _HTTPX_METHOD, "stream": _HTTPX_METHOD},
    "aiohttp": {**{verb: _AIOHTTP for verb in _VERBS}, "request": _AIOHTTP_METHOD, "ws_connect": _AIOHTTP},
    "urllib3": {"request": _URLLIB3_METHOD, "urlopen": _URLLIB3_METHOD, "request_encode_body": _URLLIB3_METHOD},
    # a connection pool is bound to a host; its request URL is a path
    "urllib3_pool": {},
}

#: session constructors whose keyword sets a base URL every request goes to
SESSION_BASE_URL_KEYWORDS: dict[str, tuple[str, ...]] = {
    "httpx": ("base_url",),
    "aiohttp": ("base_url",),
}

#: plain-text URL schemes and their TLS counterparts
SECURE_SCHEMES: dict[str, str] = {"http": "https", "ws": "wss"}

#: calls (qualified) that build an SSL context that does not verify
UNVERIFIED_CONTEXTS = frozenset({"ssl._create_unverified_context", "ssl._create_stdlib_context"})
#: qualified names meaning "no certificate check" when given as `verify_mode`/`cert_reqs`
CERT_NONE = frozenset({"ssl.CERT_NONE"})
CERT_NONE_STRINGS = frozenset({"CERT_NONE", "NONE", "none"})
#: constructors whose `ssl=False` / `verify_ssl=False` keyword disables verification
TLS_CONNECTORS = frozenset({"aiohttp.TCPConnector", "aiohttp.connector.TCPConnector"})
#: constructors / functions with a `cert_reqs` keyword
CERT_REQS_CALLS = frozenset(
    {
        "urllib3.PoolManager",
        "urllib3.ProxyManager",
        "urllib3.HTTPSConnectionPool",
        "urllib3.connection_from_url",
        "urllib3.util.ssl_.create_urllib3_context",
        "urllib3.util.create_urllib3_context",
    }
)
#: transports that take `verify=`
VERIFY_TRANSPORTS = frozenset({"httpx.HTTPTransport", "httpx.AsyncHTTPTransport", "openai.DefaultHttpxClient",
                               "openai.DefaultAsyncHttpxClient", "anthropic.DefaultHttpxClient",
                               "anthropic.DefaultAsyncHttpxClient"})

#: URL query parameters that carry a credential (besides names `is_credential_name` accepts)
CREDENTIAL_QUERY_PARAMS = frozenset({"key", "apikey", "api-key", "api_key", "access_token", "token", "auth",
                                     "auth_token", "client_secret", "secret", "password", "x-api-key",
                                     "subscription-key"})
