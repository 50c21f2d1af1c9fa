"""What the AIL3/AIL6 rules need beyond `sources_of`: the AI model classifies calls the walk has
not reached yet, splits messages by role, and the dataflow says what a list was built from."""

from __future__ import annotations

import textwrap

import libcst as cst

from linter.config import Config
from linter.engine.ai_calls import AiModel, message_role
from linter.engine.dataflow import DataflowTracker
from linter.engine.semantics import Semantics, dotted_name, literal_string
from linter.engine.walker import Dispatcher


def _walk(code: str, probe_factory):
    module = cst.parse_module(textwrap.dedent(code))
    semantics = Semantics(module)
    ai = AiModel(semantics, module, "app.py", Config())
    tracker = DataflowTracker(semantics, module, is_ai_request=lambda call: ai.call(call) is not None)
    probe = probe_factory(ai, tracker)
    Dispatcher([semantics, ai, tracker, probe]).walk(module)
    return probe


def test_a_call_further_down_is_classified_on_demand_without_changing_the_walks_facts():
    code = """
        from openai import OpenAI
        client = OpenAI()
        def first():
            sink(later())
        def later():
            return client.responses.create(model="m", input="x").output_text
    """

    class Probe:
        def __init__(self, ai, tracker):
            self.ai, self.tracker, self.seen, self.calls_before = ai, tracker, [], None

        def visit_Call(self, node):
            if dotted_name(node.func) == "sink":
                self.seen = [s.label for s in self.tracker.sources_of(node.args[0].value)]
                self.calls_before = len(self.ai.calls)

    probe = _walk(code, Probe)
    assert probe.seen == ["model_output"]
    assert probe.calls_before == 0  # the side walk did not add to the walk's own record
    assert len(probe.ai.calls) == 1  # ...and the walk still records the call once


def test_message_roles_of_each_shape():
    def role(text):
        found = message_role(cst.parse_expression(text))
        return None if found is None else (found[0], literal_string(found[1]) or type(found[1]).__name__)

    assert role('{"role": "system", "content": "a"}') == ("system", "a")
    assert role('{"role": r, "content": "a"}') == ("unknown", "a")
    assert role('("system", "a")') == ("system", "a")
    assert role('SystemMessage(content="a")') == ("system", "a")
    assert role('SystemMessagePromptTemplate.from_template("a")') == ("system", "a")
    assert role('HumanMessage("a")') == ("user", "a")
    assert role('types.Content(role="user", parts=["a"])') == ("user", "List")
    assert role('{"content": "a"}') is None
    assert role('("a", "b", "c")') is None
    assert role("make_message()") is None


def test_elements_of_follows_appends_names_and_concatenation():
    code = """
        def f(history):
            system = {"role": "system", "content": "s"}
            messages = [system]
            messages.append({"role": "user", "content": "u"})
            messages.extend([("assistant", "a"), ("user", "b")])
            messages += history
            sink(messages + [{"role": "user", "content": "last"}])
    """

    class Probe:
        def __init__(self, ai, tracker):
            self.tracker, self.elements = tracker, []

        def visit_Call(self, node):
            if dotted_name(node.func) == "sink":
                self.elements = self.tracker.elements_of(node.args[0].value)

    probe = _walk(code, Probe)
    shapes = [message_role(e)[0] if message_role(e) else dotted_name(e) for e in probe.elements]
    assert shapes == ["system", "user", "assistant", "user", "history", "user"]


def test_values_of_is_the_reaching_assignment_and_what_was_added():
    code = """
        def f(q):
            sql = "SELECT 1"
            sql = f"SELECT * FROM {q}"
            sql += " LIMIT 1"
            sink(sql)
    """

    class Probe:
        def __init__(self, ai, tracker):
            self.tracker, self.values = tracker, []

        def visit_Call(self, node):
            if dotted_name(node.func) == "sink":
                self.values = self.tracker.values_of(node.args[0].value)

    probe = _walk(code, Probe)
    assert [type(v).__name__ for v in probe.values] == ["FormattedString", "SimpleString"]
