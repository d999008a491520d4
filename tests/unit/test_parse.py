import pytest
from pydantic import ValidationError

from icpchat.domain.models import SizeRange
from icpchat.engine.parse import format_value, parse_answer, parse_range, parse_yes_no, pick_choice, split_list
from icpchat.errors import AnswerError
from icpchat.questions.models import Question


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50-500", (50, 500)),
        ("50 to 500 employees", (50, 500)),
        ("$5M-$50M", (5e6, 5e7)),
        ("5-50M", (5e6, 5e7)),
        ("€2,5m - 10m", (2.5e6, 1e7)),
        ("1,000-5,000", (1000, 5000)),
        ("500+", (500, None)),
        ("under 50", (None, 50)),
        ("200", (200, 200)),
    ],
)
def test_parse_range(text, expected):
    rng = parse_range(text)
    assert (rng.min, rng.max) == expected


def test_parse_range_without_number():
    assert parse_range("small companies") is None


def test_split_list_on_newlines_and_bullets_keeps_semicolons_inside_lines():
    assert split_list("- SaaS\n* Fintech; 1. Retail\n\n") == ["SaaS", "Fintech; 1. Retail"]


def test_split_list_on_semicolons_in_a_one_line_answer():
    assert split_list("SaaS; Fintech ;1. Retail") == ["SaaS", "Fintech", "Retail"]


def test_list_keeps_commas_inside_items():
    assert split_list("cuts close from 10 days to 3, with fewer errors") == [
        "cuts close from 10 days to 3, with fewer errors"
    ]


def test_choice_normalises_case_spaces_and_counts(catalog):
    model = catalog.question("business", "model")
    assert parse_answer(model, "B2B", "k").value == "b2b"
    role = catalog.question("persona", "buying_role")
    assert parse_answer(role, "Decision maker", "k").value == ["decision_maker"]
    count = catalog.question("business", "customers_today")
    assert parse_answer(count, 25, "k").value == "10-99"
    assert parse_answer(count, "250", "k").value == "100+"
    assert parse_answer(count, "0", "k").value == "none"


def test_unknown_choice_lists_the_choices(catalog):
    with pytest.raises(AnswerError, match="'saas' is not one of the choices: 1 b2b, 2 b2c, 3 b2b2c, 4 marketplace"):
        parse_answer(catalog.question("business", "model"), "saas", "business.model")


def test_founder_text_is_kept_unchanged(catalog):
    text = "  Mid-market **SaaS** <b>teams</b>  "
    answer = parse_answer(catalog.question("icp", "name"), text, "k")
    assert answer.raw == text
    assert answer.value == "Mid-market **SaaS** <b>teams</b>"


def test_range_from_mapping(catalog):
    answer = parse_answer(catalog.question("icp", "company_size"), {"min": 50, "max": 200}, "k")
    assert answer.value == SizeRange(min=50, max=200)
    assert format_value(answer.value) == "50-200"


@pytest.mark.parametrize("value", [{"a": 1}, True, None])
def test_text_rejects_wrong_types(catalog, value):
    with pytest.raises(AnswerError, match="expected text"):
        parse_answer(catalog.question("icp", "name"), value, "icps[0].name")


def test_yes_no():
    assert parse_yes_no("Yes!") is True
    assert parse_yes_no("no thanks") is False
    with pytest.raises(AnswerError):
        parse_yes_no("maybe")


# -- issue 9: each misreading that was reported, through the engine-facing parse_answer ----------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100 a 1.500 trabalhadores", (100, 1500)),  # was min 1.5, max 100
        ("10.000-50.000 Mitarbeiter", (10000, 50000)),  # was 10-50
        ("fifty to two hundred", (50, 200)),  # was stored as text
        ("1 500 à 3 000", (1500, 3000)),
    ],
)
def test_reported_range_misreadings(catalog, text, expected):
    answer = parse_answer(catalog.question("icp", "company_size"), text, "icps[0].company_size")
    assert answer.raw == text
    assert (answer.value.min, answer.value.max) == expected


