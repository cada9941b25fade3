"""The dial plan's rules for numbers a tenant gives its extensions and branches, so that every
one stays reachable the way the edge routes calls (``pbx_core.routing.internal_target``);
pure functions. The control plane checks them before it writes (400 / 409).

The edge tries, in order: an emergency number (112-115, never internal), an extension
number, a branch prefix followed by an extension of that branch (F6 short dial), then a
public number (``pbx_core.numbers.parse``). Feature codes start with ``*`` (``*8`` group
pickup, ``**<ext>`` directed pickup) and ``#`` is kept for them too. So:

- an extension may not be an emergency number, nor start with ``*`` or ``#``;
- an extension may not equal another extension's short-dial form (prefix + number): the
  exact extension would win and the other one would lose its short number;
- a short-dial form (prefix + number) may not be an extension, an emergency number or a
  public number (1800/1900 service numbers), or it would reach that instead;
- hence a branch prefix may not be 1800 or 1900 (prefix + 4 or 6 digits = a service number).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pbx_core import numbers
from pbx_core.snapshot import BranchConfig

FEATURE_CHARS = ("*", "#")
SERVICE_PREFIXES = ("1800", "1900")  # toll-free / premium numbers: 4 + 4 or 6 digits


@dataclass(frozen=True)
class Clash:
    field: str
    message: str


@dataclass(frozen=True)
class NumberPlan:
    """A tenant's extensions (number -> branch id, "" = none) and branches (by id)."""

    extensions: dict[str, str]
    branches: dict[str, BranchConfig]

    @classmethod
    def of(cls, extensions: Iterable[tuple[str, str]], branches: Iterable[BranchConfig]) -> NumberPlan:
        return cls(dict(extensions), {b.id: b for b in branches})


def reserved_extension(number: str) -> str | None:
    """Why ``number`` can never be an extension (a field message), or None."""
    if number[:1] in FEATURE_CHARS:
        return "must not start with * or # (feature codes: *8 group pickup, **<ext> directed pickup)"
    if number in numbers.EMERGENCY_NUMBERS:
        return f"{number} is an emergency number ({', '.join(sorted(numbers.EMERGENCY_NUMBERS))} are reserved)"
    return None


def reserved_prefix(prefix: str) -> str | None:
    """Why ``prefix`` can never be a branch prefix (a field message), or None."""
    if prefix[:1] in FEATURE_CHARS:
        return "must not start with * or # (feature codes)"
    if prefix in SERVICE_PREFIXES:
        return f"{prefix} starts toll-free and premium numbers ({prefix} + 4 or 6 digits)"
    return None


def _short_form_clash(plan: NumberPlan, branch: BranchConfig, member: str, field: str) -> Clash | None:
    dialled = branch.prefix + member
    what = f"prefix {branch.prefix} + extension {member} = {dialled}"
    if dialled in numbers.EMERGENCY_NUMBERS:
        return Clash(field, f"{what} is an emergency number")
    if dialled in plan.extensions:
        return Clash(field, f"{what} is extension {dialled}, so {member} could not be reached by its short number")
    if numbers.parse(dialled) is not None:
        return Clash(field, f"{what} is a public number")
    return None


def extension_clash(plan: NumberPlan, number: str, branch_id: str, *, new: bool = True) -> Clash | None:
    """Would adding ``number`` in ``branch_id`` ("" = none), or moving it there
    (``new=False``), make another extension's short number, or its own, unreachable?"""
    for branch in plan.branches.values() if new else ():
        if number.startswith(branch.prefix):
            member = number[len(branch.prefix) :]
            if plan.extensions.get(member) == branch.id:
                return Clash(
                    "number",
                    f"{number} is the short number of extension {member} of branch {branch.name!r} "
                    f"(prefix {branch.prefix}), which could then not be reached by it",
                )
    target = plan.branches.get(branch_id) if branch_id else None
    if target is not None:
        others = NumberPlan({n: b for n, b in plan.extensions.items() if n != number}, plan.branches)
        return _short_form_clash(others, target, number, "branch_id")
    return None


def prefix_clash(plan: NumberPlan, branch_id: str | None, prefix: str) -> Clash | None:
    """Would ``prefix`` on branch ``branch_id`` (None = a new, empty branch) break the short
    number of one of its extensions?"""
    if branch_id is None:
        return None
    branch = BranchConfig(branch_id, plan.branches[branch_id].name if branch_id in plan.branches else "", prefix)
    for member in sorted(n for n, b in plan.extensions.items() if b == branch_id):
        clash = _short_form_clash(plan, branch, member, "prefix")
        if clash is not None:
            return clash
    return None
