"""The fast walk visits exactly what a plain walk over every non-trivia child visits, in the same order."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from linter.engine.walker import Dispatcher, iter_children

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "linter").rglob("*.py")) + sorted((ROOT / "fixtures").rglob("*.py"))


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.events.append(("Name", node.value))

    def visit_Call(self, node: cst.Call) -> None:
        self.events.append(("Call", type(node.func).__name__))

    def leave_Call(self, node: cst.Call) -> None:
        self.events.append(("/Call", type(node.func).__name__))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.events.append(("String", node.value))

    def visit_BaseCompoundStatement(self, node: cst.BaseCompoundStatement) -> None:
        self.events.append(("Compound", type(node).__name__))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.events.append(("/def", node.name.value))


def plain_walk(node: cst.CSTNode, recorder: Recorder) -> None:
    """The obvious recursive walk, as the reference."""
    for klass in type(node).__mro__:
        method = getattr(recorder, "visit_" + klass.__name__, None)
        if method:
            method(node)
    for child in iter_children(node):
        plain_walk(child, recorder)
    for klass in type(node).__mro__:
        method = getattr(recorder, "leave_" + klass.__name__, None)
        if method:
            method(node)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_same_events_as_a_plain_walk(path: Path) -> None:
    try:
        module = cst.parse_module(path.read_bytes())
    except (cst.ParserSyntaxError, UnicodeDecodeError):
        pytest.skip("a fixture that does not parse")
    fast, plain = Recorder(), Recorder()
    Dispatcher([fast]).walk(module)
    plain_walk(module, plain)
    assert fast.events == plain.events
    assert fast.events or not module.body  # an empty module (a bare __init__.py) has no events


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_lazy_positions_equal_position_provider(path: Path) -> None:
    """Per-statement positions are exactly libcst's whole-module positions."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    from linter.engine.positions import LazyPositions, _statement_end_in, positions_of
    from linter.engine.source import DecodeError, SourceText, decode_source

    try:
        text = decode_source(path.read_bytes())
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, DecodeError):
        pytest.skip("a fixture that does not parse")
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert dict(positions_of(module)) == dict(whole)  # the shortcut past MetadataWrapper
    nodes = [n for n in whole if isinstance(n, (cst.Name, cst.Call, cst.SimpleString, cst.Assign, cst.Arg))]
    lazy = LazyPositions(module, SourceText(text))
    lazy.locate(nodes)
    assert lazy._whole is None or not nodes  # located by the shortcut, not the fallback
    for node in nodes:
        assert lazy.range_of(node) == whole[node]
    assert lazy._whole is None
    for line in range(1, text.count("\n") + 2):
        assert lazy.statement_end(line) == _statement_end_in(whole, line), line


def test_a_visitor_can_switch_a_method_off_for_one_file() -> None:
    module = cst.parse_module("def f(a):\n    return g(a, 'x')\n")
    off, on = Recorder(), Recorder()
    off.visit_Name = None  # type: ignore[assignment]
    Dispatcher([off, on]).walk(module)
    assert ("Name", "g") in on.events and not any(kind == "Name" for kind, _ in off.events)
    assert [e for e in on.events if e[0] != "Name"] == off.events
    # the switch is per visitor object: the next file's recorder gets its calls again
    again = Recorder()
    Dispatcher([again]).walk(module)
    assert again.events == on.events


def test_positions_inside_a_class_come_from_the_one_member() -> None:
    from libcst.metadata import MetadataWrapper, PositionProvider

    from linter.engine.positions import LazyPositions
    from linter.engine.source import SourceText

    text = (
        "import os\n\n\n@decorated\nclass Big(Base):  # header comment\n    '''Doc.'''\n\n"
        "    # a comment before a member\n    x = call(1)\n\n    @property\n    def f(self):\n"
        "        return g(\n            'multi',\n            '''line\nstring''')\n\n"
        "    class Inner:\n        y = h(2)\n    # a footer comment\n\nz = k(3)\n"
    )
    module = cst.parse_module(text)
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    calls = [n for n in whole if isinstance(n, (cst.Call, cst.Name))]
    lazy = LazyPositions(module, SourceText(text))
    lazy.locate(calls)
    for node in calls:
        assert lazy.range_of(node) == whole[node]
    # the shortcut ran for each member with a call or a name, and agreed
    assert {key for key in lazy._ranges if isinstance(key, tuple)} == {(1, 1), (1, 2), (1, 3)}
    assert lazy._whole is None


# decorators whose expression starts below their `@`, semicolons, comments and footers:
# where a class member starts must still come out right, by the shortcut
_MEMBER_CASES = [
    "class A:\n    def f(self):\n        pass\n\n    @(\n        dec\n    )\n    def g(self):\n        zz = 1\n",
    "class A:\n    @(\n        d1\n    )\n    def f(self):\n        x = 1\n    @(\n        dec\n    )\n    def h(self):\n        zz = 1\n",
    "class A:\n    def f(self):\n        pass\n    @(\n      dec\n    )\n    def g(self):\n        zz = 1\n@(\n dec\n)\ndef k():\n    y = 2\n",
    "@(\n  top\n)\nclass B:\n    x = f(1)\n    @\\\n  deco\n    def m(self):\n        return g(2)\n",
    "class C:\n    a = 1; b = h(2)\n    # c\n\n    def m(self):\n        '''doc\nstring'''\n        return k(3)\n    # footer\n",
]


@pytest.mark.parametrize("text", _MEMBER_CASES)
def test_member_positions_with_odd_decorators(text: str) -> None:
    from libcst.metadata import MetadataWrapper, PositionProvider

    from linter.engine.positions import LazyPositions, _statement_end_in
    from linter.engine.source import SourceText

    module = cst.parse_module(text)
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = [n for n in whole if isinstance(n, (cst.Name, cst.Call, cst.Assign))]
    lazy = LazyPositions(module, SourceText(text))
    lazy.locate(nodes)
    for node in nodes:
        assert lazy.range_of(node) == whole[node]
    for line in range(1, text.count("\n") + 2):
        assert lazy.statement_end(line) == _statement_end_in(whole, line), line
    assert lazy._whole is None  # the shortcut, not the fallback
