"""Write a synthetic CRM export (HubSpot-style headers) for examples and benchmarks.

Deterministic: the same --rows and --seed give the same file. The best customers are
planted (mid-size SaaS/fintech in the UK and DACH), so `icpchat analyze` has a real signal.

    python benchmarks/make_crm.py --rows 200 --out examples/customers.csv
    python benchmarks/make_crm.py --rows 60 --leads --out examples/leads.csv
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

INDUSTRIES = ["SaaS", "Fintech", "E-commerce", "Healthcare", "Manufacturing", "Logistics", "Education", "Agency"]
COUNTRIES = ["United Kingdom", "Germany", "Austria", "Switzerland", "France", "Netherlands", "United States", "Spain"]
WORDS = ["Blue", "North", "Ledger", "Peak", "Orbit", "Harbor", "Quant", "Nova", "Pine", "Crest", "Vector", "Atlas"]


def company(rng: random.Random, i: int) -> str:
    return f"{rng.choice(WORDS)}{rng.choice(WORDS).lower()} {rng.choice(['Ltd', 'GmbH', 'AG', 'Inc', 'BV'])} {i}"


def customer(rng: random.Random, i: int) -> dict[str, object]:
    fit = rng.random() < 0.35
    industry = rng.choice(INDUSTRIES[:2]) if fit else rng.choice(INDUSTRIES)
    country = rng.choice(COUNTRIES[:4]) if fit else rng.choice(COUNTRIES)
    employees = (
        rng.randint(80, 400) if fit else rng.choice([rng.randint(3, 60), rng.randint(80, 400), rng.randint(500, 8000)])
    )
    deal = round(rng.uniform(14_000, 30_000) if fit else rng.uniform(3_000, 18_000), -2)
    churned = rng.random() < (0.05 if fit else 0.35)
    expanded = (not churned) and rng.random() < (0.6 if fit else 0.15)
    years = rng.uniform(1.5, 4.0) if not churned else rng.uniform(0.3, 1.2)
    ltv = round(deal * years * (1.4 if expanded else 1.0), -2)
    return {
        "Company name": company(rng, i),
        "Industry": industry,
        "Number of Employees": employees,
        "Annual Revenue": f"{employees * rng.randint(60, 160) * 1000:,}",
        "Country/Region": country,
        "Amount": f"${deal:,.0f}",
        "Lifetime Value": f"${ltv:,.0f}",
        "Churned": "Yes" if churned else "No",
        "Expanded": "Yes" if expanded else "No",
        "Sales cycle (days)": rng.randint(20, 60) if fit else rng.randint(30, 150),
    }


def lead(rng: random.Random, i: int) -> dict[str, object]:
    return {
        "Company": company(rng, i),
        "Industry": rng.choice(INDUSTRIES),
        "Employees": rng.choice([rng.randint(3, 60), rng.randint(80, 400), rng.randint(500, 5000)]),
        "Country": rng.choice(COUNTRIES),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--leads", action="store_true", help="write leads (no outcome columns)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    make = lead if args.leads else customer
    # Rows are written as they are made: ten million of them never sit in memory.
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        first = make(rng, 1)
        writer = csv.DictWriter(fh, fieldnames=list(first))
        writer.writeheader()
        writer.writerow(first)
        for i in range(2, args.rows + 1):
            writer.writerow(make(rng, i))


if __name__ == "__main__":
    main()
