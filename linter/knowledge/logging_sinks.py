"""Where programs write logs: the log sinks AIL501–AIL504 check, as data.

The engine's recognizer (`linter/engine/logs.py`) reads these tables; nothing here is code
that runs on the scanned file. A *log call* is a call whose arguments end up in log storage:

- the `logging` module (`logging.info(...)`) and its loggers — `logging.getLogger(...)`
  results, and receivers named like a logger (`logger`, `log`, `LOGGER`, `self.logger`,
  `app.logger`, `current_app.logger`) — at every level, `exception` and `log(level, msg)`;
- loguru's `logger` and structlog's bound loggers (whose keyword arguments are logged);
- `warnings.warn`;
- `print` inside a web request handler, or with `file=` (anything but stdout);
- in a *logging helper* (a function whose name says log/audit/trace): `write` on a file
  opened for append, and `json.dump(obj, file)`.
"""

from __future__ import annotations

import re

from linter.knowledge.web import may_define_handler

#: logging methods whose first argument is the message (then %-style arguments)
LEVEL_METHODS = frozenset(
    {
        "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal",
        # loguru
        "trace", "success",
        # structlog
        "msg", "aexception", "adebug", "ainfo", "awarning", "aerror", "acritical",
    }
)
#: `logger.log(level, msg, *args)`: the message is the second argument
LEVEL_FIRST_METHODS = frozenset({"log", "alog"})

#: calls that make a standard-library logger
LOGGER_FACTORIES = frozenset({"logging.getLogger", "logging.getLoggerClass", "logging.LoggerAdapter",
                              "logging.Logger", "logging.root"})
#: calls (and objects) that make a structlog or loguru logger: their keyword arguments are logged
STRUCTURED_FACTORIES = frozenset({"structlog.get_logger", "structlog.getLogger", "structlog.wrap_logger",
                                  "structlog.stdlib.get_logger", "structlog.PrintLogger"})
LOGURU_LOGGERS = frozenset({"loguru.logger"})
#: modules whose functions log: `logging.info(...)`, `structlog.get_logger().info(...)`
LOGGING_MODULES = frozenset({"logging"})

#: receivers that are loggers by their name (the last dotted component, lower-cased)
LOGGER_NAMES = frozenset({"logger", "log", "_logger", "_log", "logger_", "log_", "audit_log", "audit_logger",
                          "app_logger", "request_logger", "access_logger", "error_logger", "root_logger", "logging"})
#: ... or when the name's last token is one of these (`chat_logger`, `LOGGER`, `api_log`)
LOGGER_NAME_RE = re.compile(r"(?:^|_)(?:logger|log)$", re.IGNORECASE)

#: keyword arguments of stdlib logging calls that are not logged data
LOGGING_CONTROL_KEYWORDS = frozenset({"exc_info", "stack_info", "stacklevel"})
#: keyword arguments of any log call that configure it (structlog/loguru log all others)
CONTROL_KEYWORDS = LOGGING_CONTROL_KEYWORDS | frozenset({"level", "category", "sep", "end", "flush", "file"})

#: `warnings.warn` and friends: the message is logged (to stderr, captured by log collectors)
WARNING_CALLS = frozenset({"warnings.warn", "warnings.warn_explicit"})

#: `print(..., file=...)` with one of these is ordinary output, not a log
STDOUT_NAMES = frozenset({"sys.stdout", "sys.__stdout__"})

#: a function whose name has one of these tokens is a logging helper
LOGGING_HELPER_WORDS = frozenset({"log", "logs", "logging", "audit", "trace", "tracing", "record", "journal"})
#: in a logging helper: file writes (on a file opened for append) and serializers to a file
FILE_WRITE_METHODS = frozenset({"write", "writelines"})
FILE_DUMP_CALLS = frozenset({"json.dump", "yaml.dump", "yaml.safe_dump", "pickle.dump", "orjson.dump"})
#: open modes that append
APPEND_MODES = frozenset({"a", "a+", "ab", "at", "a+b", "ab+", "at+"})

#: names that say a value is (part of) a prompt, request payload or model response — used only
#: in logging helpers, where the data arrives as a parameter and its origin is not visible
PROMPT_NAME_WORDS = frozenset({"prompt", "prompts", "messages", "payload", "request", "completion", "response",
                               "answer", "reply", "output", "conversation", "chat", "history"})


# --- the pre-filter: can a file hold a log call at all? ---------------------------------

#: a level method's name, as a word: a call of it is `.name(`, spelled across lines maybe
_LEVEL_NAME_RE = re.compile(r"\b(?:" + "|".join(sorted(LEVEL_METHODS | LEVEL_FIRST_METHODS)) + r")\b")
#: what may follow the name up to the call's `(`: blanks, a backslash continuation, the `)`
#: of `(logger.info)(`, or a comment (taken as a possible call: the test may say yes wrongly,
#: never no)
_BEFORE_CALL_RE = re.compile(r"[ \t\f\r\n\\)]*[(#]")
_BLANK = " \t\f\r\n\\"
_PRINT_RE = re.compile(r"\bprint\b")
#: a function named like a logging helper (`def log_event`, `async def writeAuditRecord`):
#: the name is anything up to a blank or `(`, as Python identifiers hold letters `\w` misses
_HELPER_DEF_RE = re.compile(
    r"\bdef[ \t\f\\\r\n]+[^\s(\\]*?(?:" + "|".join(sorted(LOGGING_HELPER_WORDS)) + ")", re.IGNORECASE
)


def _calls_level_method(text: str) -> bool:
    """Whether a level method may be called: its name after a `.` (blanks, line breaks and
    comments between), before a `(`. A scan rather than one regular expression: with the
    comments inside, an expression searched from every `.` took quadratic time on a long
    comment block whose lines end with a period. Each blank is looked at once."""
    for hit in _LEVEL_NAME_RE.finditer(text):
        if _BEFORE_CALL_RE.match(text, hit.end()) is None:
            continue
        i, line_break = hit.start() - 1, False
        while i >= 0 and text[i] in _BLANK:
            line_break = line_break or text[i] in "\r\n"
            i -= 1
        if i >= 0 and text[i] == ".":
            return True
        if line_break:  # the line above may end in a comment that hides the `.`
            line_start = max(text.rfind("\n", 0, i + 1), text.rfind("\r", 0, i + 1)) + 1
            if text.find("#", line_start, i + 1) >= 0:
                return True
    return False


def may_log(path: str, text: str, lowered: str) -> bool:
    """Whether `text` can hold a log call as engine/logs.py recognizes one: the pre-filter
    trigger of AIL501–AIL504. Each clause is what one kind of log call must spell out: a
    level method called on a receiver; `print` with a `file=` or in a request handler
    (`web.may_define_handler`); the `warnings` module (however imported); or, in a function
    named like a logging helper, a `write` on a file it `open`s, or a `dump`. A file that
    only says "log" (a `catalog`, a `logger` it never calls, `print` in a docstring's
    example) holds none; `tests/test_prefilter.py` checks this against the tracker."""
    return (
        _calls_level_method(text)
        or "warnings" in text
        or (
            _PRINT_RE.search(text) is not None
            and ("file" in text or may_define_handler(path, text, lowered))
        )
        or (
            _HELPER_DEF_RE.search(text) is not None
            and ("dump" in text or ("write" in text and "open" in text))
        )
    )
