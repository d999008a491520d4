"""The scorer compiled to one SQL SELECT: what `icpchat score` runs and `score --sql` prints.

The SELECT reads a table named ``leads`` (text columns named as in the leads CSV) and returns
every lead column plus ``score``, ``tier``, ``icp`` and ``reasons`` ("; " between reasons),
exactly as :func:`icpchat.analysis.scoring.score_row` scores: the criteria come from the same
:class:`~icpchat.analysis.scoring.Rule` objects, text matching from
:mod:`~icpchat.analysis.matching` and numbers from :mod:`~icpchat.analysis.amount_sql`.

Shape: each scored column's distinct values are read once (a CTE per column), every
distinct combination of those values is scored once, and the leads are joined to their
combination. A warehouse scores ten million leads with a few thousand distinct values.

Portability: only CASE, COALESCE, ``||``, LIKE, LENGTH, SUBSTRING, TRIM, REPLACE, TRANSLATE,
CHR, FLOOR, CAST, GREATEST (several ICPs) and CTEs. Verified by the tests on DuckDB only;
identifiers are double-quoted and numbers DOUBLE PRECISION as ANSI has them (BigQuery and
Spark SQL spell these with backticks and FLOAT64/DOUBLE). Known limits, shared with the
number reader's SQL: a number's digits are cast as the engine casts text to a double.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from icpchat.analysis.amount_sql import amount_stages
from icpchat.analysis.matching import Step, level_sql
from icpchat.analysis.scoring import Rule
from icpchat.analysis.sqltext import Dialect, display_sql, ident, lit
from icpchat.domain.models import Scale, SizeRange

__all__ = ["scorer_sql"]

_RAW = "\x00"


def _double(value: float) -> str:
    return f"CAST({lit(repr(float(value)))} AS DOUBLE PRECISION)"


def _said(rule: Rule, status: str, note: str = "") -> str:
    """The reason as SQL: the rule's own text with the cell's value put in."""
    before, _, after = (rule.said(_RAW, status) + note).partition(_RAW)
    return f"{lit(before)} || raw || {lit(after)}"


def _in_range(rng: SizeRange | None) -> str | None:
    if rng is None:
        return None
    parts = [
        f"n >= {_double(rng.min)}" if rng.min is not None else "",
        f"n <= {_double(rng.max)}" if rng.max is not None else "",
    ]
    return "(" + " AND ".join(p for p in parts if p) + ")" if any(parts) else "1 = 1"


@dataclass
class _Outcomes:
    """A rule's outcomes in order: the condition (SQL), its status and the reason (SQL)."""

    whens: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, condition: str, status: str, reason: str) -> None:
        self.whens.append((condition, status, reason))

    def code(self) -> str:
        cases = "".join(f" WHEN {cond} THEN {i}" for i, (cond, _, _) in enumerate(self.whens))
        return f"CASE{cases} ELSE {len(self.whens)} END"

    def codes(self, status: str) -> str:
        found = [str(i) for i, (_, s, _) in enumerate(self.whens) if s == status]
        return f"code IN ({', '.join(found)})" if found else "1 = 0"


def _number_outcomes(rule: Rule) -> _Outcomes:
    out = _Outcomes()
    out.add("raw = ''", "missing", lit(rule.missing()))
    out.add("n IS NULL", "nan", _said(rule, "nan"))
    for status, rng in (
        ("disqualifying", rule.c.disqualifying_range),
        ("ideal", rule.c.ideal_range),
        ("acceptable", rule.c.acceptable_range),
    ):
        cond = _in_range(rng)
        if cond:
            out.add(cond, status, _said(rule, status))
    out.add("1 = 1", "outside", _said(rule, "outside"))
    return out


def _step_sql(step: Step, forms: tuple[str, str, str], names: dict[str, list[str]]) -> str:
    if step.level == 4:
        return f"w1 IN ({', '.join(lit(n) for n in names[step.option])})"
    col, form = f"w{step.level}", forms[step.level - 1]
    if step.relation == "same":
        return f"{col} = {lit(form)}"
    if step.relation == "contains":
        return f"{col} LIKE {lit('%' + form[1:-1] + '%')}"
    return f"{lit(form)} LIKE '%' || SUBSTRING({col}, 2, LENGTH({col}) - 2) || '%'"


def _text_outcomes(rule: Rule) -> _Outcomes:
    from icpchat.analysis.matching import country_names

    out = _Outcomes()
    out.add("raw = ''", "missing", lit(rule.missing()))
    for status in ("disqualifying", "ideal", "acceptable"):
        matcher = rule.matchers[status]
        names = {o: country_names(code) for o, code in matcher.codes.items()}
        for option in matcher.options:
            out.add(f"raw = {lit(option)}", status, _said(rule, status))
        for step in matcher.steps():
            note = f", matches \u201c{step.option}\u201d ({matcher.describe(step)})"
            cond = f"w1 <> '  ' AND {_step_sql(step, matcher.forms[step.option], names)}"
            out.add(cond, status, _said(rule, status, note))
    out.add("1 = 1", "other", _said(rule, "other"))
    return out


