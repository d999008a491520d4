"""How much an analysis of a few customers can say: the plain warning `analyze` prints.

A lift of 2.4 among 8 best customers is one or two companies; a founder reading the proposed
ICP should know that before acting on it.
"""

from __future__ import annotations

#: Fewer best customers (or fewer others to compare them with) than this, and the comparison is weak.
SMALL_SAMPLE = 20


def small_sample_warning(rows: int, best: int) -> str | None:
    """The warning for an analysis of ``rows`` customers of which ``best`` are the best, or
    None when both groups hold at least :data:`SMALL_SAMPLE`."""
    rest = rows - best
    if best >= SMALL_SAMPLE and rest >= SMALL_SAMPLE:
        return None
    if best < SMALL_SAMPLE:
        group = f"only {best} best customer{'s' * (best != 1)}"
    else:
        group = f"only {rest} other customer{'s' * (rest != 1)} to compare the best with"
    return (
        f"{group} (of {rows} rows): conclusions from so few customers are weak; a share or lift "
        f"here may be one or two companies. Treat the proposed answers as guesses to check in "
        f"customer interviews, and rerun with a larger export ({SMALL_SAMPLE}+ in each group)."
    )
