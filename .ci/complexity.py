"""Complexity gate: no function in src/ of radon rank D or worse (cyclomatic complexity > 20).

A function over the line fails `make lint` unless it is listed in DEBTS with who owes the split;
a listed function that got simpler is reported, so the list only shrinks.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from radon.complexity import cc_rank, cc_visit
from radon.visitors import Class

ROOT = Path(__file__).resolve().parents[1]

#: Known functions over the line, as "path:qualified name" -> the owner and the plan.
DEBTS: dict[str, str] = {}


def _functions(blocks: list[Any]) -> Iterator[Any]:
    """Every function, method and closure (radon nests methods in classes, closures in functions)."""
    for block in blocks:
        if isinstance(block, Class):
            yield from _functions(block.methods)
        else:
            yield block
            yield from _functions(block.closures)


def too_complex() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted((ROOT / "src").rglob("*.py")):
        for fn in _functions(cc_visit(path.read_text(encoding="utf-8"))):
            if cc_rank(fn.complexity) >= "D":
                name = f"{fn.classname}.{fn.name}" if fn.classname else fn.name
                found[f"{path.relative_to(ROOT).as_posix()}:{name}"] = fn.complexity
    return found


def main() -> int:
    found = too_complex()
    new = {k: v for k, v in found.items() if k not in DEBTS}
    for key, complexity in sorted(found.items()):
        label = "debt" if key in DEBTS else "FAIL"
        print(f"{label}: {key} complexity {complexity} (rank {cc_rank(complexity)})", file=sys.stderr)
    for key in sorted(set(DEBTS) - set(found)):
        print(f"note: {key} is no longer rank D or worse; remove it from DEBTS in {__file__}", file=sys.stderr)
    if new:
        print("Split these into smaller named functions (CONTRIBUTING.md, Complexity).", file=sys.stderr)
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
