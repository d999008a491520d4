"""Which column of a CRM export says how a deal or account turned out, and what each cell says.

Exports name it in many ways and languages: a won/lost flag, a stage or status ("Closed Won",
"6 - Closed Lost", "Gewonnen", "Perdu"), churned or retained, or a revenue figure. The header
tells the kind, and the kind tells how a cell reads: in a ``churned`` column "yes" is a loss, in
a ``won`` column a win; a stage that is neither won nor lost ("Proposal") is an open deal and
is left out. `--map "Etapa=outcome"` names the column when the header does not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from icpchat.text.numbers import read_amount

__all__ = ["HEADERS", "Outcome", "OutcomeColumn", "candidates", "classify", "fold", "kind_of", "read_outcomes"]

Kind = Literal["won", "stage", "churn", "retained", "revenue"]

#: Normalised header names of each kind, in the order columns are preferred.
HEADERS: dict[Kind, frozenset[str]] = {
    "won": frozenset(
        [
            "won",
            "is won",
            "win",
            "closed won",
            "won lost",
            "win loss",
            "outcome",
            "result",
            "deal outcome",
            "deal result",
            "opportunity outcome",
            "gewonnen",
            "ergebnis",
            "gagne",
            "resultat",
            "ganado",
            "resultado",
            "ganho",
            "esito",
            "vinto",
            "uitkomst",
            "resultaat",
            "gewonnen verloren",
        ]
    ),
    "stage": frozenset(
        [
            "stage",
            "deal stage",
            "opportunity stage",
            "sales stage",
            "pipeline stage",
            "status",
            "deal status",
            "opportunity status",
            "account status",
            "customer status",
            "phase",
            "vertriebsphase",
            "stufe",
            "etape",
            "statut",
            "estado",
            "etapa",
            "fase",
            "stato",
            "situacao",
            "verkoopfase",
        ]
    ),
    "churn": frozenset(
        [
            "churned",
            "churn",
            "is churned",
            "cancelled",
            "canceled",
            "lost",
            "is lost",
            "gekundigt",
            "abgewandert",
            "kundigung",
            "resilie",
            "churne",
            "cancelado",
            "perdido",
            "perso",
            "opgezegd",
        ]
    ),
    "retained": frozenset(
        [
            "retained",
            "is retained",
            "active",
            "is active",
            "renewed",
            "still customer",
            "aktiv",
            "actif",
            "activo",
            "ativo",
            "attivo",
            "retenu",
            "verlangert",
            "renouvele",
            "renovado",
        ]
    ),
    "revenue": frozenset(
        [
            "won amount",
            "closed amount",
            "amount won",
            "revenue won",
            "closed revenue",
            "booked revenue",
            "bookings",
            "ltv",
            "lifetime value",
            "customer lifetime value",
            "clv",
            "total revenue",
            "lifetime revenue",
            "gesamtumsatz",
            "umsatz gesamt",
            "ca total",
            "chiffre d affaires total",
            "ingresos totales",
            "receita total",
            "fatturato totale",
        ]
    ),
}

_GOOD = [
    "won",
    "win",
    "closed won",
    "won deal",
    "gewonnen",
    "auftrag erhalten",
    "gagne",
    "gagnee",
    "ganado",
    "ganada",
    "ganho",
    "ganha",
    "vinto",
    "vinta",
    "retained",
    "active",
    "renewed",
    "customer",
    "aktiv",
    "actif",
    "active customer",
    "activo",
    "activa",
    "ativo",
    "ativa",
    "attivo",
    "renouvele",
    "renovado",
    "verlangert",
    "klant",
]
_BAD = [
    "lost",
    "loss",
    "closed lost",
    "verloren",
    "perdu",
    "perdue",
    "perdido",
    "perdida",
    "perso",
    "persa",
    "churned",
    "churn",
    "cancelled",
    "canceled",
    "gekundigt",
    "abgewandert",
    "resilie",
    "resiliee",
    "cancelado",
    "cancelada",
    "inactive",
    "inaktiv",
    "inactif",
    "inactivo",
    "inativo",
    "disqualified",
    "no decision",
    "opgezegd",
]
_YES = frozenset(
    [
        "yes",
        "y",
        "true",
        "1",
        "x",
        "ja",
        "j",
        "oui",
        "si",
        "sim",
        "vero",
        "wahr",
        "vrai",
        "verdadero",
        "verdadeiro",
        "t",
    ]
)
_NO = frozenset(["no", "n", "false", "0", "nein", "non", "nao", "falso", "faux", "f", "nee"])
_GOOD_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _GOOD), key=len, reverse=True)) + r")\b")
_BAD_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _BAD), key=len, reverse=True)) + r")\b")


def fold(text: str) -> str:
    """Lower case, accents dropped, words split on anything else: "Résultat" -> "resultat"."""
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare.lower()).split())


@dataclass(frozen=True)
class OutcomeColumn:
    header: str
    kind: Kind


def kind_of(header: str) -> Kind | None:
    """The kind of outcome a header names, or None."""
    name = fold(header)
    return next((kind for kind, names in HEADERS.items() if name in names), None)


def candidates(headers: Sequence[str]) -> list[OutcomeColumn]:
    """Every header that names an outcome, best kind first (won/lost over a stage over churn...)."""
    found = [OutcomeColumn(h, k) for h in headers if (k := kind_of(h)) is not None]
    order = list(HEADERS)
    return sorted(found, key=lambda c: order.index(c.kind))


def classify(cell: str, kind: Kind) -> bool | None:
    """True for a won (or kept) deal, False for a lost (or churned) one, None when the cell
    does not say (blank, an open stage, a word not known). Never raises."""
    text = fold(cell)
    if not text or kind == "revenue":
        return None
    if text in _YES or text in _NO:
        truthy = text in _YES
        if kind == "stage":
            return None
        return truthy if kind in ("won", "retained") else not truthy
    good, bad = _GOOD_RE.search(text), _BAD_RE.search(text)
    if good and not bad:
        return True
    if bad and not good:
        return False
    # "Closed Won (was lost)" or nothing known: the cell does not decide.
    return None


@dataclass(frozen=True)
class Outcome:
    """The outcome of every row (None: open or unreadable) and the rule that read them."""

    column: OutcomeColumn
    values: list[bool | None]
    rule: str

    @property
    def decided(self) -> int:
        return sum(v is not None for v in self.values)


def _revenue(column: OutcomeColumn, cells: Sequence[str], decimal: str | None) -> Outcome:
    """A revenue figure: won when above zero if the file holds zeros (closed deals with and
    without revenue), else the best quarter, as `analyze` picks its best customers."""
    numbers = [read_amount(c, decimal=decimal) if c.strip() else None for c in cells]
    known = sorted(n for n in numbers if n is not None)
    if not known:
        return Outcome(column, [None] * len(cells), f"{column.header}: no number read")
    zeros = sum(n <= 0 for n in known)
    if zeros >= 0.1 * len(known):
        return Outcome(column, [None if n is None else n > 0 for n in numbers], f"{column.header} above 0 is a win")
    floor = known[min(len(known) - 1, (3 * len(known)) // 4)]
    rule = f"{column.header} of {floor:,.0f} or more (the best quarter) is a win"
    return Outcome(column, [None if n is None else n >= floor for n in numbers], rule)


_RULES: dict[Kind, str] = {
    "won": "won/lost",
    "stage": "closed won/closed lost (open stages left out)",
    "churn": "churned is a loss, kept a win",
    "retained": "retained is a win, gone a loss",
}


def read_outcomes(column: OutcomeColumn, cells: Sequence[str], decimal: str | None = None) -> Outcome:
    """The outcome of each cell of ``column``."""
    if column.kind == "revenue":
        return _revenue(column, cells, decimal)
    values = [classify(c, column.kind) for c in cells]
    return Outcome(column, values, f"{column.header}: {_RULES[column.kind]}")


def mapped_column(header: str, cells: Sequence[str], decimal: str | None = None) -> OutcomeColumn:
    """The column `--map HEADER=outcome` named: its kind from the header when known, else a
    revenue figure when most cells are numbers, else won/lost words."""
    kind = kind_of(header)
    if kind is not None:
        return OutcomeColumn(header, kind)
    filled = [c for c in cells if c.strip()]
    numeric = sum(read_amount(c, decimal=decimal) is not None for c in filled)
    # A column of 0 and 1 is a flag, not a figure.
    flags = all(fold(c) in ("0", "1") for c in filled)
    return OutcomeColumn(header, "revenue" if filled and not flags and numeric >= 0.8 * len(filled) else "won")