def test_more_numbers_than_a_range_asks_which_and_names_them_all(catalog):
    # "120, 300 e 450" was stored as 120-300 and the 450 dropped
    question = catalog.question("icp", "company_size")
    with pytest.raises(AnswerError) as err:
        parse_answer(question, "120, 300 e 450", "icps[0].company_size")
    assert err.value.key == "icps[0].company_size"
    assert err.value.problem == "I read three numbers: 120, 300 and 450. Which range do you mean, e.g. 120-450?"


def test_a_range_answer_with_no_number_says_what_to_type(catalog):
    # "Portugal\nEspanha" was stored as revenue text
    for text in ("it varies", "Portugal\nEspanha"):
        with pytest.raises(AnswerError) as err:
            parse_answer(catalog.question("icp", "revenue"), text, "icps[0].revenue")
        assert err.value.problem.startswith("I found no number in that; give a range such as $5M-$50M")
        assert "leave it out" in err.value.problem


def test_an_ambiguous_separator_is_asked_about(catalog):
    with pytest.raises(AnswerError, match="decimal mark"):
        parse_range("2,5 to 1,500", "k")


def test_a_numeric_range_value_from_an_answers_file(catalog):
    assert parse_answer(catalog.question("icp", "company_size"), 200, "k").value == SizeRange(min=200, max=200)


def test_pasted_lines_are_not_split_again_on_semicolons():
    # ten pasted lines with ";" inside sentences became fifteen fragments
    lines = [f"Pain {i}: slow close; manual work" if i % 2 else f"Pain {i}" for i in range(10)]
    assert split_list("\n".join(lines)) == lines
    assert split_list("1) one\n2. two\n\u2022 three\n- four\r\n* five") == ["one", "two", "three", "four", "five"]


# -- choices ----------------------------------------------------------------------------


def test_choices_are_numbered(catalog):
    model = catalog.question("business", "model")
    assert [parse_answer(model, n, "k").value for n in ("1", "2", "3", "4.")] == ["b2b", "b2c", "b2b2c", "marketplace"]
    role = catalog.question("persona", "buying_role")
    assert parse_answer(role, "3", "k").value == ["champion"]
    assert parse_answer(role, "1, 3", "k").value == ["decision_maker", "champion"]
    with pytest.raises(AnswerError, match="1 decision_maker, 2 economic_buyer"):
        parse_answer(role, "9", "k")


def test_count_buckets_read_a_typed_number_as_a_count(catalog):
    count = catalog.question("business", "customers_today")
    assert [parse_answer(count, t, "k").value for t in ("1", "2", "25", "about 40", "1.500", "0")] == [
        "1-9",
        "1-9",
        "10-99",
        "10-99",
        "100+",
        "none",
    ]
    assert parse_answer(count, "10-99", "k").value == "10-99"
    assert parse_answer(count, "between 20 and 30", "k").value == "10-99"
    assert parse_answer(count, "noch keine", "k").value == "none"
    with pytest.raises(AnswerError, match="not a count or one of: none, 1-9, 10-99, 100"):
        parse_answer(count, "5 to 50", "k")  # spans two brackets


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("model", "companies", "b2b"),
        ("model", "Empresas", "b2b"),
        ("model", "Unternehmen.", "b2b"),
        ("model", "sociétés", "b2b"),
        ("model", "societes", "b2b"),
        ("model", "B2B SaaS", "b2b"),
        ("model", "consumidores", "b2c"),
        ("model", "Privatkunden", "b2c"),
        ("model", "particuliers", "b2c"),
        ("model", "pessoas", "b2c"),
        ("model", "Marktplatz", "marketplace"),
        ("model", "market", "marketplace"),  # a unique prefix
        ("buying_role", "Entscheider", "decision_maker"),
        ("buying_role", "décideur", "decision_maker"),
        ("buying_role", "tomador de decisão", "decision_maker"),
        ("buying_role", "budget holder", "economic_buyer"),
        ("buying_role", "comprador", "economic_buyer"),
        ("buying_role", "Fürsprecher", "champion"),
        ("buying_role", "influenceur", "influencer"),
        ("buying_role", "usuário", "user"),
        ("buying_role", "Nutzer!", "user"),
        ("buying_role", "bloqueador", "blocker"),
        ("buying_role", "econ", "economic_buyer"),
    ],
)
def test_choice_words_in_five_languages(catalog, qid, text, expected):
    section = "business" if qid == "model" else "persona"
    value = parse_answer(catalog.question(section, qid), text, "k").value
    assert value == (expected if qid == "model" else [expected])  # buying_role is a multi-select


