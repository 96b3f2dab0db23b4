"""Cell-level parsers for the announcements intake, gathered from the modules of each job: text and
blanks (etl/cell_text.py), amounts, currencies, exchange rates and jobs (etl/amounts.py), dates
(etl/dates.py) and controlled vocabularies (etl/vocabularies.py). The intake, corrections, the data
desk and the official statistics import them from here.

Each parser takes one spreadsheet cell (text, number, date or blank) and returns a clean value,
None for a blank cell, or raises CellError with a message for the clerk in Spanish and English.
"""

from etl.amounts import (
    CURRENCIES,
    MAX_JOBS,
    Amount,
    HeaderUnit,
    Rates,
    header_unit,
    parse_amount,
    parse_currency,
    parse_jobs,
)
from etl.cell_text import CellError, is_blank, normalize
from etl.dates import FIRST_YEAR, PartialDate, parse_date
from etl.vocabularies import (
    EVENT_TYPES,
    GUESS_MARGIN,
    GUESS_SCORE,
    SECTORS,
    STATUSES,
    TIERS,
    Guess,
    Vocabulary,
    VocabularyError,
)

__all__ = [
    "CURRENCIES", "EVENT_TYPES", "FIRST_YEAR", "GUESS_MARGIN", "GUESS_SCORE", "MAX_JOBS", "SECTORS",
    "STATUSES", "TIERS", "Amount", "CellError", "Guess", "HeaderUnit", "PartialDate", "Rates",
    "Vocabulary", "VocabularyError", "header_unit", "is_blank", "normalize", "parse_amount",
    "parse_currency", "parse_date", "parse_jobs",
]  # fmt: skip
