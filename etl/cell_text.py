"""What every cell parser shares: the error a clerk reads, the normal form of text used for
matching, blank cells ("", "-", "n/d"), and numbers as written in a cell ("1,200,000", "1.5").
"""

import re
import unicodedata
from decimal import Decimal


class CellError(ValueError):
    """A cell value the intake cannot use. Carries the clerk's message in both languages."""

    def __init__(self, es: str, en: str):
        super().__init__(es)
        self.es = es
        self.en = en


# ---------------------------------------------------------------- text helpers


def normalize(text) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: the form used for matching."""
    if _is_missing(text):
        return ""
    # Lower-case after NFKD: some characters only decompose into capitals ("ᴬ" -> "A").
    decomposed = unicodedata.normalize("NFKD", str(text)).lower()
    no_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", no_accents).split())


def _is_missing(cell) -> bool:
    """None, NaN, NaT or pd.NA: what an empty spreadsheet cell arrives as."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return False
    if isinstance(cell, float):
        return cell != cell
    import pandas as pd  # NaT, pd.NA: only cells that come from pandas are anything else

    try:
        return bool(pd.isna(cell))
    except (TypeError, ValueError):  # list-like objects are not blank cells
        return False


# What staff write for "no data", after normalize: "n/d", "s/d", "N/A", "s/f" (sin fecha)...
_NO_DATA = {"nd", "n d", "sd", "s d", "na", "n a", "sf", "s f", "no disponible", "sin dato",
            "sin datos", "sin fecha", "not available"}  # fmt: skip


# Text with nothing but dashes, dots, slashes or question marks ("-", "—", "?", "/") is empty.
_EMPTY_TEXT = re.compile(r"[\s.?/\-\u2010-\u2015]*")


def _is_empty(cell) -> bool:
    return _is_missing(cell) or (isinstance(cell, str) and _EMPTY_TEXT.fullmatch(cell) is not None)


# No "no data" word has a digit, and normalize keeps digits: text with one is never blank.
_DIGIT = re.compile(r"[0-9]")


def is_blank(cell) -> bool:
    """True for an empty cell or one that only says there is no data ("-", "n/d", "s/d")."""
    if isinstance(cell, str) and _DIGIT.search(cell):  # amounts, dates, jobs: most cells
        return False
    return _is_empty(cell) or (isinstance(cell, str) and normalize(cell) in _NO_DATA)


def _shown(cell) -> str:
    """The cell as the clerk typed it, for messages."""
    return str(cell).strip()


# A number as written in a cell: digits with optional "," / "." separators.
_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
_MINUS_BEFORE_NUMBER = re.compile(r"[-\u2212\u2013]\s*\d")


def _read_number(digits: str, cell) -> Decimal:
    """Read "1,200,000", "1.200.000,5", "1,5" or "1.25" by the pattern of its separators.

    Mexican usage (comma for thousands, point for decimals) decides the cases a single mark leaves
    open; "1.500" could be either usage, so the clerk is asked to write it unambiguously.
    """
    marks = [ch for ch in digits if ch in ",."]
    if not marks:
        return Decimal(digits)
    last = marks[-1]
    decimals = len(digits) - digits.rfind(last) - 1
    if len(set(marks)) == 2 or (len(marks) == 1 and decimals != 3):
        decimal_mark = last  # "1,200.50", "1.200,50", "1.5", "1,25"
    elif len(marks) == 1 and not re.fullmatch(r"[1-9]\d{0,2}", digits.split(last)[0]):
        decimal_mark = last  # "0.125", "1234.567": the mark cannot be separating thousands
    elif len(marks) > 1 or last == ",":
        decimal_mark = None  # "1.200.000", "1,200"
    else:
        as_thousands = digits.replace(".", "")
        as_decimal = format(Decimal(digits).normalize(), "f")
        raise CellError(
            f"'{_shown(cell)}' es ambiguo: puede leerse como {as_thousands} o como {as_decimal}. "
            f"Escriba {as_thousands} si son miles, o {as_decimal} si es decimal.",
            f"'{_shown(cell)}' is ambiguous: it may be read as {as_thousands} or as {as_decimal}. "
            f"Write {as_thousands} for thousands, or {as_decimal} for a decimal.",
        )
    integer, fraction = digits.rsplit(decimal_mark, 1) if decimal_mark else (digits, "0")
    groups = re.split(r"[.,]", integer)
    thousands_ok = 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    mixed_marks = decimal_mark is not None and decimal_mark in integer  # "1,200.000,5"
    if mixed_marks or (len(groups) > 1 and not thousands_ok):
        raise CellError(
            f"'{_shown(cell)}' no es un número bien escrito: revise los separadores de miles "
            "y decimales (por ejemplo 1,200,000 o 1200000.5).",
            f"'{_shown(cell)}' is not a well-formed number: check the thousands and decimal "
            "separators (e.g. 1,200,000 or 1200000.5).",
        )
    return Decimal("".join(groups) + "." + fraction)


def _single_number(text: str, cell, no_number: CellError) -> tuple[str, bool, str]:
    """The one number written in text, whether a minus precedes it, and the text around it."""
    found = _NUMBER.findall(text)
    if not found:
        raise no_number
    if len(found) > 1:
        raise CellError(
            f"'{_shown(cell)}' tiene más de un número; escriba una sola cifra.",
            f"'{_shown(cell)}' has more than one number; write a single figure.",
        )
    negative = bool(_MINUS_BEFORE_NUMBER.search(text))
    return found[0], negative, text.replace(found[0], " ", 1)


# Words that qualify a figure without changing it: "más de 100 mdd" is entered as 100 (the lower
# bound as stated), like "aprox. 100" or "hasta 100".
_QUALIFIERS = {"de", "del", "en", "mas", "more", "than", "over", "about", "around", "approx",
               "approximately", "aprox", "aproximadamente", "cerca", "alrededor", "unos", "unas",
               "some", "al", "menos", "at", "least", "hasta", "up", "to", "of"}  # fmt: skip


def _words(text) -> list[str]:
    """Normalized words, with the multi-word units joined into one word."""
    text = normalize(text)
    text = re.sub(r"\b(?:mil|miles) (?:de )?millones\b", "milmillones", text)
    text = re.sub(r"\bm n\b", "mn", text)  # "M.N." (moneda nacional) is the peso
    return text.split()
