"""What the data desk's forms keep in the journal: a form entry of one announcement is a one-row CSV
in the intake's own format (kind announcements), a correction from an announcement's record a
one-line CSV in the corrections format (kind corrections). Each then goes through exactly the path
a file goes through, and a rebuild replays it as it replays files.
"""

import csv
import io

from etl.corrections import HEADER_LABELS

# The intake's Spanish headers (etl.intake.HEADER_ALIASES), in the template's order.
ANNOUNCEMENT_COLUMNS = {
    "company": "empresa",
    "parent_group": "grupo",
    "origin_country": "país de origen",
    "sector": "sector",
    "tier": "nivel",
    "event_type": "tipo de evento",
    "municipality": "municipio",
    "park": "parque industrial",
    "announced_date": "fecha",
    "amount": "monto",
    "currency": "moneda",
    "jobs": "empleos",
    "status": "estatus",
    "source_url": "fuente",
    "source_title": "título de la fuente",
    "source_date": "fecha de la fuente",
    "notes": "notas",
}
# The corrections file's columns, as the shipped file names them (announcement_id first).
CORRECTION_COLUMNS = ["announcement_id", "field", "old_value", "new_value", "source_url",
                      "source_title", "source_date", "note"]  # fmt: skip


def _csv(header: list[str], row: list) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(["" if v is None else str(v).strip() for v in row])
    return out.getvalue().encode("utf-8")


def announcement_csv(values: dict) -> bytes:
    """One announcement as the form's clerk typed it, under the intake's headers (values by
    field: text as typed, vocabulary codes, an ISO country code)."""
    unknown = set(values) - set(ANNOUNCEMENT_COLUMNS)
    if unknown:
        raise ValueError(f"not announcement fields: {sorted(unknown)}")
    return _csv(list(ANNOUNCEMENT_COLUMNS.values()), [values.get(f) for f in ANNOUNCEMENT_COLUMNS])


def correction_csv(values: dict) -> bytes:
    """One correction line (values by CORRECTION_COLUMNS name; note goes under 'quote', as in the
    shipped file)."""
    unknown = set(values) - set(CORRECTION_COLUMNS)
    if unknown:
        raise ValueError(f"not correction columns: {sorted(unknown)}")
    header = [HEADER_LABELS[c][1] for c in CORRECTION_COLUMNS]
    return _csv(header, [values.get(c) for c in CORRECTION_COLUMNS])
