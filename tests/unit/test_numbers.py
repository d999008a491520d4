"""The one number reader, case by case in English, German, French, Spanish and Portuguese."""

import pytest

from icpchat.text.numbers import decimal_for_delimiter, find_amounts, format_number, read_amount, read_range

INF = None  # an open end

# (language, text, (low, high))
RANGES = [
    # English
    ("en", "50-500", (50, 500)),
    ("en", "50 to 500 employees", (50, 500)),
    ("en", "between 50 and 500 staff", (50, 500)),
    ("en", "$5M-$50M", (5e6, 5e7)),
    ("en", "5-50M", (5e6, 5e7)),
    ("en", "500-2M", (500, 2e6)),
    ("en", "1,000-5,000", (1000, 5000)),
    ("en", "1,000 \u2013 5,000 people", (1000, 5000)),
    ("en", "1,000\u20145,000", (1000, 5000)),
    ("en", "$1.5bn to $3bn", (1.5e9, 3e9)),
    ("en", "10k ~ 50k", (1e4, 5e4)),
    ("en", "fifty to two hundred", (50, 200)),
    ("en", "a dozen", (12, 12)),
    ("en", "twelve hundred", (1200, 1200)),
    ("en", "2 thousand", (2000, 2000)),
    ("en", "one hundred and fifty", (150, 150)),
    ("en", "twenty-five to forty", (25, 40)),
    ("en", "five to ten million dollars", (5e6, 1e7)),
    ("en", "500+", (500, INF)),
    ("en", "over 500", (500, INF)),
    ("en", "more than 1,000 employees", (1000, INF)),
    ("en", "at least 200", (200, INF)),
    ("en", ">200", (200, INF)),
    ("en", "under 50", (INF, 50)),
    ("en", "fewer than 20 people", (INF, 20)),
    ("en", "up to 100", (INF, 100)),
    ("en", "<50", (INF, 50)),
    ("en", "200", (200, 200)),
    ("en", "500 - 50", (50, 500)),  # ordered low to high
    # German
    ("de", "10.000-50.000 Mitarbeiter", (1e4, 5e4)),
    ("de", "50 bis 500 Mitarbeiter", (50, 500)),
    ("de", "zwischen 50 und 500", (50, 500)),
    ("de", "1,5 Mio. bis 10 Mio. €", (1.5e6, 1e7)),
    ("de", "1,5-10 Mio. €", (1.5e6, 1e7)),
    ("de", "2 Mrd.", (2e9, 2e9)),
    ("de", "5 Tsd. bis 20 Tsd.", (5e3, 2e4)),
    ("de", "3 Millionen", (3e6, 3e6)),
    ("de", "fünfzig bis zweihundert", (50, 200)),
    ("de", "zweihundertfünfzig", (250, 250)),
    ("de", "ab 200", (200, INF)),
    ("de", "mehr als 1.000", (1000, INF)),
    ("de", "mindestens 50 Mitarbeiter", (50, INF)),
    ("de", "bis zu 50", (INF, 50)),
    ("de", "weniger als 20", (INF, 20)),
    ("de", "1\u202f500 \u2013 3\u202f000", (1500, 3000)),
    # French
    ("fr", "de 50 à 500 salariés", (50, 500)),
    ("fr", "1 500 à 3 000", (1500, 3000)),
    ("fr", "1\u00a0500 à 3\u00a0000", (1500, 3000)),
    ("fr", "entre 10 et 50 millions d'euros", (1e7, 5e7)),
    ("fr", "2 milliards", (2e9, 2e9)),
    ("fr", "cinquante à deux cents", (50, 200)),
    ("fr", "quatre-vingt-dix", (90, 90)),
    ("fr", "vingt et un", (21, 21)),
    ("fr", "plus de 200 salariés", (200, INF)),
    ("fr", "au moins 50", (50, INF)),
    ("fr", "jusqu'à 100", (INF, 100)),
    ("fr", "jusqu\u2019à 100", (INF, 100)),
    ("fr", "moins de 20", (INF, 20)),
    # Spanish
    ("es", "de 50 a 500 empleados", (50, 500)),
    ("es", "entre 1.000 y 5.000", (1000, 5000)),
    ("es", "2 millones", (2e6, 2e6)),
    ("es", "cincuenta a doscientos", (50, 200)),
    ("es", "dos mil", (2000, 2000)),
    ("es", "2 mil millones", (2e9, 2e9)),
    ("es", "más de 50", (50, INF)),
    ("es", "hasta 20", (INF, 20)),
    ("es", "menos de 10 empleados", (INF, 10)),
    # Portuguese
    ("pt", "100 a 1.500 trabalhadores", (100, 1500)),
    ("pt", "de 50 até 500 funcionários", (50, 500)),
    ("pt", "entre 50 e 500", (50, 500)),
    ("pt", "R$ 5 mi a R$ 50 mi", (5e6, 5e7)),
    ("pt", "10 mil a 50 mil", (1e4, 5e4)),
    ("pt", "cinquenta a duzentos", (50, 200)),
    ("pt", "cento e vinte", (120, 120)),
    ("pt", "um milhão", (1e6, 1e6)),
    ("pt", "mais de 50 funcionários", (50, INF)),
    ("pt", "até 30", (INF, 30)),
    ("pt", "pelo menos 10", (10, INF)),
]


