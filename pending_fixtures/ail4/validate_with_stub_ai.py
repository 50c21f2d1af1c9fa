"""Ad-hoc check of the pending AIL4 fixtures with a STUB AI-call model (run from the worktree root:
`.venv/bin/python pending_fixtures/ail4/validate_with_stub_ai.py`). Delete after the AI model merge."""
import os, sys, types
from pathlib import Path
sys.path.insert(0, "tests")
import libcst as cst
from linter.engine import runner
from linter.engine.semantics import dotted_name
from linter.rules.base import Rule
from fixture_harness import compare, describe, expectations
from linter.config import Config, load_config
from linter.discovery import Discovery

AI = ("completions.create", "messages.create", "responses.create", "litellm.completion")

class StubAi(Rule):
    def __init__(self, ctx):
        super().__init__(ctx); self.stack = []; self.calls = {}; self.ai = {}
        ctx.ai = types.SimpleNamespace(call=self.call)
    def call(self, node):
        d = dotted_name(node.func) or ""
        q = self.ctx.semantics.qualified_name(node.func) or ""
        return types.SimpleNamespace(callee=d) if (d.endswith(AI) or q.endswith(AI)) else None
    def visit_FunctionDef(self, node):
        self.stack.append(".".join(self.ctx.semantics.scope)); self.calls.setdefault(self.stack[-1], [])
    def leave_FunctionDef(self, node): self.stack.pop()
    def visit_Call(self, node):
        if not self.stack: return
        q = self.ctx.semantics.qualified_name(node.func)
        if q: self.calls[self.stack[-1]].append(q)
        if self.call(node): self.ai[self.stack[-1]] = dotted_name(node.func)
    def leave_Module(self, node):
        self.ctx.facts["calls"] = self.calls
        if self.ai: self.ctx.facts["ai_functions"] = self.ai

ns = {}
for f in Path("pending_fixtures/ail4/rules_draft").glob("*.txt"):
    exec(compile(f.read_text(), str(f), "exec"), ns)
RULES = (StubAi, ns["UnthrottledAiEndpoint"], ns["UnthrottledAiFanOut"])
orig = runner.analyze_all
runner.analyze_all = lambda t, c, r, jobs=None: orig(t, c, r or (StubAi,), jobs)

base = Path("pending_fixtures")
os.chdir(base)
ok = True
units = sorted(p for p in Path("ail4").glob("*.py")) + sorted(p for p in Path("ail4").glob("project_*"))
for unit in units:
    if unit.is_dir():
        config = load_config(None, str(unit)); files = Discovery(config).files([str(unit)])
    else:
        config, files = Config(), [unit]
    out = runner.run(runner.targets_for(files), config, RULES, jobs=1)
    exp = [e for f in files for e in expectations(f, os.path.relpath(f))]
    missing, extra = compare(exp, [f for f in out.findings if f.code == "AIL401"])
    print(unit, "OK" if not (missing or extra) else "FAIL\n" + describe(missing, extra))
    ok &= not (missing or extra)
    for f in out.findings:
        if f.code == "AIL401": print("   ", f.path, f.line, f.message)
    if unit.is_dir():  # single-file runs give the same AIL401 result per file
        for file in files:
            single = runner.run(runner.targets_for([file]), config, RULES, jobs=1)
            whole = sorted((f.line, f.message) for f in out.findings if f.path == os.path.relpath(file))
            got = sorted((f.line, f.message) for f in single.findings)
            print("   single", file, "same" if got == whole else f"DIFF {got} vs {whole}")
            ok &= got == whole
print("ALL OK" if ok else "FAILURES")
