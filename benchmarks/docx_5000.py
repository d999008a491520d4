"""Time the Word export of a profile with 5,000 personas, against python-docx used plainly.

Run: python benchmarks/docx_5000.py [--personas N]   (writes benchmarks/docx_5000.txt)
Target (issue 14): under 5 s for 5,000 personas.

The profile is examples/ledgerloop.json with its two personas repeated (each copy renamed).
"icpchat" is ``render_docx`` (document model included); "python-docx, naive" writes the same
cards with python-docx's documented API (styles looked up by name, add_heading/add_table,
cell.add_paragraph), the way one would without measuring: the peer in the same run.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


def profile_with(personas: int):  # type: ignore[no-untyped-def]
    from icpchat.domain.models import Profile

    data = json.loads((HERE.parent / "examples" / "ledgerloop.json").read_text())
    base = data["personas"]
    out = []
    for i in range(personas):
        p = copy.deepcopy(base[i % len(base)])
        name = f"{p['name']['value']} {i + 1}"
        p["name"] = {**p["name"], "raw": name, "value": name}
        out.append(p)
    data["personas"] = out
    return Profile.model_validate(data)


def naive(doc) -> bytes:  # type: ignore[no-untyped-def]
    """python-docx's documented API, card by card (what render_docx did before)."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    word = Document()
    word.add_heading("Personas", 1)
    for card in doc.personas:
        word.add_heading(card.name, 2)
        cell = word.add_table(rows=1, cols=1, style="Table Grid").rows[0].cells[0]
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:fill"), "EEF3FB")
        cell._tc.get_or_add_tcPr().append(shd)
        cell.paragraphs[0].add_run(" · ".join(card.role) or "Persona").bold = True
        if card.icp:
            cell.add_paragraph(f"ICP: {card.icp}")
        if card.quote:
            cell.add_paragraph().add_run(f"“{card.quote}”").italic = True
        for item in (*card.message, *card.items):
            cell.add_paragraph().add_run(item.label).bold = True
            for value in item.values:
                cell.add_paragraph(value, style="List Bullet" if item.listed else None)
        for o in card.objections:
            cell.add_paragraph(o.text, style="List Bullet")
        cell.add_paragraph().add_run(f"Confidence: {card.confidence}").italic = True
        word.add_paragraph()
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def timed(fn, *args):  # type: ignore[no-untyped-def]
    cpu, start = os.times(), time.perf_counter()
    out = fn(*args)
    wall, after = time.perf_counter() - start, os.times()
    return out, wall, (after.user - cpu.user) + (after.system - cpu.system)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--personas", type=int, default=5000)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    from icpchat.export.document import build_document
    from icpchat.export.docx import render_docx
    from icpchat.questions import load_catalog

    catalog = load_catalog()
    profile = profile_with(args.personas)
    load = os.getloadavg()
    ours, wall, cpu = timed(render_docx, profile, catalog)
    rows = [("icpchat render_docx", wall, cpu, len(ours))]
    if not args.skip_naive:
        doc = build_document(profile, catalog)
        theirs, wall, cpu = timed(naive, doc)
        rows.append(("python-docx, naive (cards only)", wall, cpu, len(theirs)))
    lines = [
        f"# docx with {args.personas:,} personas, {date.today().isoformat()}, {os.cpu_count()} cores,"
        f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start; one run each, in-process",
        f"{'writer':<34} {'wall s':>8} {'cpu s':>8} {'bytes':>10}",
    ]
    lines += [f"{name:<34} {w:>8.2f} {c:>8.2f} {n:>10,}" for name, w, c, n in rows]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.personas == 5000:
        (HERE / "docx_5000.txt").write_text(text)


if __name__ == "__main__":
    main()
