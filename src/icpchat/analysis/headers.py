"""Column headers of CRM exports in the languages the product speaks (de, fr, es, pt), beside
the English ones in :data:`icpchat.analysis.table.SYNONYMS`.

A German founder's export says "Mitarbeiter", "Umsatz", "Branche", "Land"; without these the
columns went unrecognised and `analyze` asked for a --map the header already answered. Names
are written as :func:`fold_header` leaves them: lower case, accents and punctuation gone
("Gekündigt" -> "gekundigt", "Chiffre d'affaires" -> "chiffre d affaires", "Größe" -> "grosse").
Only whole headers match: "Land" is a country column, "Landkreis" is not.
"""

from __future__ import annotations

import re
import unicodedata

LOCAL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "company": (
        # de
        "firma",
        "firmenname",
        "unternehmen",
        "unternehmensname",
        "kunde",
        "kundenname",
        # fr
        "entreprise",
        "societe",
        "nom de l entreprise",
        "raison sociale",
        "compte",
        # es, pt
        "empresa",
        "nombre de la empresa",
        "compania",
        "cliente",
        "cuenta",
        "nome da empresa",
        "conta",
    ),
    "industry": (
        "branche",
        "industrie",
        "sektor",
        "secteur",
        "secteur d activite",
        "industria",
        "setor",
        "segmento",
        "ramo",
    ),
    "employees": (
        "mitarbeiter",
        "mitarbeiterzahl",
        "anzahl mitarbeiter",
        "anzahl der mitarbeiter",
        "beschaftigte",
        "unternehmensgrosse",
        "grosse",
        "employes",
        "effectif",
        "effectifs",
        "nombre d employes",
        "nombre de salaries",
        "salaries",
        "taille",
        "empleados",
        "numero de empleados",
        "plantilla",
        "tamano",
        "funcionarios",
        "numero de funcionarios",
        "colaboradores",
        "tamanho",
    ),
    "revenue": (
        "umsatz",
        "jahresumsatz",
        "chiffre d affaires",
        "ca annuel",
        "ingresos",
        "facturacion",
        "ventas anuales",
        "receita",
        "receita anual",
        "faturamento",
    ),
    "country": ("land", "staat", "pays", "pais", "sitz", "siege"),
    "deal_size": (
        "auftragswert",
        "vertragswert",
        "betrag",
        "montant",
        "valeur du contrat",
        "importe",
        "monto",
        "valor del contrato",
        "valor do contrato",
        "valor do negocio",
    ),
    "ltv": (
        "kundenwert",
        "kundenlebenswert",
        "valeur vie client",
        "valor de vida del cliente",
        "valor do tempo de vida",
    ),
    "churned": (
        "gekundigt",
        "abgewandert",
        "verloren",
        "resilie",
        "perdu",
        "cancelado",
        "perdido",
        "baja",
    ),
    "expanded": ("erweitert", "ausgebaut", "etendu", "montee en gamme", "ampliado", "expandido"),
    "cycle_days": (
        "verkaufszyklus",
        "verkaufszyklus tage",
        "cycle de vente",
        "cycle de vente jours",
        "ciclo de venta",
        "ciclo de venta dias",
        "ciclo de vendas",
        "ciclo de vendas dias",
    ),
}


def fold_header(header: str) -> str:
    """A header as synonyms are written: case folded ("ß" -> "ss"), accents dropped, every run
    of other characters one space."""
    decomposed = unicodedata.normalize("NFKD", header.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())
