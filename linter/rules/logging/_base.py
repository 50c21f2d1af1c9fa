"""What the AIL5 rules share: one pass over the engine's log calls (`ctx.logs`), one finding per
log call, a message that names what is logged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from linter.engine.libcst_loader import cst

from linter.knowledge.logging_sinks import may_log
from linter.rules.base import Rule

if TYPE_CHECKING:
    from linter.engine.logs import LogCall, LoggedSource


def code_of(node: cst.CSTNode, limit: int = 48) -> str:
    try:
        text = " ".join(cst.Module(body=[]).code_for_node(node).split())
    except Exception:
        return type(node).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LogRule(Rule):
    """Base class (no code: not registered)."""

    #: a log call must be spelled out for there to be anything to report
    triggers: ClassVar[tuple[Any, ...]] = (may_log,)
    uses: ClassVar[tuple[str, ...]] = ("logs", "dataflow")
    #: the dataflow label whose logged values the rule reports (rules that choose otherwise
    #: override `select`)
    label: ClassVar[str] = ""

    def select(self, call: "LogCall", found: list["LoggedSource"]) -> list["LoggedSource"]:
        return unique([item for item in found if item.source.label == self.label])

    def message(self, call: "LogCall", picked: list["LoggedSource"]) -> str:
        raise NotImplementedError

    def finish(self) -> None:
        logs = self.ctx.logs
        if logs is None or self.ctx.dataflow is None:
            return
        for call in logs.calls:
            picked = self.select(call, logs.sources(call))
            if picked:
                self.report(call.node, self.message(call, picked))

    def listing(self, picked: list["LoggedSource"]) -> str:
        """The first two things logged, and how many more: "`a`, `b` and 3 more"."""
        shown = ", ".join(self.what(item) for item in picked[:2])
        return shown + (f" and {len(picked) - 2} more" if len(picked) > 2 else "")

    @staticmethod
    def what(item: "LoggedSource") -> str:
        """`data` / `data` (from request.json) for a message."""
        logged = code_of(item.value.expr)
        origin = item.source.description.strip("`")  # type: ignore[attr-defined]
        if origin == logged or origin.startswith("the prompt of"):
            return f"`{logged}`"
        return f"`{logged}` (from {item.source.description if '`' in item.source.description else '`' + origin + '`'})"  # type: ignore[attr-defined]

    @staticmethod
    def verb(call: "LogCall") -> str:
        return "written to a log file" if call.kind == "file" else f"logged by `{call.sink}`"


def unique(items: list["LoggedSource"]) -> list["LoggedSource"]:
    """One entry per logged value."""
    seen: set[int] = set()
    out = []
    for item in items:
        if id(item.value.expr) not in seen:
            seen.add(id(item.value.expr))
            out.append(item)
    return out


def is_the_prompt(found: list["LoggedSource"], expr: cst.BaseExpression) -> bool:
    """The logged value is spelled as a prompt argument of an AI call (`messages`, `payload`):
    AIL502 reports it, even when it also carries raw input (AIL501 reports the rest)."""
    spelling = code_of(expr, 200)
    return any(item.value.expr is expr and item.source.label == "ai_request"
               and code_of(item.source.expr, 200) == spelling for item in found)