@dataclass
class _Column:
    """One scored column: its key in the combinations and the rules that read it."""

    canonical: str
    header: str
    rules: list[tuple[int, int, Rule]] = field(default_factory=list)
    """(scale number, criterion number, rule)."""

    @property
    def key(self) -> str:
        return f"k_{self.canonical}"

    def ctes(self, decimal: str | None, dialect: Dialect) -> list[tuple[str, str]]:
        name = f"c_{self.canonical}"
        numeric = any(r.numeric for _, _, r in self.rules)
        stages: list[list[tuple[str, str]]] = [[("raw", display_sql("v", dialect))]]
        if numeric:
            stages += amount_stages("v", "n", decimal, dialect)
        if not all(r.numeric for _, _, r in self.rules):
            stages += [[pair] for pair in level_sql("v", dialect)]
            stages.append([("w1", "v_w1"), ("w2", "v_w2"), ("w3", "v_w3")])
        ctes = [(f"{name}_0", f"SELECT DISTINCT {self.key} AS v FROM k")]
        for i, stage in enumerate(stages, start=1):
            cols = ", ".join(f"{expr} AS {col}" for col, expr in stage)
            ctes.append((f"{name}_{i}", f"SELECT {name}_{i - 1}.*, {cols} FROM {name}_{i - 1}"))
        last = f"{name}_{len(stages)}"
        outputs = []
        for s, c, rule in self.rules:
            outcomes = _number_outcomes(rule) if rule.numeric else _text_outcomes(rule)
            reasons = "".join(f" WHEN code = {i} THEN {r}" for i, (_, _, r) in enumerate(outcomes.whens))
            w = rule.weight
            outputs.append(
                f"SELECT v, code, CASE WHEN {outcomes.codes('ideal')} THEN {_double(w)}"
                f" WHEN {outcomes.codes('acceptable')} THEN {_double(w / 2)} ELSE {_double(0.0)} END AS p,"
                f" {outcomes.codes('disqualifying')} AS d, CASE{reasons} END AS r"
                f" FROM (SELECT {last}.*, {outcomes.code()} AS code FROM {last}) AS x{s}_{c}"
            )
            ctes.append((f"r{s}_{c}", outputs[-1]))
        return ctes


def _scale_sql(s: int, scale: Scale, rules: list[tuple[int, Rule]]) -> dict[str, str]:
    """Per-scale expressions over the scored combinations (columns p{s}_{c}, d{s}_{c}, r{s}_{c})."""
    total = 0.0
    points = _double(0.0)
    for c, rule in rules:
        total += rule.weight
        points = f"({points} + p{s}_{c})"
    disq = " OR ".join(f"d{s}_{c}" for c, _ in rules) or "1 = 0"
    score = (
        f"CASE WHEN {disq} THEN 0 ELSE CAST(FLOOR(100 * {points} / {_double(total)} + {_double(0.5)}) AS INTEGER) END"
        if total
        else "0"
    )
    tiers = sorted(scale.tiers.items(), key=lambda t: -t[1])
    tier = (
        "CASE WHEN "
        + disq
        + " THEN 'disqualified'"
        + "".join(f" WHEN score{s} >= {floor} THEN {lit(name)}" for name, floor in tiers)
    )
    return {
        f"disq{s}": f"({disq})",
        f"score{s}": score,
        f"tier{s}": tier + " ELSE 'D' END",
        f"reasons{s}": " || '; ' || ".join(f"r{s}_{c}" for c, _ in rules) or "''",
        f"key{s}": f"CASE WHEN {disq} THEN 0 ELSE 1000 + score{s} END",
    }


