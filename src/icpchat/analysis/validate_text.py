"""The report of `icpchat validate` in words (Markdown that reads as plain text too), made from
the same dictionary the JSON prints, so the two never disagree."""

from __future__ import annotations

from typing import Any

__all__ = ["summary_line", "words"]


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.0f}%"


def _span(ci: list[float] | None, pct: bool = False) -> str:
    if ci is None:
        return "no interval"
    if pct:
        return f"95% {_pct(ci[0])}-{_pct(ci[1])}"
    return f"95% {ci[0]:.2f}-{ci[1]:.2f}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _group(label: str, g: dict[str, Any]) -> str:
    return f"- {label}: {g['won']} won of {g['n']} ({_pct(g['rate'])}, {_span(g['interval'], pct=True)})"


_SIGNAL = {
    "signal": "carries signal",
    "against": "works against winning",
    "noise": "noise (no difference shown)",
    "too few": "too few rows to judge",
}


def _criterion(c: dict[str, Any], icps: int) -> str:
    who = f" ({c['icp']})" if icps > 1 else ""
    m, u = c["matched"], c["unmatched"]
    return (
        f"| {c['field'].replace('_', ' ')}{who} | {c['weight']:g} | {m['won']}/{m['n']} ({_pct(m['rate'])}) "
        f"| {u['won']}/{u['n']} ({_pct(u['rate'])}) | {_num(c['lift'])} ({_span(c['lift_interval'])}) "
        f"| {_SIGNAL[c['signal']]} |"
    )


def _calibration(cal: dict[str, Any], icps: int) -> list[str]:
    cv = cal["cv_auc"]
    lines = ["", "## Fitted weights", ""]
    if cv["folds"]:
        lines.append(
            f"Cross-validated AUC ({cv['folds']} folds, held-out deals): the profile's weights "
            f"{_num(cv['profile'])}, fitted weights {_num(cv['fitted'])}."
        )
    else:
        lines.append("Too few wins or losses to cross-validate; weights fitted on every row.")
    lines += ["", "| criterion | profile | fitted |", "| --- | --- | --- |"]
    for w in cal["weights"]:
        who = f" ({w['icp']})" if icps > 1 else ""
        fitted = "kept: too few of its own deals" if w["kept"] else f"{w['fitted']:g}"
        lines.append(f"| {w['field'].replace('_', ' ')}{who} | {w['profile']:g} | {fitted} |")
    return lines


def words(report: dict[str, Any]) -> str:
    """The whole report: the verdict first, then the numbers behind it."""
    o = report["outcome"]
    icps = len({c["icp"] for c in report["criteria"]})
    lines = [
        f"# {report['file']}: the ICP against {report['n']:,} outcomes",
        "",
        report["verdict"]["text"],
        "",
        f"Outcome: {o['rule']}; {o['decided']:,} decided ({o['won']:,} won), {o['open']:,} open or unreadable left out"
        f" ({report['duplicates_removed']} duplicate and {report['blank_rows']} blank rows removed).",
        f"Inside the ICP: {report['in_icp_rule']}.",
        "",
        _group("Inside the ICP", report["in_icp"]),
        _group("Outside the ICP", report["out_icp"]),
        f"- Lift: {_num(report['lift'])} ({_span(report['lift_interval'])})",
        f"- AUC of the fit score: {_num(report['auc'])} ({_span(report['auc_interval'])}; 0.50 is chance)",
        "",
        "## Each criterion",
        "",
        "| criterion | weight | matched: won | not matched: won | lift | reading |",
        "| --- | --- | --- | --- | --- | --- |",
        *(_criterion(c, icps) for c in report["criteria"]),
    ]
    if report.get("calibration"):
        lines += _calibration(report["calibration"], icps)
    return "\n".join(lines) + "\n"


def summary_line(report: dict[str, Any]) -> str:
    """One line for stderr: n, rates, lift and AUC."""
    return (
        f"{report['n']:,} decided outcomes: inside the ICP {_pct(report['in_icp']['rate'])}, outside "
        f"{_pct(report['out_icp']['rate'])}, lift {_num(report['lift'])}, AUC {_num(report['auc'])} "
        f"({report['verdict']['level']})"
    )
