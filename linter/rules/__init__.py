"""The rule registry: every `Rule` subclass defined in a module of this package.

Adding a rule is adding one module (plus its fixture); nothing else needs editing.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import lru_cache

from linter.errors import UserError
from linter.rules.base import Rule

__all__ = ["Rule", "all_rules", "rule_by_code_or_name", "select_rules", "SelectionError"]


class SelectionError(UserError, ValueError):
    """A --select/--ignore entry names no rule."""


def _subclasses(klass: type[Rule]) -> Iterable[type[Rule]]:
    for sub in klass.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every registered rule, sorted by code."""
    for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        importlib.import_module(module.name)
    rules = {rule.code: rule for rule in _subclasses(Rule) if rule.code}
    return tuple(rules[code] for code in sorted(rules))


def rule_by_code_or_name(key: str) -> type[Rule] | None:
    key = key.strip()
    for rule in all_rules():
        if rule.code.upper() == key.upper() or rule.name == key.lower():
            return rule
    return None


def _matches(selector: str, rule: type[Rule]) -> bool:
    selector = selector.strip()
    upper = selector.upper()
    if upper in ("ALL", "AIL") or rule.code.startswith(upper) and upper.startswith("AIL"):
        return True
    return rule.name == selector.lower()


def _is_exact(selector: str, rule: type[Rule]) -> bool:
    return selector.strip().upper() == rule.code or selector.strip().lower() == rule.name


def validate_selectors(selectors: Iterable[str]) -> None:
    for selector in selectors:
        if not any(_matches(selector, rule) for rule in all_rules()):
            raise SelectionError(f"unknown rule selector {selector!r}: use a code (AIL101), a prefix (AIL1) or a rule name")


def select_rules(
    select: Iterable[str] | None, extend_select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> tuple[type[Rule], ...]:
    """The enabled rules, Ruff-style.

    With no `select`, every default-on rule. A prefix (`AIL3`, `AIL`) selects the
    default-on rules under it; an exact code or name selects a rule even when it is off by
    default (that is how opt-in rules such as AIL402 are turned on). `ignore` wins.
    """
    select = list(select) if select is not None else None
    extend_select, ignore = list(extend_select), list(ignore)
    validate_selectors([*(select or []), *extend_select, *ignore])
    chosen = []
    for rule in all_rules():
        selectors = (select if select is not None else ["AIL"]) + extend_select
        exact = any(_is_exact(s, rule) for s in selectors)
        by_prefix = rule.default and any(_matches(s, rule) for s in selectors)
        if not (exact or by_prefix):
            continue
        if any(_matches(s, rule) for s in ignore):
            continue
        chosen.append(rule)
    return tuple(chosen)
