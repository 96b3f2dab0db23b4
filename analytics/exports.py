"""Files the data desk hands out: the announcements table (CSV, XLSX), the rejects of a load, and
the load history. Read through analytics.db.query (read-only, bound parameters).

Every text cell that a spreadsheet would run as a formula (=, +, -, @) is neutralised with
etl.export.spreadsheet_safe, in CSV and XLSX alike.
"""

import io

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from analytics.db import query
from etl.export import spreadsheet_safe

REJECT_HEADERS = {
    "es": {"row_number": "fila", "column": "columna", "value": "valor", "reason": "motivo"},
    "en": {"row_number": "row", "column": "column", "value": "value", "reason_en": "reason"},
}


def load_history() -> pd.DataFrame:
    """One row per load, newest first."""
    return query(
        "SELECT load_id, kind, file_name, sha256, loaded_by, rows_read, rows_loaded, "
        "rows_rejected, rows_flagged, started_at, finished_at FROM load_log ORDER BY load_id DESC"
    )


def loads_of_file(sha256: str) -> pd.DataFrame:
    """Earlier loads of a file with this content (the same bytes are never loaded twice)."""
    return query(
        "SELECT load_id, file_name, loaded_by, finished_at, kind FROM load_log "
        "WHERE sha256 = $sha256 ORDER BY load_id",
        {"sha256": str(sha256)},
    )


def announcements() -> pd.DataFrame:
    """The active announcements (what totals count), every column, in load order."""
    return query("SELECT * FROM active_announcements ORDER BY load_id, source_row, announcement_id")


def set_aside() -> pd.DataFrame:
    """The withdrawn and merged announcements, with their reason and the row kept."""
    return query(
        "SELECT * FROM announcements WHERE record_state <> 'active' "
        "ORDER BY load_id, source_row, announcement_id"
    )


def announcements_by_id(ids: list[str]) -> pd.DataFrame:
    """The announcements with these ids (the rows a suspected duplicate resembles)."""
    return query(
        "SELECT announcement_id, company, municipality, announced_date, date_precision, "
        "amount_musd, load_id, source_row FROM announcements "
        "WHERE list_contains($ids, announcement_id) ORDER BY load_id, source_row",
        {"ids": sorted({str(i) for i in ids})},
    )


def load_rejects(load_id: int, lang: str = "es") -> pd.DataFrame:
    """The rejected cells of one load: row, column, value, reason (in lang)."""
    frame = query(
        'SELECT row_number, "column", value, reason, reason_en FROM rejects '
        'WHERE load_id = $load_id ORDER BY row_number, "column"',
        {"load_id": int(load_id)},
    )
    return localized_rejects(frame, lang)


def localized_rejects(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rejects with the reason in lang and headers as the CLI's rejects CSV has them."""
    headers = REJECT_HEADERS[lang]
    return frame[list(headers)].rename(columns=headers).reset_index(drop=True)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV that Excel opens as UTF-8 (with BOM), formula-like text neutralised."""
    return spreadsheet_safe(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per frame, formula-like text neutralised.

    Characters that XLSX cannot hold (control characters) are dropped from text cells.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe = spreadsheet_safe(frame)
            for column in safe.columns:
                if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
                    safe[column] = safe[column].map(
                        lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                    )
            safe.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def announcements_csv() -> bytes:
    return csv_bytes(announcements())


def announcements_xlsx() -> bytes:
    return xlsx_bytes({"announcements": announcements(), "set_aside": set_aside()})


def rejects_csv(load_id: int, lang: str = "es") -> bytes:
    return csv_bytes(load_rejects(load_id, lang))
