"""The words a document uses for what the profile stores as codes: field labels, choice values,
where an answer came from, and ranges written back as numbers with the founder's own unit.

Nothing here rewrites what the founder wrote; it only decides how a stored value is named.
"""

from __future__ import annotations

import re
from itertools import pairwise

from pydantic import BaseModel

from icpchat.domain.models import Answer, Confidence, Provenance, SizeRange, Stance
from icpchat.text.numbers import find_amounts

#: How each provenance reads in a document (the JSON keeps the code).
SOURCE_WORDS = {
    Provenance.FOUNDER: "founder belief",
    Provenance.DATA: "from data",
    Provenance.LLM: "from the model",
}

#: How each confidence reads in a document, before the field's best quote.
CONFIDENCE_WORDS = {
    Confidence.BELIEF: "Belief",
    Confidence.SUPPORTED: "Supported",
    Confidence.CONTESTED: "Contested",
}


def evidence_line(answer: Answer) -> str:
    """'Contested: "the fridges aren't our problem" (Sian Lloyd, notes.txt, line 7)', or "" when
    `icpchat evidence` found nothing for the field (a profile never grounded reads as before)."""
    best = answer.best_evidence()
    if best is None:
        return ""
    where = ", ".join(p for p in (best.speaker, best.source.replace("\\", "/").rsplit("/", 1)[-1], best.location) if p)
    against = " (against)" if best.stance is Stance.CONTRADICTS else ""
    return f'{CONFIDENCE_WORDS[answer.confidence]}{against}: "{best.quote}" ({where})'


def evidence_counts(entity: BaseModel) -> list[str]:
    """ "evidence: 3 fields supported, 1 contested" for an entity with any evidence, else nothing."""
    answers = [a for _, a in entity if isinstance(a, Answer) and a.evidence]
    if not answers:
        return []
    supported = sum(a.confidence is Confidence.SUPPORTED for a in answers)
    contested = sum(a.confidence is Confidence.CONTESTED for a in answers)
    return [f"evidence: {supported} {'field' if supported == 1 else 'fields'} supported, {contested} contested"]


#: Choice values as words; a choice not listed reads as its code with spaces ("new_choice" -> "New choice").
CHOICE_WORDS = {
    "b2b": "B2B: companies pay",
    "b2c": "B2C: consumers pay",
    "b2b2c": "B2B2C: companies pass it on to consumers",
    "marketplace": "Marketplace",
    "none": "None yet",
    "100+": "100 or more",
    "decision_maker": "Decision maker",
    "economic_buyer": "Economic buyer",
    "champion": "Champion",
    "influencer": "Influencer",
    "user": "User",
    "gatekeeper": "Gatekeeper",
    "blocker": "Blocker",
}

_LABELS: dict[str, dict[str, str]] = {
    "business": {
        "name": "Business",
        "offering": "What we sell",
        "model": "Business model",
        "problem": "Problem we solve",
        "customers_today": "Paying customers today",
    },
    "icp": {
        "tech_maturity": "Technology maturity",
        "current_solution": "What they use today",
        "switching": "Why they switch or stay",
        "life_stage": "Life stage",
        "household": "Household",
        "income_band": "Income band",
        "purchase_occasion": "When they buy",
        "triggers": "They start looking when",
        "buying_committee": "Buying committee",
        "budget": "Typical deal",
        "budget_owner": "Budget owner and approval limit",
        "willingness_to_pay": "Willingness to pay",
        "value_metric": "Priced by",
        "preconditions": "Needs in place for fast value",
        "value_drivers": "Why they choose us",
        "best_customers": "Evidence from best customers",
        "disqualifiers": "Disqualifiers",
        "success_metrics": "How they measure success",
        "where_to_find": "Where to find them",
        "signals": "Signals visible from outside",
    },
    "persona": {
        "icp": "ICP",
        "job_title": "Job title",
        "buying_role": "Buying role",
        "kpis": "KPIs",
        "information_sources": "Learns from",
        "channels": "Best channels",
        "influencers": "Influenced by",
        "technologies": "Tools they use",
        "content_preferences": "Content they prefer",
        "decision_criteria": "Decides on",
        "time_to_decide": "Time to decide",
        "triggers": "Acts now when",
        "key_message": "Key message",
        "proof_point": "Proof point",
        "objection_responses": "Responses to objections",
    },
    "negative_persona": {"reason": "Why not", "how_to_spot": "How to spot them early", "what_to_do": "What to do"},
}

