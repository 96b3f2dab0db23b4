"""A file a user brings, before its cells are read: its size limit and fingerprint, whether it opens
as a workbook (and its sheets), whether its sheets hold formulas; FileUnusable when it cannot be used
at all. No pandas here: loading an official release needs only this of the readers (etl/sheets.py
reads grids).
"""

import functools
import hashlib
import zipfile
from pathlib import Path

MAX_FILE_BYTES = 60 * 1024 * 1024


class FileUnusable(Exception):
    """The file as a whole cannot be used (exit status 2); nothing from it is loaded."""

    def __init__(self, es: str, en: str):
        super().__init__(es)
        self.es, self.en = es, en


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def open_workbook(path: Path):
    """The workbook, opened by calamine (Rust; reads XLSX many times faster than openpyxl, which
    stays for writing templates)."""
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for a damaged zip or a foreign file
        raise unopenable(path, exc) from exc


def unopenable(path: Path, exc: Exception) -> FileUnusable:
    """The message for a workbook that cannot be opened, naming the error as it always has:
    openpyxl's (BadZipFile for a damaged zip), which is asked only on this rare path."""
    import openpyxl

    error = type(exc).__name__
    try:
        openpyxl.load_workbook(path, read_only=True).close()
    except Exception as openpyxl_exc:  # openpyxl raises many types for a damaged zip
        error = type(openpyxl_exc).__name__
    return FileUnusable(
        f"No se pudo abrir {path.name} como libro XLSX ({error}).",
        f"{path.name} could not be opened as an XLSX workbook ({error}).",
    )


@functools.lru_cache(maxsize=8)
def has_formulas(path: Path, mtime_ns: int, size: int) -> bool:
    """Whether any worksheet of the workbook holds a formula (an <f> element), read as bytes; once
    per version of the file (mtime_ns, size), for readers that read its sheets one by one.

    Every formula ends in "</f>" (or "</x:f>" with a namespace prefix), but for the copies of a
    shared formula ("<f t="shared" si="0"/>"), whose first cell holds it whole: plain substring
    searches find them several times faster than a pattern that tries every "<"."""
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with archive.open(name) as xml:
                    tail = b""
                    while chunk := xml.read(1 << 20):
                        text = tail + chunk
                        if b"</f>" in text or b":f>" in text:
                            return True
                        tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError):
        return False
    return False


def sheet_names(path: Path, max_bytes: int | None = MAX_FILE_BYTES) -> list[str]:
    """The sheets of an XLSX workbook, in order (for readers that need more than one sheet, such
    as SE's releases); FileUnusable for a file that is not a readable workbook."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise FileUnusable(f"No existe el archivo {name}.", f"The file {name} does not exist.")
    if max_bytes is not None and path.stat().st_size > max_bytes:
        mb = max_bytes // (1024 * 1024)
        raise FileUnusable(
            f"El archivo {name} pesa más de {mb} MB.", f"The file {name} is larger than {mb} MB."
        )
    book = open_workbook(path)
    try:
        return list(book.sheet_names)
    finally:
        book.close()
