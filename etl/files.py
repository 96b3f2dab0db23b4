"""A file a user brings, before its cells are read: its size limit and fingerprint, whether it opens
as a workbook (and its sheets), whether its sheets hold formulas; FileUnusable when it cannot be used
at all. No pandas here: loading an official release needs only this of the readers (etl/sheets.py
reads grids).
"""

import concurrent.futures
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


def read_sheet(path: Path, sheet: str | None) -> tuple[list[list], str, bool]:
    """Every row of the sheet (the first one if sheet is None) as calamine reads it, its name, and
    whether the workbook holds formulas: the sheet read ahead (read_ahead) if it was."""
    ahead = _AHEAD.pop(_ahead_key(path, ("sheet", sheet)), None)
    return ahead.result() if ahead is not None else _read_sheet(path, sheet)


def read_bytes(path: Path) -> tuple[bytes, str]:
    """The file's bytes and their sha256 (hex): those read ahead (read_ahead) if they were."""
    ahead = _AHEAD.pop(_ahead_key(path, "bytes"), None)
    return ahead.result() if ahead is not None else _read_bytes(path)


def reading_ahead(path: Path, sheet: str | None) -> bool:
    """Whether the sheet is being read ahead (or was, and is not yet taken)."""
    try:
        return _ahead_key(Path(path), ("sheet", sheet)) in _AHEAD
    except OSError:
        return False


def _ahead_key(path: Path, what) -> tuple:
    stat = path.stat()
    return path.resolve(), stat.st_mtime_ns, stat.st_size, what


# Files being read ahead: (resolved path, mtime_ns, size, what: "bytes" or ("sheet", name)) -> the
# future of read_bytes' or read_sheet's answer, taken by the first read of that version of the file.
_AHEAD: dict[tuple, concurrent.futures.Future] = {}


def read_ahead(path: Path, sheet: str | None, max_bytes: int | None) -> None:
    """Start reading a file in the background, for the command line, which then imports the
    intake (pandas, Arrow, DuckDB: 0.4 s): a workbook's sheet, or a text file's bytes and their
    sha256. calamine lets go of the interpreter while it parses, and so do reading and hashing:
    the imports and the reading share the machine's cores. A file that the reader would refuse
    before reading it (missing, empty, too large) is left to the reader, which says why."""
    path = Path(path)
    try:
        stat = path.stat()
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return
    workbook = head == b"PK\x03\x04"
    old_excel = head == b"\xd0\xcf\x11\xe0"  # refused unread, as an empty or too large file
    if old_excel or stat.st_size == 0 or (max_bytes is not None and stat.st_size > max_bytes):
        return
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    if workbook:
        _AHEAD[_ahead_key(path, ("sheet", sheet))] = pool.submit(_read_sheet, path, sheet)
    else:
        _AHEAD[_ahead_key(path, "bytes")] = pool.submit(_read_bytes, path)
    pool.shutdown(wait=False)


def _read_bytes(path: Path) -> tuple[bytes, str]:
    raw = path.read_bytes()
    return raw, hashlib.sha256(raw).hexdigest()


def _read_sheet(path: Path, sheet: str | None) -> tuple[list[list], str, bool]:
    # Whether the workbook holds formulas is read from its XML while calamine parses the sheet:
    # calamine lets go of the interpreter while it parses, so the two share the machine's cores.
    stat = path.stat()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        formulas = pool.submit(has_formulas, path.resolve(), stat.st_mtime_ns, stat.st_size)
        rows, title = _sheet_rows(path, sheet)
        return rows, title, formulas.result()


def _sheet_rows(path: Path, sheet: str | None) -> tuple[list[list], str]:
    book = open_workbook(path)
    try:
        if sheet is not None and sheet not in book.sheet_names:
            names = ", ".join(book.sheet_names)
            raise FileUnusable(
                f"{path.name} no tiene la hoja «{sheet}». Hojas: {names}.",
                f"{path.name} has no sheet '{sheet}'. Sheets: {names}.",
            )
        title = sheet if sheet is not None else book.sheet_names[0]
        try:
            # Every cell from A1 (not from the first filled one), as rows are numbered in Excel.
            # Formulas are never evaluated: their last saved value is read (or nothing).
            return book.get_sheet_by_name(title).to_python(skip_empty_area=False), title
        except Exception as exc:  # a damaged sheet inside a readable zip
            raise unopenable(path, exc) from exc
    finally:
        book.close()


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