@pytest.mark.parametrize(("lang", "text", "expected"), RANGES, ids=[f"{c[0]}:{c[1]}" for c in RANGES])
def test_range(lang, text, expected):
    got = read_range(text)
    assert got.ambiguity is None, got.ambiguity
    assert (got.low, got.high) == expected


def test_the_table_covers_five_languages_and_sixty_cases():
    assert {c[0] for c in RANGES} == {"en", "de", "fr", "es", "pt"}
    assert len(RANGES) + len(AMOUNTS) + len(AMBIGUOUS) >= 60


# (language, cell, decimal hint, value)
AMOUNTS = [
    ("en", "$1,234.50", None, 1234.5),
    ("en", "1,500", None, 1500),
    ("en", "2.5", None, 2.5),
    ("en", "12k", None, 12000),
    ("en", "USD 3.2M", None, 3.2e6),
    ("en", "£900", None, 900),
    ("en", "-3", None, -3),
    ("en", "0.500", None, 0.5),  # a leading zero is never a thousands group
    ("de", "6.240.000,00 €", None, 6240000),
    ("de", "1.200", None, 1200),
    ("de", "1.200", ",", 1200),
    ("de", "€ 12.500,00", ",", 12500),
    ("de", "2,5", ",", 2.5),
    ("de", "1,5 Mio.", None, 1.5e6),
    ("de", "1,500", ",", 1.5),  # a ;-delimited file writes decimal commas
    ("de", "1'500", None, 1500),
    ("fr", "1\u202f500", None, 1500),
    ("fr", "1 234,50 €", None, 1234.5),
    ("fr", "3 Md€", None, 3e9),
    ("es", "1,5", None, 1.5),
    ("es", "2 mil millones", None, 2e9),
    ("pt", "R$ 1.234,56", None, 1234.56),
    ("pt", "R$5 mi", None, 5e6),
]


@pytest.mark.parametrize(("lang", "text", "decimal", "expected"), AMOUNTS, ids=[f"{c[0]}:{c[1]}" for c in AMOUNTS])
def test_amount(lang, text, decimal, expected):
    assert read_amount(text, decimal=decimal) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "n/a", "-", "abc", "50-200", "Q3 2024", "B2B"])
def test_amount_that_is_not_one_number(text):
    assert read_amount(text) is None


# (language, text, every number, a fragment of the reason)
AMBIGUOUS = [
    ("pt", "120, 300 e 450", (120, 300, 450), "three numbers: 120, 300 and 450"),
    ("en", "50-500 employees, 10-50M revenue", (50, 500, 1e7, 5e7), "four numbers"),
    ("en", "2,5 to 1,500", (2.5, 1500), "decimal mark"),
    ("de", "1.500 bis 2.5", (1500, 2.5), "decimal mark"),
    ("en", "50, 500", (50, 500), "two numbers"),
    ("es", "más de 50 y hasta", (50,), None),
    ("fr", "au moins 50, au plus", (50,), "lower and an upper"),
]


@pytest.mark.parametrize(("lang", "text", "numbers", "reason"), AMBIGUOUS, ids=[f"{c[0]}:{c[1]}" for c in AMBIGUOUS])
def test_ambiguous_readings_keep_every_number_and_say_why(lang, text, numbers, reason):
    got = read_range(text)
    assert got.numbers == numbers
    if reason is None:  # "más de 50 y hasta" has only one number and two bound words
        assert got.ambiguity is not None
    else:
        assert got.ambiguity is not None and reason in got.ambiguity


@pytest.mark.parametrize("text", ["it varies", "small companies", "B2B SaaS", "Q3", "", "no one knows"])
def test_no_number(text):
    got = read_range(text)
    assert not got.found and got.numbers == () and (got.low, got.high) == (None, None)


def test_range_words_are_not_numbers_alone():
    # articles ("a", "une", "um") and "cent" count only before a multiplier
    assert read_range("une entreprise de 50 à 200").numbers == (50, 200)
    assert read_range("um restaurante com 5 a 20 mesas").numbers == (5, 20)
    assert read_range("a hundred").numbers == (100,)
    assert read_range("99 cents").numbers == (99,)


def test_numbers_inside_names_are_not_read():
    assert read_range("B2B SaaS, 50-200").numbers == (50, 200)


def test_find_amounts_gives_spans_in_the_original_text():
    text = "de 1.500 à 3 000 €"
    spans = [text[a.start : a.end] for a in find_amounts(text)]
    assert spans == ["1.500", "3 000"]


def test_helpers():
    assert decimal_for_delimiter(";") == "," and decimal_for_delimiter(",") is None
    assert format_number(1500.0) == "1500" and format_number(2.5) == "2.5"


@pytest.mark.parametrize(
    ("text", "low", "high", "doubt"),
    [
        # A number in words beside digits counts things ("the three best"), unless a range
        # word ties it to its neighbour (founder walk: "drei" was read as a fourth size).
        ("Die drei besten: 120, 300 und 450 Mitarbeiter", 120, 450, "I read three numbers: 120, 300 and 450."),
        ("our top three customers have 120 and 450 staff", 120, 450, None),
        ("one site, 50-80 staff", 50, 80, None),
        ("between fifty and 200 employees", 50, 200, None),
        ("fifty to two hundred", 50, 200, None),
    ],
)
def test_numbers_in_words_beside_digits(text, low, high, doubt):
    got = read_range(text)
    assert (got.low, got.high, got.ambiguity) == (low, high, doubt)