def scorer_sql(
    scales: Sequence[Scale],
    columns: dict[str, str],
    *,
    decimal: str | None = None,
    dialect: Dialect = "ansi",
    select: Sequence[str] | None = None,
    order_by: str | None = None,
    reason_lists: bool = False,
) -> str:
    """The SELECT scoring table ``leads`` by ``scales``; ``columns`` maps each criterion field
        to its header (fields without one do not count, as in the Python scorer). ``select``
        names the lead columns to return (default ``leads.*``); ``order_by`` a row-number
        column of ``leads`` to sort by, best first; ``reason_lists`` adds ``reason_list``, the reasons
    as a DuckDB list (both for the CLI)."""
    used: dict[str, _Column] = {}
    per_scale: list[list[tuple[int, Rule]]] = []
    for s, scale in enumerate(scales, start=1):
        rules = [(c, Rule(crit, decimal)) for c, crit in enumerate(scale.criteria, start=1) if crit.field in columns]
        per_scale.append(rules)
        for c, rule in rules:
            used.setdefault(rule.c.field, _Column(rule.c.field, columns[rule.c.field])).rules.append((s, c, rule))
    cols = list(used.values())
    keyed = ", ".join(f"COALESCE(leads.{ident(col.header)}, '') AS {col.key}" for col in cols) or "'' AS k_none"
    ctes = [("k", f"SELECT DISTINCT {keyed} FROM leads")]
    for col in cols:
        ctes += col.ctes(decimal, dialect)
    joined = ["k.*"] + [
        f"r{s}_{c}.p AS p{s}_{c}, r{s}_{c}.d AS d{s}_{c}, r{s}_{c}.r AS r{s}_{c}"
        for col in cols
        for s, c, _ in col.rules
    ]
    joins = "".join(f" JOIN r{s}_{c} ON r{s}_{c}.v = k.{col.key}" for col in cols for s, c, _ in col.rules)
    ctes.append(("combo", f"SELECT {', '.join(joined)} FROM k{joins}"))
    ctes += _choose(scales, per_scale, reason_lists)
    lead_cols = ", ".join(f"leads.{ident(h)}" for h in select) if select is not None else "leads.*"
    on = " AND ".join(f"COALESCE(leads.{ident(col.header)}, '') = best.{col.key}" for col in cols) or "1 = 1"
    sql = "WITH\n" + ",\n".join(f"{name} AS (\n  {body}\n)" for name, body in ctes)
    extra = ", best.reason_list" if reason_lists else ""
    sql += f"\nSELECT {lead_cols}, best.score, best.tier, best.icp, best.reasons{extra}\nFROM leads JOIN best ON {on}"
    if order_by:
        sql += f"\nORDER BY best.disq, best.score DESC, leads.{ident(order_by)}"
    return sql


def _choose(
    scales: Sequence[Scale], per_scale: list[list[tuple[int, Rule]]], reason_lists: bool
) -> list[tuple[str, str]]:
    """CTEs scoring each combination by every scale and keeping the best (first on a tie)."""
    exprs = [
        _scale_sql(s, scale, rules) for s, (scale, rules) in enumerate(zip(scales, per_scale, strict=True), start=1)
    ]
    scores = ", ".join(
        f"{e[f'score{s}']} AS score{s}, {e[f'disq{s}']} AS disq{s}" for s, e in enumerate(exprs, start=1)
    )
    rest = ", ".join(
        f"{e[f'tier{s}']} AS tier{s}, {e[f'reasons{s}']} AS reasons{s}, {e[f'key{s}']} AS key{s}"
        for s, e in enumerate(exprs, start=1)
    )
    if reason_lists:
        rest += ", " + ", ".join(
            f"[{', '.join(f'r{s}_{c}' for c, _ in rules)}]::VARCHAR[] AS list{s}"
            for s, rules in enumerate(per_scale, start=1)
        )
    n = len(scales)
    top = f"GREATEST({', '.join(f'key{s}' for s in range(1, n + 1))})" if n > 1 else "key1"
    pick = "CASE" + "".join(f" WHEN key{s} = top THEN {s}" for s in range(1, n + 1)) + " END"

    def chosen(what: str) -> str:
        return "CASE" + "".join(f" WHEN pick = {s} THEN {what.format(s=s)}" for s in range(1, n + 1)) + " END"

    icps = (
        "CASE" + "".join(f" WHEN pick = {s} THEN {lit(scale.icp)}" for s, scale in enumerate(scales, start=1)) + " END"
    )
    keys = ", ".join(f"k_{f}" for f in _fields(per_scale)) or "k_none"
    return [
        ("scored1", f"SELECT combo.*, {scores} FROM combo"),
        ("scored2", f"SELECT scored1.*, {rest} FROM scored1"),
        ("scored3", f"SELECT scored2.*, {top} AS top FROM scored2"),
        ("scored4", f"SELECT scored3.*, {pick} AS pick FROM scored3"),
        (
            "best",
            f"SELECT {keys}, {chosen('score{s}')} AS score, {chosen('tier{s}')} AS tier, {icps} AS icp,"
            f" {chosen('reasons{s}')} AS reasons, {chosen('disq{s}')} AS disq"
            + (f", {chosen('list{s}')} AS reason_list" if reason_lists else "")
            + " FROM scored4",
        ),
    ]


def _fields(per_scale: list[list[tuple[int, Rule]]]) -> list[str]:
    seen: dict[str, None] = {}
    for rules in per_scale:
        for _, rule in rules:
            seen.setdefault(rule.c.field, None)
    return list(seen)