def test_pick_choice_for_any_list_of_names():
    names = ["Mid-market SaaS finance teams", "Independent physio clinics"]
    assert pick_choice("2", names) == "Independent physio clinics"
    assert pick_choice("mid-market saas finance teams.", names) == names[0]
    assert pick_choice("indep", names) == names[1]
    assert pick_choice("3", names) is None
    assert pick_choice("", names) is None
    assert pick_choice("b", ["b2b", "b2c"]) is None  # not unique
    assert pick_choice("firms", ["b2b", "b2c"], {"firms": "b2b"}) == "b2b"


def test_alias_keys_must_be_choices_and_aliases_unique():
    base = {
        "id": "model",
        "prompt": "Who pays?",
        "help": "Pick one of the models.",
        "examples": ["b2b"],
        "kind": "choice",
        "choices": ["b2b", "b2c"],
        "followup": "Who pays you, usually?",
    }
    with pytest.raises(ValidationError, match="not a choice"):
        Question.model_validate({**base, "aliases": {"saas": ["software"]}})
    with pytest.raises(ValidationError, match="also means b2b"):
        Question.model_validate({**base, "aliases": {"b2b": ["Empresas"], "b2c": ["empresas"]}})
    with pytest.raises(ValidationError, match="also means b2c"):
        Question.model_validate({**base, "aliases": {"b2b": ["B2C"]}})
    assert Question.model_validate({**base, "aliases": {"b2b": ["Firmen"]}}).alias_map() == {"firmen": "b2b"}


# -- yes / no -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["yes", "Yep", "ja", "Klar!", "oui", "bien sûr", "Bien sur", "sí", "si", "claro", "sim", "Sim."],
)
def test_yes_in_five_languages(text):
    assert parse_yes_no(text) is True


@pytest.mark.parametrize(
    "text",
    ["no", "nope", "nein", "nee", "non", "pas maintenant", "no, gracias", "não", "nao", "Não, obrigado", "not now"],
)
def test_no_in_five_languages(text):
    assert parse_yes_no(text) is False


def test_yes_no_error_says_what_is_accepted():
    with pytest.raises(AnswerError, match=r"yes or no \(ja/nein, oui/non, sí/no and sim/não"):
        parse_yes_no("vielleicht")


# -- several choices (persona.buying_role, issue 11) ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1, 3", ["decision_maker", "champion"]),
        ("champion and user", ["champion", "user"]),
        ("Entscheider / Nutzer", ["decision_maker", "user"]),
        ("decision maker; budget holder", ["decision_maker", "economic_buyer"]),
        ("user, user, 5", ["user"]),
        ("tomador de decisão e usuário", ["decision_maker", "user"]),
        (["economic_buyer", "champion"], ["economic_buyer", "champion"]),
        ("final say", ["decision_maker"]),  # an alias is read whole before it is split
    ],
)
def test_several_roles_by_number_or_word(catalog, text, expected):
    assert parse_answer(catalog.question("persona", "buying_role"), text, "k").value == expected


def test_an_unknown_role_among_several_is_named(catalog):
    with pytest.raises(AnswerError, match="'astronaut' is not one of the choices") as err:
        parse_answer(catalog.question("persona", "buying_role"), "champion, astronaut", "personas[0].buying_role")
    assert err.value.key == "personas[0].buying_role"