#: What the job-title question is called for each business model: a household role is no job title.
_JOB_TITLE = {"b2b": "Job title", "b2c": "Role", "b2b2c": "Job title or role", "marketplace": "Job title or role"}


def label(section: str, qid: str, model: str | None = None) -> str:
    """A field's label in a document; ``model`` is the business model (b2b, b2c...) when known."""
    if section == "persona" and qid == "job_title":
        return _JOB_TITLE.get(model or "", "Job title or role")
    return _LABELS.get(section, {}).get(qid) or qid.replace("_", " ").capitalize()


def choice(value: str) -> str:
    """A choice's code in words: ``economic_buyer`` -> "Economic buyer"."""
    words = CHOICE_WORDS.get(value)
    if words:
        return words
    spaced = value.replace("_", " ")
    return spaced[:1].upper() + spaced[1:]


def join(parts: list[str], last: str = "and") -> str:
    """``a, b and c``: for short names (industries, countries) inside a sentence."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {last} " + parts[-1]


#: Places read with "the" in a sentence ("based in the Netherlands").
_THE = re.compile(
    r"^(?:United\b|Netherlands$|Philippines$|Czech Republic$|Dominican Republic$|Bahamas$|Gambia$|Maldives$"
    r"|UK$|US$|USA$|UAE$|EU$|Nordics$|Baltics$|Balkans$|Middle East$|Americas$|Caribbean$)"
)


def place(name: str) -> str:
    """A place name as it reads after "in": "the United Kingdom", "Germany"."""
    return f"the {name}" if _THE.match(name.strip()) else name


# -- numbers --------------------------------------------------------------------------------

#: Thousands separator by language (the primary subtag); others use a comma.
_GROUPING = {
    **dict.fromkeys(("de", "es", "pt", "it", "nl", "da", "id", "tr", "el"), "."),
    **dict.fromkeys(("fr", "sv", "nb", "nn", "no", "fi", "pl", "cs", "sk", "ru", "uk", "hu"), "\u202f"),
}


def _grouped(n: float, language: str) -> str:
    sep = _GROUPING.get(language.split("-")[0].lower(), ",")
    whole = f"{round(n):,}" if abs(n - round(n)) < 0.05 else f"{n:,.1f}"
    decimal = "," if sep in ".\u202f" else "."
    return whole.replace(",", "\0").replace(".", decimal).replace("\0", sep)


def _compact(n: float, language: str) -> str:
    """Money as it is usually written: 500k, 12M, 1.5B."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            return _grouped(n / size, language) + suffix
    return _grouped(n, language)


def number(n: float, *, money: bool = False, language: str = "en") -> str:
    return _compact(n, language) if money else _grouped(n, language)


# -- ranges -----------------------------------------------------------------------------------

_CURRENCY = re.compile(r"^(?:R\$|US\$|[$€£¥₹])$")
_CURRENCY_CODE = re.compile(r"^(?:USD|EUR|GBP|CHF|BRL|CAD|AUD|JPY|INR|MXN)$", re.I)
#: Words that may stand between or before a range's numbers (they mean "range" or "about").
_RANGE_WORDS = frozenset(
    (
        *("to", "a", "bis", "até", "ate", "à", "hasta", "and", "e", "y", "und", "et"),
        *("between", "zwischen", "entre", "from", "von", "de", "desde"),
        *("ca", "ca.", "circa", "about", "around", "roughly", "approx", "approx.", "approximately"),
        *("etwa", "rund", "environ", "cerca", "aprox."),
    )
)
_UNIT = re.compile(r"^[^\W\d_][\w'’.\- ]{0,40}$")

