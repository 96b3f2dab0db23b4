"""What a page, a slide or the command line needs to draw in one language: the language, the filters
in force, the sidebar's options and the display names. No Streamlit here, so the meeting pack's
command line builds the same Context the pages get."""

from dataclasses import dataclass, field

import pandas as pd

from analytics.filters import Filters
from analytics.i18n import EVENT_TYPES, REGIONS, STATUSES, TIERS, label, t


@dataclass(frozen=True)
class Context:
    """What a page needs: the language, the filters in force, and display names."""

    lang: str
    filters: Filters
    options: dict
    names: dict[str, pd.DataFrame]
    _lookups: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def country(self, iso2) -> str:
        return self._names_of("countries").get(iso2) or t("unknown", self.lang)

    def sector(self, code) -> str:
        return self._names_of("sectors").get(code) or t("unknown", self.lang)

    def _names_of(self, table: str) -> dict:
        """code -> name in this language, as a dict: pages ask for names row by row."""
        if table not in self._lookups:
            self._lookups[table] = self.names[table][f"name_{self.lang}"].to_dict()
        return self._lookups[table]

    def region(self, code) -> str:
        return label(REGIONS, code, self.lang)

    def text(self, es: str, en: str) -> str:
        return es if self.lang == "es" else en

    def filters_text(self) -> str:
        """The list filters in force, as a reader says them; '' when there are none."""
        lang = self.lang
        namers = {
            "regions": ("region", self.region),
            "countries": ("country", self.country),
            "sectors": ("sector", self.sector),
            "tiers": ("tier", lambda c: label(TIERS, c, lang)),
            "places": ("municipality", str),
            "event_types": ("event_type", lambda c: label(EVENT_TYPES, c, lang)),
            "statuses": ("status", lambda c: label(STATUSES, c, lang)),
        }
        parts = []
        for name, values in self.filters.active().items():
            key, namer = namers[name]
            parts.append(f"{t(key, lang)}: {', '.join(namer(v) for v in values)}")
        return " · ".join(parts)


def load_context(lang: str, filters: Filters) -> Context:
    """A Context read from the warehouse (options and names), outside Streamlit."""
    from analytics import queries  # the warehouse access; imported here to keep this module light

    return Context(lang, filters, queries.filter_options(), queries.names())
