"""The AI SDK catalogue (SPEC §8), as data: clients, request methods, and which argument is what.

Facts come from the SDKs' own sources (see /work/research/ai_sdk_catalogue.md for where each
was read). The engine (`linter/engine/ai_calls.py`) reads these tables; nothing here runs.

Vocabulary:
- a *family* is the request surface of a kind of client object: method paths, written as
  attribute paths from the client (`chat.completions.create`), each with a `Request`;
- a `ClientClass` says which constructors (fully qualified, import-resolved) build a client
  of a family, and which of their arguments are endpoints, credentials, HTTP clients;
- `MODULE_CLIENTS` are modules that are themselves clients (`openai.chat.completions.create`,
  `ollama.chat`, `litellm.completion`);
- prompt *roles* name what an argument carries: "messages", "system", "instructions",
  "prompt", "input", "contents", "history", "documents".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from linter.knowledge import http


@dataclass(frozen=True)
class Request:
    """One request method: what it sends and where each part is."""

    kind: str  # "chat" | "completion" | "embedding" | "responses" | "image" | "audio" | "other"
    #: (keyword, role) of the arguments that carry prompt text
    prompts: tuple[tuple[str, str], ...] = ()
    #: (positional index, role) where the prompt may also be positional
    positional: tuple[tuple[int, str], ...] = ()
    #: keywords that carry the end user's identifier
    user_ids: tuple[str, ...] = ()
    #: the call takes the `store` retention switch
    store: bool = False
    #: the provider keeps the data unless `store=False` (OpenAI Responses)
    stores_by_default: bool = False
    #: (keyword, nested key, role): a prompt inside a config object or dict,
    #: e.g. google-genai `config=GenerateContentConfig(system_instruction=...)`
    nested_prompts: tuple[tuple[str, str, str], ...] = ()
    #: the family of the object the method returns, when that object is itself a client
    #: (`client.chats.create()` -> a chat session); such a call is not a request
    returns: str | None = None
    #: keywords that set the endpoint of this one request (LiteLLM `api_base=`)
    endpoints: tuple[str, ...] = ()


_OPENAI_USERS = ("user", "safety_identifier", "metadata")
_CHAT = Request("chat", (("messages", "messages"),), user_ids=_OPENAI_USERS, store=True)
_RESPONSES = Request(
    "responses",
    (("input", "input"), ("instructions", "instructions")),
    user_ids=_OPENAI_USERS,
    store=True,
    stores_by_default=True,
)

_OPENAI: dict[str, Request] = {
    "chat.completions.create": _CHAT,
    "chat.completions.parse": _CHAT,
    "chat.completions.stream": _CHAT,
    "beta.chat.completions.parse": _CHAT,
    "beta.chat.completions.stream": _CHAT,
    "responses.create": _RESPONSES,
    "responses.parse": _RESPONSES,
    "responses.stream": _RESPONSES,
    "beta.responses.create": _RESPONSES,
    "completions.create": Request(
        "completion", (("prompt", "prompt"), ("suffix", "prompt")), user_ids=("user",)
    ),
    "embeddings.create": Request("embedding", (("input", "input"),), user_ids=("user",)),
    "moderations.create": Request("other", (("input", "input"),)),
    "images.generate": Request("image", (("prompt", "prompt"),), user_ids=("user",)),
    "images.edit": Request("image", (("prompt", "prompt"),), user_ids=("user",)),
    "images.create_variation": Request("image", (), user_ids=("user",)),
    "audio.transcriptions.create": Request("audio", (("prompt", "prompt"),)),
    "audio.translations.create": Request("audio", (("prompt", "prompt"),)),
    "audio.speech.create": Request("audio", (("input", "input"), ("instructions", "instructions"))),
    "beta.threads.create": Request("chat", (("messages", "messages"),), user_ids=("metadata",)),
    "beta.threads.messages.create": Request("chat", (("content", "messages"),), user_ids=("metadata",)),
    "beta.threads.runs.create": Request(
        "chat",
        (
            ("instructions", "instructions"),
            ("additional_instructions", "instructions"),
            ("additional_messages", "messages"),
        ),
        user_ids=("metadata",),
    ),
    "beta.threads.create_and_run": Request(
        "chat", (("instructions", "instructions"), ("thread", "messages")), user_ids=("metadata",)
    ),
    "beta.assistants.create": Request("other", (("instructions", "instructions"),), user_ids=("metadata",)),
}

#: openai < 1.0 resources, still recognized as requests (AIL701 reports them as legacy)
_OPENAI_LEGACY: dict[str, Request] = {}
for _verb in ("create", "acreate"):
    _OPENAI_LEGACY[f"ChatCompletion.{_verb}"] = Request("chat", (("messages", "messages"),), user_ids=("user",))
    _OPENAI_LEGACY[f"Completion.{_verb}"] = Request("completion", (("prompt", "prompt"),), user_ids=("user",))
    _OPENAI_LEGACY[f"Embedding.{_verb}"] = Request("embedding", (("input", "input"),), user_ids=("user",))
    _OPENAI_LEGACY[f"Image.{_verb}"] = Request("image", (("prompt", "prompt"),), user_ids=("user",))
    _OPENAI_LEGACY[f"Moderation.{_verb}"] = Request("other", (("input", "input"),))
    _OPENAI_LEGACY[f"Edit.{_verb}"] = Request("completion", (("input", "input"), ("instruction", "instructions")))
for _verb in ("transcribe", "translate", "atranscribe", "atranslate"):
    _OPENAI_LEGACY[f"Audio.{_verb}"] = Request("audio", (("prompt", "prompt"),))

_ANTHROPIC_MESSAGES = Request(
    "chat", (("messages", "messages"), ("system", "system")), user_ids=("metadata",)
)
_ANTHROPIC: dict[str, Request] = {
    "messages.create": _ANTHROPIC_MESSAGES,
    "messages.stream": _ANTHROPIC_MESSAGES,
    "messages.parse": _ANTHROPIC_MESSAGES,
    "messages.count_tokens": Request("other", (("messages", "messages"), ("system", "system"))),
    "messages.batches.create": Request("chat", (("requests", "messages"),)),
    "beta.messages.create": _ANTHROPIC_MESSAGES,
    "beta.messages.stream": _ANTHROPIC_MESSAGES,
    "beta.messages.parse": _ANTHROPIC_MESSAGES,
    "beta.messages.tool_runner": _ANTHROPIC_MESSAGES,
    "beta.messages.batches.create": Request("chat", (("requests", "messages"),)),
    # the legacy Text Completions API (AIL701)
    "completions.create": Request("completion", (("prompt", "prompt"),), user_ids=("metadata",)),
}

_GENAI_CONTENT = Request(
    "chat", (("contents", "contents"),), nested_prompts=(("config", "system_instruction", "system"),)
)
_GOOGLE_GENAI: dict[str, Request] = {
    "models.generate_content": _GENAI_CONTENT,
    "models.generate_content_stream": _GENAI_CONTENT,
    "models.embed_content": Request("embedding", (("contents", "contents"),)),
    "models.count_tokens": Request("other", (("contents", "contents"),)),
    "models.generate_images": Request("image", (("prompt", "prompt"),)),
    "models.generate_videos": Request("other", (("prompt", "prompt"),)),
    "chats.create": Request("chat", (("history", "history"),), returns="google_genai_chat"),
}
_GOOGLE_GENAI_CHAT: dict[str, Request] = {
    "send_message": Request("chat", (("message", "contents"),), positional=((0, "contents"),)),
    "send_message_stream": Request("chat", (("message", "contents"),), positional=((0, "contents"),)),
}
# google.generativeai / vertexai GenerativeModel
_GENERATIVE_MODEL: dict[str, Request] = {
    "generate_content": Request("chat", (("contents", "contents"),), positional=((0, "contents"),)),
    "generate_content_async": Request("chat", (("contents", "contents"),), positional=((0, "contents"),)),
    "count_tokens": Request("other", (("contents", "contents"),), positional=((0, "contents"),)),
    "start_chat": Request("chat", (("history", "history"),), returns="generative_chat"),
}
_GENERATIVE_CHAT: dict[str, Request] = {
    "send_message": Request("chat", (("content", "contents"),), positional=((0, "contents"),)),
    "send_message_async": Request("chat", (("content", "contents"),), positional=((0, "contents"),)),
}
_GENERATIVEAI_MODULE: dict[str, Request] = {
    "embed_content": Request("embedding", (("content", "contents"),), positional=((1, "contents"),)),
    "embed_content_async": Request("embedding", (("content", "contents"),), positional=((1, "contents"),)),
    # PaLM-era functions (removed in google-generativeai 0.6)
    "generate_text": Request("completion", (("prompt", "prompt"),)),
    "chat": Request("chat", (("messages", "messages"), ("context", "system"), ("prompt", "prompt"))),
    "chat_async": Request("chat", (("messages", "messages"), ("context", "system"), ("prompt", "prompt"))),
    "generate_embeddings": Request("embedding", (("text", "input"),)),
}
_VERTEX_LANGUAGE: dict[str, Request] = {
    "predict": Request("completion", (("prompt", "prompt"),), positional=((0, "prompt"),)),
    "predict_async": Request("completion", (("prompt", "prompt"),), positional=((0, "prompt"),)),
    "start_chat": Request("chat", (("context", "system"),), returns="vertex_language_chat"),
}
_VERTEX_LANGUAGE_CHAT: dict[str, Request] = {
    "send_message": Request("chat", (("message", "prompt"),), positional=((0, "prompt"),)),
}

_MISTRAL_CHAT = Request("chat", (("messages", "messages"),), user_ids=("metadata",))
_MISTRAL: dict[str, Request] = {
    **{f"chat.{m}": _MISTRAL_CHAT for m in ("complete", "stream", "complete_async", "stream_async", "parse")},
    **{f"agents.{m}": _MISTRAL_CHAT for m in ("complete", "stream", "complete_async", "stream_async")},
    **{
        f"fim.{m}": Request("completion", (("prompt", "prompt"), ("suffix", "prompt")))
        for m in ("complete", "stream", "complete_async", "stream_async")
    },
    "embeddings.create": Request("embedding", (("inputs", "input"),)),
    "embeddings.create_async": Request("embedding", (("inputs", "input"),)),
    "classifiers.moderate": Request("other", (("inputs", "input"),)),
    "classifiers.moderate_chat": Request("other", (("inputs", "messages"),)),
    "beta.conversations.start": Request("chat", (("inputs", "messages"), ("instructions", "instructions"))),
}
_MISTRAL_V0: dict[str, Request] = {
    "chat": Request("chat", (("messages", "messages"),), positional=((1, "messages"),)),
    "chat_stream": Request("chat", (("messages", "messages"),), positional=((1, "messages"),)),
    "completion": Request("completion", (("prompt", "prompt"),), positional=((1, "prompt"),)),
    "embeddings": Request("embedding", (("input", "input"),), positional=((1, "input"),)),
}

_COHERE_CHAT = Request(
    "chat",
    (
        ("message", "prompt"),
        ("messages", "messages"),
        ("preamble", "system"),
        ("chat_history", "messages"),
        ("documents", "documents"),
    ),
)
_COHERE: dict[str, Request] = {
    "chat": _COHERE_CHAT,
    "chat_stream": _COHERE_CHAT,
    "generate": Request("completion", (("prompt", "prompt"),)),
    "generate_stream": Request("completion", (("prompt", "prompt"),)),
    "embed": Request("embedding", (("texts", "input"), ("inputs", "input"))),
    "rerank": Request("other", (("query", "prompt"), ("documents", "documents"))),
    "summarize": Request("completion", (("text", "input"),)),
    "classify": Request("other", (("inputs", "input"),)),
}

_OLLAMA: dict[str, Request] = {
    "chat": Request("chat", (("messages", "messages"),), positional=((1, "messages"),)),
    "generate": Request(
        "completion",
        (("prompt", "prompt"), ("system", "system"), ("suffix", "prompt")),
        positional=((1, "prompt"), (2, "prompt")),
    ),
    "embed": Request("embedding", (("input", "input"),), positional=((1, "input"),)),
    "embeddings": Request("embedding", (("prompt", "input"),), positional=((1, "input"),)),
}

_LITELLM_USERS = ("user", "safety_identifier", "metadata")
_LITELLM_ENDPOINTS = ("api_base", "base_url")
_LITELLM_CHAT = Request(
    "chat", (("messages", "messages"),), positional=((1, "messages"),), user_ids=_LITELLM_USERS, store=True,
    endpoints=_LITELLM_ENDPOINTS,
)
_LITELLM_RESPONSES = Request(
    "responses",
    (("input", "input"), ("instructions", "instructions")),
    positional=((0, "input"),),
    user_ids=_LITELLM_USERS,
    store=True,
    endpoints=_LITELLM_ENDPOINTS,
)
_LITELLM: dict[str, Request] = {
    "completion": _LITELLM_CHAT,
    "acompletion": _LITELLM_CHAT,
    "text_completion": Request("completion", (("prompt", "prompt"),), user_ids=("user",)),
    "atext_completion": Request("completion", (("prompt", "prompt"),), user_ids=("user",)),
    "embedding": Request("embedding", (("input", "input"),), positional=((1, "input"),), user_ids=("user",),
                         endpoints=_LITELLM_ENDPOINTS),
    "aembedding": Request("embedding", (("input", "input"),), positional=((1, "input"),), user_ids=("user",),
                          endpoints=_LITELLM_ENDPOINTS),
    "responses": _LITELLM_RESPONSES,
    "aresponses": _LITELLM_RESPONSES,
    "image_generation": Request("image", (("prompt", "prompt"),), positional=((0, "prompt"),)),
    "aimage_generation": Request("image", (("prompt", "prompt"),), positional=((0, "prompt"),)),
}

_LC_INPUT = Request("chat", (("input", "input"),), positional=((0, "input"),))
_LANGCHAIN: dict[str, Request] = {
    **{m: _LC_INPUT for m in ("invoke", "ainvoke", "stream", "astream", "astream_events", "astream_log")},
    "batch": Request("chat", (("inputs", "input"),), positional=((0, "input"),)),
    "abatch": Request("chat", (("inputs", "input"),), positional=((0, "input"),)),
    # deprecated in langchain-core in favour of invoke (AIL701)
    "predict": Request("chat", (("text", "prompt"),), positional=((0, "prompt"),)),
    "apredict": Request("chat", (("text", "prompt"),), positional=((0, "prompt"),)),
    "predict_messages": Request("chat", (("messages", "messages"),), positional=((0, "messages"),)),
    "apredict_messages": Request("chat", (("messages", "messages"),), positional=((0, "messages"),)),
    "call_as_llm": Request("chat", (("message", "prompt"),), positional=((0, "prompt"),)),
    "generate": Request("chat", (("messages", "messages"), ("prompts", "prompt")), positional=((0, "messages"),)),
    "agenerate": Request("chat", (("messages", "messages"), ("prompts", "prompt")), positional=((0, "messages"),)),
    # chains built around a model (LLMChain, RetrievalQA, ...)
    "run": Request("chat", (), positional=((0, "input"),)),
    "arun": Request("chat", (), positional=((0, "input"),)),
    # calling the model object itself: `llm("...")` (deprecated `__call__`)
    "": Request("chat", (), positional=((0, "input"),)),
}
_LANGCHAIN_EMBEDDINGS: dict[str, Request] = {
    m: Request("embedding", (("text", "input"), ("texts", "input")), positional=((0, "input"),))
    for m in ("embed_query", "embed_documents", "aembed_query", "aembed_documents")
}
_LLAMAINDEX: dict[str, Request] = {
    **{
        m: Request("completion", (("prompt", "prompt"),), positional=((0, "prompt"),))
        for m in ("complete", "acomplete", "stream_complete", "astream_complete")
    },
    **{
        m: Request("chat", (("messages", "messages"),), positional=((0, "messages"),))
        for m in ("chat", "achat", "stream_chat", "astream_chat")
    },
    "predict": Request("completion", (), positional=((0, "prompt"),)),
    "structured_predict": Request("completion", (), positional=((1, "prompt"),)),
}
_LLAMAINDEX_EMBEDDINGS: dict[str, Request] = {
    m: Request("embedding", (("text", "input"), ("query", "input"), ("texts", "input")), positional=((0, "input"),))
    for m in ("get_text_embedding", "get_query_embedding", "get_text_embedding_batch", "aget_text_embedding", "aget_query_embedding")
}

#: family name -> method path -> Request
FAMILIES: dict[str, dict[str, Request]] = {
    "openai": _OPENAI,
    "openai_module": {**_OPENAI, **_OPENAI_LEGACY},
    "anthropic": _ANTHROPIC,
    "google_genai": _GOOGLE_GENAI,
    "google_genai_chat": _GOOGLE_GENAI_CHAT,
    "generative_model": _GENERATIVE_MODEL,
    "generative_chat": _GENERATIVE_CHAT,
    "generativeai_module": _GENERATIVEAI_MODULE,
    "vertex_language": _VERTEX_LANGUAGE,
    "vertex_language_chat": _VERTEX_LANGUAGE_CHAT,
    "mistral": _MISTRAL,
    "mistral_v0": _MISTRAL_V0,
    "cohere": _COHERE,
    "ollama": _OLLAMA,
    "litellm": _LITELLM,
    "langchain": _LANGCHAIN,
    "langchain_embeddings": _LANGCHAIN_EMBEDDINGS,
    "llamaindex": _LLAMAINDEX,
    "llamaindex_embeddings": _LLAMAINDEX_EMBEDDINGS,
}

#: path segments that do not change what a method sends (`client.with_raw_response...`,
#: google-genai's async view `client.aio...`)
PASSTHROUGH_SEGMENTS = frozenset({"with_raw_response", "with_streaming_response", "aio"})

#: methods of any AI client object that return a configured copy of the same client
SELF_RETURNING = frozenset(
    {
        "with_options",
        "copy",
        # LangChain Runnable configuration
        "bind",
        "bind_tools",
        "with_structured_output",
        "with_retry",
        "with_fallbacks",
        "with_config",
        "with_types",
        "with_listeners",
        "configurable_fields",
        "configurable_alternatives",
        "as_structured_llm",
    }
)


@dataclass(frozen=True)
class ClientClass:
    """Constructors of one kind of AI client."""

    provider: str
    family: str
    #: modules the classes may be imported from (a class matches under any submodule)
    package: str
    classes: tuple[str, ...]
    #: keywords that set the endpoint (and nested dict/config keys: ("http_options", "base_url"))
    endpoints: tuple[str, ...] = ()
    nested_endpoints: tuple[tuple[str, str], ...] = ()
    #: positional index of the endpoint, when it may be positional (ollama `Client(host)`)
    endpoint_position: int | None = None
    credentials: tuple[str, ...] = ("api_key",)
    #: keywords that take an HTTP client (TLS settings travel with it)
    http_clients: tuple[str, ...] = ()
    #: keywords whose dict value is passed to an HTTP client (`client_kwargs={"verify": False}`)
    http_client_kwargs: tuple[str, ...] = ()
    #: (keyword, role) prompts given at construction (`GenerativeModel(system_instruction=...)`)
    prompts: tuple[tuple[str, str], ...] = ()
    #: the constructor takes the `store` retention switch (LangChain `ChatOpenAI(store=True)`)
    store: bool = False


_HTTPX = ("http_client",)
_LC_OPENAI_ENDPOINTS = ("base_url", "openai_api_base")
_LC_HTTP = ("http_client", "http_async_client")

CLIENT_CLASSES: tuple[ClientClass, ...] = (
    ClientClass("openai", "openai", "openai", ("OpenAI", "AsyncOpenAI", "Client", "AsyncClient"),
                endpoints=("base_url", "websocket_base_url"), credentials=("api_key", "admin_api_key", "organization", "project"),
                http_clients=_HTTPX),
    ClientClass("azure-openai", "openai", "openai", ("AzureOpenAI", "AsyncAzureOpenAI"),
                endpoints=("azure_endpoint", "base_url"), credentials=("api_key", "azure_ad_token", "azure_ad_token_provider"),
                http_clients=_HTTPX),
    ClientClass("openai", "openai", "openai", ("BedrockOpenAI", "AsyncBedrockOpenAI"), endpoints=("base_url",), http_clients=_HTTPX),
    ClientClass("anthropic", "anthropic", "anthropic", ("Anthropic", "AsyncAnthropic", "Client", "AsyncClient"),
                endpoints=("base_url",), credentials=("api_key", "auth_token"), http_clients=_HTTPX),
    ClientClass("anthropic-bedrock", "anthropic", "anthropic",
                ("AnthropicBedrock", "AsyncAnthropicBedrock", "AnthropicBedrockMantle", "AsyncAnthropicBedrockMantle",
                 "AnthropicAWS", "AsyncAnthropicAWS"),
                endpoints=("base_url",), credentials=("api_key", "aws_access_key", "aws_secret_key", "aws_session_token"),
                http_clients=_HTTPX),
    ClientClass("anthropic-vertex", "anthropic", "anthropic", ("AnthropicVertex", "AsyncAnthropicVertex"),
                endpoints=("base_url",), credentials=("access_token", "credentials"), http_clients=_HTTPX),
    ClientClass("anthropic-foundry", "anthropic", "anthropic", ("AnthropicFoundry", "AsyncAnthropicFoundry"),
                endpoints=("base_url",), credentials=("api_key", "azure_ad_token_provider"), http_clients=_HTTPX),
    ClientClass("google", "google_genai", "google.genai", ("Client",),
                nested_endpoints=(("http_options", "base_url"),), credentials=("api_key", "credentials")),
    ClientClass("google", "generative_model", "google.generativeai", ("GenerativeModel",),
                credentials=(), prompts=(("system_instruction", "system"),)),
    ClientClass("google-vertex", "generative_model", "vertexai", ("GenerativeModel",),
                credentials=(), prompts=(("system_instruction", "system"),)),
    ClientClass("google-vertex", "vertex_language", "vertexai",
                ("TextGenerationModel.from_pretrained", "ChatModel.from_pretrained", "CodeGenerationModel.from_pretrained"),
                credentials=()),
    ClientClass("mistral", "mistral", "mistralai", ("Mistral", "MistralAzure", "MistralGCP", "MistralGoogleCloud"),
                endpoints=("server_url",), credentials=("api_key",)),
    ClientClass("mistral", "mistral", "mistralai_azure", ("MistralAzure",), endpoints=("azure_endpoint", "server_url")),
    ClientClass("mistral", "mistral", "mistralai_gcp", ("MistralGoogleCloud",), endpoints=("server_url",)),
    ClientClass("mistral", "mistral_v0", "mistralai", ("MistralClient", "MistralAsyncClient"), endpoints=("endpoint",)),
    ClientClass("cohere", "cohere", "cohere",
                ("Client", "AsyncClient", "ClientV2", "AsyncClientV2", "BedrockClient", "BedrockClientV2",
                 "SagemakerClient", "SagemakerClientV2", "OciClient", "OciClientV2", "AwsClient"),
                endpoints=("base_url",), credentials=("api_key", "token"), http_clients=("httpx_client",)),
    ClientClass("groq", "openai", "groq", ("Groq", "AsyncGroq"), endpoints=("base_url",), http_clients=_HTTPX),
    ClientClass("together", "openai", "together", ("Together", "AsyncTogether", "Client", "AsyncClient"),
                endpoints=("base_url",), http_clients=_HTTPX),
    ClientClass("ollama", "ollama", "ollama", ("Client", "AsyncClient"), endpoints=("host",), endpoint_position=0,
                credentials=()),
    ClientClass("litellm", "litellm", "litellm", ("Router",), credentials=()),
    # LangChain chat models and LLMs
    ClientClass("openai", "langchain", "langchain_openai", ("ChatOpenAI", "OpenAI"),
                endpoints=_LC_OPENAI_ENDPOINTS, credentials=("api_key", "openai_api_key"), http_clients=_LC_HTTP, store=True),
    ClientClass("azure-openai", "langchain", "langchain_openai", ("AzureChatOpenAI", "AzureOpenAI"),
                endpoints=("azure_endpoint", *_LC_OPENAI_ENDPOINTS), credentials=("api_key", "openai_api_key", "azure_ad_token"),
                http_clients=_LC_HTTP, store=True),
    ClientClass("openai", "langchain_embeddings", "langchain_openai", ("OpenAIEmbeddings",),
                endpoints=_LC_OPENAI_ENDPOINTS, credentials=("api_key", "openai_api_key"), http_clients=_LC_HTTP),
    ClientClass("azure-openai", "langchain_embeddings", "langchain_openai", ("AzureOpenAIEmbeddings",),
                endpoints=("azure_endpoint", *_LC_OPENAI_ENDPOINTS), credentials=("api_key", "openai_api_key"),
                http_clients=_LC_HTTP),
    ClientClass("anthropic", "langchain", "langchain_anthropic", ("ChatAnthropic", "AnthropicLLM"),
                endpoints=("base_url", "anthropic_api_url"), credentials=("api_key", "anthropic_api_key")),
    ClientClass("google", "langchain", "langchain_google_genai", ("ChatGoogleGenerativeAI", "GoogleGenerativeAI"),
                endpoints=("base_url", "client_options"), nested_endpoints=(("client_options", "api_endpoint"),),
                credentials=("api_key", "google_api_key")),
    ClientClass("google", "langchain_embeddings", "langchain_google_genai", ("GoogleGenerativeAIEmbeddings",),
                credentials=("api_key", "google_api_key")),
    ClientClass("google-vertex", "langchain", "langchain_google_vertexai", ("ChatVertexAI", "VertexAI", "ChatAnthropicVertex"),
                endpoints=("base_url", "api_endpoint"), credentials=("credentials",)),
    ClientClass("ollama", "langchain", "langchain_ollama", ("ChatOllama", "OllamaLLM"), endpoints=("base_url",),
                credentials=(), http_client_kwargs=("client_kwargs", "sync_client_kwargs", "async_client_kwargs")),
    ClientClass("ollama", "langchain_embeddings", "langchain_ollama", ("OllamaEmbeddings",), endpoints=("base_url",),
                credentials=(), http_client_kwargs=("client_kwargs", "sync_client_kwargs", "async_client_kwargs")),
    ClientClass("mistral", "langchain", "langchain_mistralai", ("ChatMistralAI",), endpoints=("endpoint", "base_url"),
                credentials=("api_key", "mistral_api_key")),
    ClientClass("groq", "langchain", "langchain_groq", ("ChatGroq",), endpoints=("base_url", "groq_api_base"),
                credentials=("api_key", "groq_api_key"), http_clients=_LC_HTTP),
    ClientClass("cohere", "langchain", "langchain_cohere", ("ChatCohere",), endpoints=("base_url",),
                credentials=("cohere_api_key",)),
    ClientClass("together", "langchain", "langchain_together", ("ChatTogether",), endpoints=("base_url",)),
    ClientClass("fireworks", "langchain", "langchain_fireworks", ("ChatFireworks",), endpoints=("base_url",)),
    ClientClass("deepseek", "langchain", "langchain_deepseek", ("ChatDeepSeek",), endpoints=("api_base", "base_url")),
    ClientClass("xai", "langchain", "langchain_xai", ("ChatXAI",), endpoints=("xai_api_base", "base_url")),
    ClientClass("perplexity", "langchain", "langchain_perplexity", ("ChatPerplexity",)),
    ClientClass("openrouter", "langchain", "langchain_openrouter", ("ChatOpenRouter",), endpoints=("base_url",)),
    ClientClass("bedrock", "langchain", "langchain_aws", ("ChatBedrock", "ChatBedrockConverse", "ChatAnthropicBedrock"),
                endpoints=("endpoint_url",), credentials=("aws_access_key_id", "aws_secret_access_key")),
    ClientClass("huggingface", "langchain", "langchain_huggingface", ("ChatHuggingFace", "HuggingFaceEndpoint"),
                endpoints=("endpoint_url",), credentials=("huggingfacehub_api_token",)),
    ClientClass("nvidia", "langchain", "langchain_nvidia_ai_endpoints", ("ChatNVIDIA",), endpoints=("base_url",)),
    ClientClass("ibm", "langchain", "langchain_ibm", ("ChatWatsonx",), endpoints=("url",)),
    ClientClass("upstage", "langchain", "langchain_upstage", ("ChatUpstage",), endpoints=("base_url",)),
    ClientClass("azure-ai", "langchain", "langchain_azure_ai", ("AzureAIChatCompletionsModel",), endpoints=("endpoint",)),
    ClientClass("langchain", "langchain", "langchain.chat_models", ("init_chat_model",),
                endpoints=("base_url",), credentials=("api_key",)),
    # legacy LangChain import paths (AIL701 reports them)
    ClientClass("langchain", "langchain", "langchain_community.chat_models",
                ("ChatOpenAI", "AzureChatOpenAI", "ChatAnthropic", "ChatOllama", "ChatVertexAI", "ChatCohere",
                 "ChatMistralAI", "ChatGooglePalm", "ChatTongyi", "ChatLiteLLM", "ChatFireworks", "ChatGroq"),
                endpoints=("base_url", "openai_api_base", "azure_endpoint", "anthropic_api_url", "api_base")),
    ClientClass("langchain", "langchain", "langchain_community.llms",
                ("OpenAI", "AzureOpenAI", "Ollama", "Cohere", "Anthropic", "VertexAI", "HuggingFaceHub", "Replicate",
                 "LlamaCpp", "Bedrock", "Together", "Fireworks", "OpenAIChat"),
                endpoints=("base_url", "openai_api_base", "api_base")),
    ClientClass("langchain", "langchain", "langchain.chat_models",
                ("ChatOpenAI", "AzureChatOpenAI", "ChatAnthropic", "ChatOllama", "ChatVertexAI", "ChatGooglePalm"),
                endpoints=("base_url", "openai_api_base", "azure_endpoint", "anthropic_api_url")),
    ClientClass("langchain", "langchain", "langchain.llms",
                ("OpenAI", "AzureOpenAI", "Ollama", "Cohere", "Anthropic", "VertexAI", "HuggingFaceHub", "OpenAIChat"),
                endpoints=("base_url", "openai_api_base")),
    ClientClass("langchain", "langchain_embeddings", "langchain_community.embeddings",
                ("OpenAIEmbeddings", "OllamaEmbeddings", "CohereEmbeddings", "HuggingFaceEmbeddings"),
                endpoints=("base_url", "openai_api_base")),
    ClientClass("langchain", "langchain_embeddings", "langchain.embeddings", ("OpenAIEmbeddings",),
                endpoints=("openai_api_base",)),
    # LlamaIndex
    ClientClass("openai", "llamaindex", "llama_index.llms.openai", ("OpenAI",), endpoints=("api_base",),
                http_clients=("http_client", "async_http_client")),
    ClientClass("openai", "llamaindex", "llama_index.llms.openai_like", ("OpenAILike",), endpoints=("api_base",)),
    ClientClass("azure-openai", "llamaindex", "llama_index.llms.azure_openai", ("AzureOpenAI",),
                endpoints=("azure_endpoint", "api_base")),
    ClientClass("anthropic", "llamaindex", "llama_index.llms.anthropic", ("Anthropic",), endpoints=("base_url",)),
    ClientClass("google", "llamaindex", "llama_index.llms.gemini", ("Gemini",)),
    ClientClass("google", "llamaindex", "llama_index.llms.google_genai", ("GoogleGenAI",)),
    ClientClass("ollama", "llamaindex", "llama_index.llms.ollama", ("Ollama",), endpoints=("base_url",), credentials=()),
    ClientClass("mistral", "llamaindex", "llama_index.llms.mistralai", ("MistralAI",), endpoints=("endpoint",)),
    ClientClass("groq", "llamaindex", "llama_index.llms.groq", ("Groq",), endpoints=("api_base",)),
    ClientClass("litellm", "llamaindex", "llama_index.llms.litellm", ("LiteLLM",), endpoints=("api_base",)),
    ClientClass("llamaindex", "llamaindex", "llama_index.llms", ("OpenAI", "AzureOpenAI", "Anthropic", "Ollama", "Gemini"),
                endpoints=("api_base", "base_url")),
    ClientClass("openai", "llamaindex_embeddings", "llama_index.embeddings.openai", ("OpenAIEmbedding",),
                endpoints=("api_base",)),
)

#: modules that are clients themselves: module -> (provider, family)
MODULE_CLIENTS: dict[str, tuple[str, str]] = {
    "openai": ("openai", "openai_module"),
    "ollama": ("ollama", "ollama"),
    "litellm": ("litellm", "litellm"),
    "google.generativeai": ("google", "generativeai_module"),
}

#: constructors that wrap a model passed as `llm=`/`model=` (or first positional): the
#: wrapper is a client of the model's provider with the LangChain request surface
WRAPPERS: dict[str, tuple[str, ...]] = {
    "langchain.chains.LLMChain": ("llm",),
    "langchain.chains.ConversationChain": ("llm",),
    "langchain.chains.RetrievalQA.from_chain_type": ("llm",),
    "langchain.chains.ConversationalRetrievalChain.from_llm": ("llm",),
    "langchain.agents.initialize_agent": ("llm",),
    "langchain.agents.create_agent": ("model",),
    "langgraph.prebuilt.create_react_agent": ("model",),
}

# --- raw HTTP to provider hosts -------------------------------------------------------------

#: (host pattern, provider); `*` matches any run of characters
PROVIDER_HOSTS: tuple[tuple[str, str], ...] = (
    ("api.openai.com", "openai"),
    ("*.openai.azure.com", "azure-openai"),
    ("*.azure.openai.com", "azure-openai"),
    ("*.cognitiveservices.azure.com", "azure-openai"),
    ("*.services.ai.azure.com", "azure-ai"),
    ("*.models.ai.azure.com", "azure-ai"),
    ("api.anthropic.com", "anthropic"),
    ("generativelanguage.googleapis.com", "google"),
    ("aiplatform.googleapis.com", "google-vertex"),
    ("*-aiplatform.googleapis.com", "google-vertex"),
    ("aiplatform.*.rep.googleapis.com", "google-vertex"),
    ("api.mistral.ai", "mistral"),
    ("codestral.mistral.ai", "mistral"),
    ("api.cohere.com", "cohere"),
    ("api.cohere.ai", "cohere"),
    ("api.groq.com", "groq"),
    ("openrouter.ai", "openrouter"),
    ("api.together.xyz", "together"),
    ("api.together.ai", "together"),
    ("api.perplexity.ai", "perplexity"),
    ("api.x.ai", "xai"),
    ("api.deepseek.com", "deepseek"),
    ("api.fireworks.ai", "fireworks"),
    ("bedrock-runtime.*.amazonaws.com", "bedrock"),
    ("api-inference.huggingface.co", "huggingface"),
    ("router.huggingface.co", "huggingface"),
    ("ollama.com", "ollama"),
)

#: distinctive request paths of model APIs: a request to one is an AI request whatever the
#: host (OpenAI-compatible gateways, vLLM, LM Studio, a local Ollama)
AI_PATHS: tuple[tuple[str, str, str], ...] = (
    # (path fragment, provider when the host is not a known provider host, kind)
    ("/chat/completions", "openai-compatible", "chat"),
    (":generatecontent", "google", "chat"),
    (":streamgeneratecontent", "google", "chat"),
    ("/api/chat", "ollama", "chat"),
    ("/api/generate", "ollama", "completion"),
)
#: only hosts on this port count for the Ollama paths (`/api/chat` is a common path)
OLLAMA_PORT = "11434"

#: request path fragment -> kind, for requests to provider hosts (first match wins)
PATH_KINDS: tuple[tuple[str, str], ...] = (
    ("/chat/completions", "chat"),
    ("/responses", "responses"),
    ("/completions", "completion"),
    ("/embeddings", "embedding"),
    ("/embed", "embedding"),
    ("/messages", "chat"),
    (":generatecontent", "chat"),
    (":streamgeneratecontent", "chat"),
    (":embedcontent", "embedding"),
    (":batchembedcontents", "embedding"),
    ("/images", "image"),
    ("/audio", "audio"),
    ("/api/chat", "chat"),
    ("/api/generate", "completion"),
    ("/chat", "chat"),
    ("/generate", "completion"),
    ("/complete", "completion"),
)

#: JSON body keys of provider APIs that carry prompt text -> role
BODY_PROMPT_KEYS: dict[str, str] = {
    "messages": "messages",
    "prompt": "prompt",
    "input": "input",
    "inputs": "input",
    "instructions": "instructions",
    "system": "system",
    "systemInstruction": "system",
    "system_instruction": "system",
    "contents": "contents",
    "message": "prompt",
    "preamble": "system",
    "chat_history": "messages",
    "suffix": "prompt",
    "texts": "input",
    "query": "prompt",
    "documents": "documents",
}
BODY_USER_KEYS = ("user", "safety_identifier", "metadata")
BODY_STORE_KEY = "store"

# --- endpoints set outside a constructor ---------------------------------------------------

#: module attributes that set an SDK's endpoint: `openai.base_url = "..."`
MODULE_ENDPOINT_SETTINGS = frozenset({"openai.base_url", "openai.api_base", "openai.azure_endpoint", "litellm.api_base"})

#: environment variables that SDKs read their endpoint from
ENDPOINT_ENV_VARS = frozenset(
    {
        "OPENAI_BASE_URL",
        "OPENAI_API_BASE",
        "AZURE_OPENAI_ENDPOINT",
        "ANTHROPIC_BASE_URL",
        "ANTHROPIC_API_URL",
        "ANTHROPIC_BEDROCK_BASE_URL",
        "ANTHROPIC_VERTEX_BASE_URL",
        "ANTHROPIC_FOUNDRY_BASE_URL",
        "GOOGLE_GEMINI_BASE_URL",
        "GOOGLE_VERTEX_BASE_URL",
        "CO_API_URL",
        "GROQ_BASE_URL",
        "GROQ_API_BASE",
        "TOGETHER_BASE_URL",
        "OLLAMA_HOST",
        "OLLAMA_BASE_URL",
        "LITELLM_API_BASE",
        "MISTRAL_API_BASE",
    }
)

#: keyword arguments that turn TLS verification off when given `False`, per call family
TLS_OFF_KEYWORDS = frozenset({"verify", "ssl", "verify_ssl", "ssl_verify", "verify_ssl_certs"})
#: module attributes that turn TLS verification off when set to False
TLS_OFF_SETTINGS = frozenset({"openai.verify_ssl_certs", "litellm.ssl_verify"})


# --- legacy APIs (AIL701) ------------------------------------------------------------------


@dataclass(frozen=True)
class LegacyApi:
    """A removed or deprecated SDK API and what replaces it."""

    #: fully qualified name (import-resolved)
    name: str
    #: "reference": any use of the name; "import": importing it (or anything under it);
    #: "assign": assigning to it (module configuration)
    match: str
    why: str
    instead: str
    notes: tuple[str, ...] = field(default=())


_V1 = "removed in openai 1.0"
LEGACY_APIS: tuple[LegacyApi, ...] = (
    LegacyApi("openai.ChatCompletion", "reference", _V1, "`OpenAI().chat.completions.create(...)`"),
    LegacyApi("openai.Completion", "reference", _V1, "`OpenAI().completions.create(...)`"),
    LegacyApi("openai.Embedding", "reference", _V1, "`OpenAI().embeddings.create(...)`"),
    LegacyApi("openai.Image", "reference", _V1, "`OpenAI().images.generate(...)`"),
    LegacyApi("openai.Moderation", "reference", _V1, "`OpenAI().moderations.create(...)`"),
    LegacyApi("openai.Edit", "reference", _V1, "`OpenAI().chat.completions.create(...)`"),
    LegacyApi("openai.Audio", "reference", _V1, "`OpenAI().audio.transcriptions.create(...)`"),
    LegacyApi("openai.File", "reference", _V1, "`OpenAI().files`"),
    LegacyApi("openai.FineTune", "reference", _V1, "`OpenAI().fine_tuning.jobs`"),
    LegacyApi("openai.FineTuningJob", "reference", _V1, "`OpenAI().fine_tuning.jobs`"),
    LegacyApi("openai.Model", "reference", _V1, "`OpenAI().models`"),
    LegacyApi("openai.Engine", "reference", _V1, "`OpenAI().models`"),
    LegacyApi("openai.Deployment", "reference", _V1, "`AzureOpenAI(azure_deployment=...)`"),
    LegacyApi("openai.Customer", "reference", _V1, "an explicit `OpenAI()` client"),
    LegacyApi("openai.ErrorObject", "reference", _V1, "the exceptions in `openai` (`openai.APIError`)"),
    LegacyApi("openai.error", "reference", _V1, "the exceptions at the top of `openai` (`openai.RateLimitError`)"),
    LegacyApi("openai.error", "import", _V1, "the exceptions at the top of `openai` (`openai.RateLimitError`)"),
    LegacyApi("openai.InvalidRequestError", "reference", _V1, "`openai.BadRequestError`"),
    LegacyApi("openai.api_resources", "import", _V1, "`openai.resources`"),
    LegacyApi("openai.embeddings_utils", "import", _V1, "your own cosine similarity over `client.embeddings.create(...)`"),
    LegacyApi("openai.api_key", "assign", "module-level `openai.api_key` configuration is the openai<1.0 pattern",
              "an explicit client: `OpenAI(api_key=os.environ[...])` (or just `OpenAI()`)"),
    LegacyApi("openai.api_base", "assign", _V1, "`OpenAI(base_url=...)`"),
    LegacyApi("openai.api_key_path", "assign", _V1, "`OpenAI(api_key=...)`"),
    LegacyApi("openai.proxy", "assign", _V1, "`OpenAI(http_client=httpx.Client(proxy=...))`"),
    LegacyApi("openai.verify_ssl_certs", "assign", _V1, "`OpenAI(http_client=httpx.Client(verify=...))`"),
    LegacyApi("openai.requestssession", "assign", _V1, "`OpenAI(http_client=...)`"),
    LegacyApi("openai.aiosession", "assign", _V1, "`AsyncOpenAI(http_client=...)`"),
    LegacyApi("openai.app_info", "assign", _V1, "nothing (removed)"),
    LegacyApi("anthropic.HUMAN_PROMPT", "reference", "Anthropic's Text Completions prompt format is legacy",
              "the Messages API: `client.messages.create(messages=[...])`"),
    LegacyApi("anthropic.AI_PROMPT", "reference", "Anthropic's Text Completions prompt format is legacy",
              "the Messages API: `client.messages.create(messages=[...])`"),
    LegacyApi("google.generativeai", "import",
              "google-generativeai is deprecated; support ended on September 30, 2025",
              "the google-genai SDK: `from google import genai; genai.Client()`"),
    LegacyApi("vertexai.generative_models", "import",
              "the Vertex AI SDK's generative modules are deprecated (removal June 24, 2026)",
              "`google.genai.Client(vertexai=True, project=..., location=...)`"),
    LegacyApi("vertexai.preview.generative_models", "import",
              "the Vertex AI SDK's generative modules are deprecated (removal June 24, 2026)",
              "`google.genai.Client(vertexai=True, project=..., location=...)`"),
    LegacyApi("vertexai.language_models", "import",
              "the Vertex AI SDK's generative modules are deprecated (removal June 24, 2026)",
              "`google.genai.Client(vertexai=True, project=..., location=...)`"),
    LegacyApi("mistralai.client.MistralClient", "import", "mistralai 0.x `MistralClient` was removed in mistralai 1.0",
              "`from mistralai import Mistral` (v1) / `from mistralai.client import Mistral` (v2)"),
    LegacyApi("mistralai.async_client.MistralAsyncClient", "import", "mistralai 0.x `MistralAsyncClient` was removed in mistralai 1.0",
              "`Mistral(...).chat.complete_async(...)`"),
    LegacyApi("langchain.chat_models.ChatOpenAI", "import", "chat models moved out of `langchain` into partner packages",
              "`from langchain_openai import ChatOpenAI`"),
    LegacyApi("langchain.chat_models.AzureChatOpenAI", "import", "chat models moved out of `langchain` into partner packages",
              "`from langchain_openai import AzureChatOpenAI`"),
    LegacyApi("langchain.chat_models.ChatAnthropic", "import", "chat models moved out of `langchain` into partner packages",
              "`from langchain_anthropic import ChatAnthropic`"),
    LegacyApi("langchain.chat_models.ChatOllama", "import", "chat models moved out of `langchain` into partner packages",
              "`from langchain_ollama import ChatOllama`"),
    LegacyApi("langchain.chat_models.ChatVertexAI", "import", "chat models moved out of `langchain` into partner packages",
              "`from langchain_google_vertexai import ChatVertexAI`"),
    LegacyApi("langchain.llms", "import", "LLMs moved out of `langchain` into partner packages",
              "the partner package, e.g. `from langchain_openai import OpenAI`"),
    LegacyApi("langchain_community.chat_models.ChatOpenAI", "import", "deprecated in favour of langchain-openai",
              "`from langchain_openai import ChatOpenAI`"),
    LegacyApi("langchain_community.chat_models.AzureChatOpenAI", "import", "deprecated in favour of langchain-openai",
              "`from langchain_openai import AzureChatOpenAI`"),
    LegacyApi("langchain_community.chat_models.ChatAnthropic", "import", "deprecated in favour of langchain-anthropic",
              "`from langchain_anthropic import ChatAnthropic`"),
    LegacyApi("langchain_community.chat_models.ChatOllama", "import", "deprecated in favour of langchain-ollama",
              "`from langchain_ollama import ChatOllama`"),
    LegacyApi("langchain_community.llms.OpenAI", "import", "deprecated in favour of langchain-openai",
              "`from langchain_openai import OpenAI`"),
    LegacyApi("langchain_community.llms.Ollama", "import", "deprecated in favour of langchain-ollama",
              "`from langchain_ollama import OllamaLLM`"),
)

#: names on the `openai` module that exist only in openai>=1 (the module-level client and its
#: settings): a file that uses one configures the v1 module client with `openai.api_key = ...`,
#: which is then not the legacy pattern
OPENAI_V1_MODULE_NAMES = frozenset(
    {
        "chat", "responses", "completions", "embeddings", "models", "files", "images", "audio", "beta",
        "moderations", "fine_tuning", "batches", "uploads", "vector_stores", "containers", "conversations",
        "realtime", "evals", "webhooks", "base_url", "http_client", "default_headers", "default_query",
        "max_retries", "timeout", "azure_endpoint", "azure_ad_token", "azure_ad_token_provider",
        "DefaultHttpxClient", "DefaultAsyncHttpxClient",
    }
)
#: legacy assignments that are also valid settings of the v1 module client
OPENAI_V1_MODULE_SETTINGS = frozenset({"openai.api_key"})

#: the AIL701 fix: openai<1.0 resource methods (`openai.<resource>.<method>(...)`) and the
#: openai>=1 module-client method that sends the same request with the same keyword
#: arguments (checked against openai-python 0.28.1 and the v1 `openai/_module_client.py`).
#: Not here: the `a...` coroutines (v1 has no async module client), `Edit` (the endpoint is
#: gone), and resources whose methods take other arguments (`File`, `FineTune`, `Engine`...).
OPENAI_V1_MODULE_METHODS: dict[str, str] = {
    "ChatCompletion.create": "chat.completions.create",
    "Completion.create": "completions.create",
    "Embedding.create": "embeddings.create",
    "Moderation.create": "moderations.create",
    "Image.create": "images.generate",
    "Image.create_variation": "images.create_variation",
    "Image.create_edit": "images.edit",
    "Audio.transcribe": "audio.transcriptions.create",
    "Audio.translate": "audio.translations.create",
}
#: keyword arguments the openai<1.0 methods took for themselves rather than for the API: the
#: v1 methods reject them or give them another meaning (`timeout` was a retry deadline), so a
#: call that passes one is not rewritten
OPENAI_V0_CLIENT_ARGUMENTS = frozenset(
    {"api_key", "api_base", "api_type", "api_version", "organization", "request_id", "engine",
     "deployment_id", "timeout", "request_timeout", "headers"}
)
#: module settings the openai>=1 module client reads as openai<1.0 did; any other
#: `openai.<setting> = ...` (`api_base`, `api_type`, `proxy`...) would be ignored or read
#: differently after the rewrite — a request meant for a proxy or Azure would go to OpenAI
OPENAI_V1_SAME_SETTINGS = frozenset({"openai.api_key", "openai.organization"})

#: request methods that are themselves legacy: (family, method path, provider prefix) -> (why, instead)
LEGACY_METHODS: dict[tuple[str, str], tuple[str, str]] = {
    ("anthropic", "completions.create"): (
        "Anthropic's Text Completions API is legacy",
        "the Messages API: `client.messages.create(messages=[...])`",
    ),
    ("langchain", "predict"): ("`predict` is deprecated in LangChain", "`invoke(...)`"),
    ("langchain", "apredict"): ("`apredict` is deprecated in LangChain", "`ainvoke(...)`"),
    ("langchain", "predict_messages"): ("`predict_messages` is deprecated in LangChain", "`invoke(...)`"),
    ("langchain", "apredict_messages"): ("`apredict_messages` is deprecated in LangChain", "`ainvoke(...)`"),
    ("langchain", "call_as_llm"): ("`call_as_llm` is deprecated in LangChain", "`invoke(...)`"),
    ("langchain", ""): ("calling a LangChain model directly (`__call__`) is deprecated", "`invoke(...)`"),
    ("langchain", "run"): ("`Chain.run` is deprecated in LangChain", "`invoke(...)`"),
    ("langchain", "arun"): ("`Chain.arun` is deprecated in LangChain", "`ainvoke(...)`"),
    ("generativeai_module", "generate_text"): ("PaLM `generate_text` was removed from google-generativeai 0.6",
                                               "google-genai `client.models.generate_content(...)`"),
    ("generativeai_module", "chat"): ("PaLM `chat` was removed from google-generativeai 0.6",
                                      "google-genai `client.chats.create(...)`"),
    ("generativeai_module", "generate_embeddings"): ("PaLM `generate_embeddings` was removed from google-generativeai 0.6",
                                                     "google-genai `client.models.embed_content(...)`"),
}

# --- the shape of a message -----------------------------------------------------------------
#: roles whose text the model treats as its operator's instructions, not the user's
SYSTEM_ROLES = frozenset({"system", "developer"})
#: prompt-argument roles (`PromptArg.role`) that are instructions as a whole
SYSTEM_PROMPT_ARGS = frozenset({"system", "instructions"})
#: roles a chat message may carry (dicts, `(role, text)` tuples of LangChain templates)
MESSAGE_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function", "model", "human", "ai",
                           "placeholder", "chatbot"})
#: message classes (last name of the callee) -> the role they carry; their content is the first
#: positional argument or `content=` / `template=` / `prompt=`
MESSAGE_CLASSES: dict[str, str] = {
    "SystemMessage": "system", "SystemMessagePromptTemplate": "system", "SystemMessageChunk": "system",
    "DeveloperMessage": "developer", "HumanMessage": "user", "HumanMessagePromptTemplate": "user",
    "HumanMessageChunk": "user", "UserMessage": "user", "AIMessage": "assistant", "AIMessageChunk": "assistant",
    "AIMessagePromptTemplate": "assistant", "AssistantMessage": "assistant", "ToolMessage": "tool",
    "FunctionMessage": "function", "SystemPromptPart": "system", "UserPromptPart": "user",
}
#: constructors of a message whose role is a keyword: `ChatMessage(role="system", content=...)`,
#: google-genai `types.Content(role="user", parts=[...])`
ROLE_KEYWORD_MESSAGES = frozenset({"ChatMessage", "ChatMessagePromptTemplate", "Content", "Message",
                                   "ChatCompletionMessageParam", "ChatMessageDict"})
#: keys/keywords that hold a message's text
MESSAGE_CONTENT_KEYS = ("content", "parts", "text", "template", "prompt", "message")
#: calls that build a chat prompt from a list of messages, bound for a model later:
#: LangChain `ChatPromptTemplate.from_messages([...])` / `ChatPromptTemplate(messages=[...])`
MESSAGE_LIST_BUILDERS = frozenset({"from_messages", "ChatPromptTemplate"})


# --- the pre-filter ---------------------------------------------------------------------------


def _longest_literal(pattern: str) -> str:
    return max(pattern.split("*"), key=len).strip(".-")


def _parts(*dotted: str) -> tuple[str, ...]:
    """The distinct dot-separated parts of names, in order."""
    return tuple(dict.fromkeys(part for name in dotted for part in name.split(".") if part))


class NameTerms(tuple):
    """Names split into parts (a tuple of part tuples), grouped by first part for the scan:
    the terms of one SDK share their package, which most files do not mention at all."""

    def __new__(cls, terms: "Iterable[tuple[str, ...]]") -> "NameTerms":
        self = super().__new__(cls, sorted(set(terms)))
        groups: dict[str, list[tuple[str, ...]]] = {}
        for term in self:
            groups.setdefault(term[0], []).append(term[1:])
        self.groups = groups
        return self

    def __add__(self, other: "tuple[tuple[str, ...], ...]") -> "NameTerms":  # type: ignore[override]
        return NameTerms((*self, *other))


#: What a file must contain for this model to recognize an AI request in it: every part of
#: one catalogued name (matched case-sensitively, as Python names are), or one provider host
#: or model API path (ignoring case). The model recognizes an SDK's client, module or
#: wrapper only through the file's own imports (a relative import never resolves to an SDK
#: package), and each part of such a name is written in the file — in the import statement
#: or at the use: `from openai import OpenAI`, `import openai as oa; oa.OpenAI()`. Requiring
#: every part, not just the package, keeps out the many files that merely import
#: `langchain_core` (every file of a LangChain integration package) or `google.cloud`, or
#: mention "anthropic" without naming its `Anthropic` client. Raw HTTP needs a URL naming a
#: provider host or model API path. Derived from the catalogue above, so it cannot fall
#: behind it; configured `extend-clients` are added per run (`may_request_ai`).
AI_NAME_TERMS = NameTerms(
    {_parts(spec.package, name) for spec in CLIENT_CLASSES for name in spec.classes}
    | {_parts(name) for name in MODULE_CLIENTS}
    | {_parts(name) for name in WRAPPERS}
)
AI_URL_WORDS: tuple[str, ...] = tuple(
    sorted(
        {_longest_literal(host).lower() for host, _ in PROVIDER_HOSTS}
        | {path.lower() for path, _, _ in AI_PATHS}
        | {path.lower() for path, _ in PATH_KINDS if len(path) > 6}
        | {OLLAMA_PORT}
    )
)


def mentions_any(terms: NameTerms, text: str) -> bool:
    """Whether every part of one of `terms` occurs in `text`; each distinct part is searched
    for once."""
    present: dict[str, bool] = {}
    for first, rests in terms.groups.items():
        if first not in text:
            continue
        for rest in rests:
            for part in rest:
                found = present.get(part)
                if found is None:
                    found = present[part] = part in text
                if not found:
                    break
            else:
                return True
    return False


def may_request_ai(text: str, lowered: str, extend_clients: tuple[str, ...] = ()) -> bool:
    """Whether a file may hold an AI request (see AI_NAME_TERMS), from its text and lowered text."""
    return (
        mentions_any(AI_NAME_TERMS, text)
        or any(word in lowered for word in AI_URL_WORDS)
        or any(name.rsplit(".", 1)[-1].lower() in lowered for name in extend_clients)
    )


#: every legacy API is named, part by part, where it is imported or used
LEGACY_API_TERMS = NameTerms({_parts(api.name) for api in LEGACY_APIS})


def may_use_legacy_api(path: str, text: str, lowered: str) -> bool:
    """AIL701's pre-filter trigger for the legacy names (its legacy request methods are AI
    requests, which `AI_REQUEST_TRIGGER` covers)."""
    return mentions_any(LEGACY_API_TERMS, text)


#: the marker a rule puts in its `triggers` to mean "a file that may make an AI request"
AI_REQUEST_TRIGGER = "<ai-request>"

#: what else gives the AI-call model an HTTP request or an endpoint: an HTTP library's
#: request function or session class, a module setting of an SDK, and an endpoint
#: environment variable, whose name is written out where it is set or read
REQUEST_NAME_TERMS = NameTerms(
    {_parts(name) for name in http.HTTP_FUNCTIONS}
    | {_parts(name) for name in http.SESSION_CLASSES}
    | {_parts(name) for name in MODULE_ENDPOINT_SETTINGS}
    | {(name,) for name in ENDPOINT_ENV_VARS}
)


def may_send_plain_request(text: str) -> bool:
    """Whether a file may hold a request or endpoint that is not an AI request (REQUEST_NAME_TERMS)."""
    return mentions_any(REQUEST_NAME_TERMS, text)


def may_send_request(text: str, lowered: str, extend_clients: tuple[str, ...] = ()) -> bool:
    """Whether a file may hold any request or endpoint the AI-call model records (AI or plain
    HTTP): an AI request, or one of REQUEST_NAME_TERMS."""
    return may_request_ai(text, lowered, extend_clients) or may_send_plain_request(text)


#: the marker for "a file that may send a request or set an endpoint" (`may_send_request`)
REQUEST_TRIGGER = "<request>"
