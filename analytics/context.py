"""What a page, a slide or the command line needs to draw in one language: the language, the filters
in force, the sidebar's options and the display names. No Streamlit here, so the meeting pack's
command line builds the same Context the pages get."""

from dataclasses import dataclass

import pandas as pd

from analytics.filters import Filters
from analytics.i18n import REGIONS, label, t


@dataclass(frozen=True)
class Context:
    """What a page needs: the language, the filters in force, and display names."""

    lang: str
    filters: Filters
    options: dict
    names: dict[str, pd.DataFrame]

    def country(self, iso2) -> str:
        if not isinstance(iso2, str) or iso2 not in self.names["countries"].index:
            return t("unknown", self.lang)
        return self.names["countries"].at[iso2, f"name_{self.lang}"]

    def sector(self, code) -> str:
        if not isinstance(code, str) or code not in self.names["sectors"].index:
            return t("unknown", self.lang)
        return self.names["sectors"].at[code, f"name_{self.lang}"]

    def region(self, code) -> str:
        return label(REGIONS, code, self.lang)

    def text(self, es: str, en: str) -> str:
        return es if self.lang == "es" else en


def load_context(lang: str, filters: Filters) -> Context:
    """A Context read from the warehouse (options and names), outside Streamlit."""
    from analytics import queries  # the warehouse access; imported here to keep this module light

    return Context(lang, filters, queries.filter_options(), queries.names())
