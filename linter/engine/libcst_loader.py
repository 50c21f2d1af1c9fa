"""libcst, imported the first time a file needs a tree.

Importing libcst costs more than everything else in a one-file run together (about
0.4 s of 0.7 s on a slow machine: it builds some 250 node dataclasses), yet most files
of a commit contain no AI code, and the pre-filter (analyze.triggered) leaves those
unparsed. So ailint's modules do not `import libcst`; they bind `cst` from here:

    from linter.engine.libcst_loader import cst

which, until libcst is needed, is a stand-in module. The first attribute read from it
(`cst.Name`, `cst.parse_module`) imports libcst — an ordinary import, nothing in
`sys.modules` is replaced — and points every ailint module that bound the stand-in at
the real module, so the hot paths pay nothing from then on.

Module-level code must not read from `cst` (a type alias is a string; a constant built
from node types is built on first use); `tests/test_lazy_libcst.py` checks that a run
over files that need no tree leaves libcst unimported.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from typing import TYPE_CHECKING, Any

_NAME = "libcst"
_lock = threading.Lock()


class _Deferred(types.ModuleType):
    """Stands in for libcst until an attribute is read from it."""

    def __getattr__(self, attribute: str) -> Any:
        return getattr(load(), attribute)


if TYPE_CHECKING:
    import libcst as cst
else:
    cst = _Deferred(_NAME)

#: the stand-in, once libcst has been imported and every module that bound it rebound
_replaced: list[types.ModuleType] = []


def is_loaded() -> bool:
    """Whether libcst is imported in this process (by ailint or anyone else)."""
    return _NAME in sys.modules


def load() -> types.ModuleType:
    """Import libcst (once) and point every ailint module that bound the stand-in at it."""
    if _replaced:
        return sys.modules[_NAME]
    with _lock:
        real = importlib.import_module(_NAME)
        if _replaced:
            return real
        stand_in = globals()["cst"]
        for name, module in list(sys.modules.items()):
            # ailint's own modules only, and plain ones: reading the namespace of another
            # kind of module (a lazy one) could import it
            if not (name == "linter" or name.startswith("linter.")) or type(module) is not types.ModuleType:
                continue
            namespace = module.__dict__
            for key, value in list(namespace.items()):
                if value is stand_in:
                    namespace[key] = real
        _replaced.append(stand_in)
        return real