#: The unit a range of each question is counted in when the founder wrote none.
DEFAULT_UNITS = {"company_size": "employees"}


def _parts(raw: str) -> tuple[str, str, str] | None:
    """(currency, unit, leftover) of a range answer as typed: "$10M-$60M" -> ("$", "", "");
    "10.000-50.000 Mitarbeiter" -> ("", "Mitarbeiter", ""). None when it holds no number."""
    amounts = find_amounts(raw)
    if not amounts:
        return None
    between = "".join(raw[a.end : b.start] for a, b in pairwise(amounts))
    before, after = raw[: amounts[0].start], raw[amounts[-1].end :]
    currency = ""
    words = []
    for token in re.sub(r"[+\-\u2010-\u2015~]", " ", before + " " + between).split():
        if _CURRENCY.match(token) or _CURRENCY_CODE.match(token):
            currency = currency or token
        elif token.lower() not in _RANGE_WORDS:
            words.append(token)
    unit = after.strip().lstrip("+").strip()
    head = re.match(r"(R\$|US\$|[$€£¥₹])\s*", unit)
    if head and not currency:
        currency, unit = head.group(1), unit[head.end() :]
    code = re.match(r"([A-Za-z]{3})\b\s*", unit)
    if code and _CURRENCY_CODE.match(code.group(1)):
        currency, unit = currency or code.group(1), unit[code.end() :]
    return currency, unit, " ".join(words)


def range_words(rng: SizeRange, *, unit: str = "", currency: str = "", language: str = "en") -> str:
    """A range as numbers: "80-400 employees", "$10M-$60M", "500 or more", "up to 49"."""
    money = bool(currency)
    prefix = currency if len(currency) <= 2 or currency.endswith("$") else ""
    suffix = " " + currency if currency and not prefix else ""

    def n(value: float) -> str:
        return prefix + number(value, money=money, language=language)

    if rng.min is not None and rng.max is not None:
        body = n(rng.min) if rng.min == rng.max else f"{n(rng.min)}-{n(rng.max)}"
    elif rng.min is not None:
        body = f"{n(rng.min)} or more"
    elif rng.max is not None:
        body = f"up to {n(rng.max)}"
    else:
        body = "any"
    return body + suffix + (f" {unit}" if unit else "")


def range_unit(answer: Answer | None, qid: str) -> tuple[str, str]:
    """(unit, currency) a range answer is written in, as the founder wrote them."""
    if answer is None or not isinstance(answer.raw, str):
        return DEFAULT_UNITS.get(qid, ""), ""
    parts = _parts(answer.raw)
    if parts is None:
        return DEFAULT_UNITS.get(qid, ""), ""
    currency, unit, _ = parts
    return (unit if _UNIT.match(unit) else "") or ("" if currency else DEFAULT_UNITS.get(qid, "")), currency


def range_answer(answer: Answer, qid: str, language: str = "en") -> str:
    """A range answer for a document: the number read, in the founder's unit ("10.000-50.000
    Mitarbeiter" reads "10,000-50,000 Mitarbeiter"). An answer that says more than a range
    (a remark, a reason) is shown as written, so nothing the founder said is lost."""
    if not isinstance(answer.value, SizeRange) or not isinstance(answer.raw, str):
        return answer.text()
    parts = _parts(answer.raw)
    if parts is None:
        return answer.text()
    currency, unit, leftover = parts
    if leftover or (unit and not _UNIT.match(unit)):
        return answer.text()
    unit = unit or ("" if currency else DEFAULT_UNITS.get(qid, ""))
    return range_words(answer.value, unit=unit, currency=currency, language=language)
