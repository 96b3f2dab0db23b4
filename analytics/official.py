"""Every question the official-statistics pages and slides ask of the warehouse: SE's IED by state
(each release a vintage; never two releases or two series added together), INEGI's exports, IMSS
jobs and DENUE establishments, and how fresh each series is.

Values of fdi_state_flows are cumulative from January (quarter 3 = Jan-Sep): a year's figure is
its Q4 value, a year-to-date figure the value at the last quarter published, a quarter's own flow
`flow_musd`.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics.db import query
from analytics.i18n import pick

SLP = "24"
NATIONAL = "00"
# The states officials compare SLP with (the Bajío and the north's automotive states).
PEERS = ("24", "01", "11", "22", "14", "19", "05")
SERIES = {
    "original": ("cifras originalmente publicadas", "figures as originally published"),
    "revised": ("cifras actualizadas", "revised figures"),
}
SOURCES = {  # fdi_releases.source: who published the copy, when it is not SE's own workbook
    "se_workbook": ("", ""),
    "se_revised_csv": ("", ""),
    "datos_gob": (" (datos.gob.mx)", " (datos.gob.mx)"),
    "data_mexico": (" (Data México)", " (Data México)"),
}
MONTHS_SHORT = {
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
MONTHS_LONG = {
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}  # fmt: skip


# ---------------------------------------------------------------- how things are written


def cut_off_text(day, lang: str) -> str:
    """'30-sep-2025' / '30-Sep-2025', as officials date a cut-off."""
    day = pd.Timestamp(day)
    return f"{day.day}-{MONTHS_SHORT[lang][day.month - 1]}-{day.year}"


def span_text(quarter: int, lang: str) -> str:
    """The months a cumulative value covers: 'ene–sep' / 'Jan–Sep'; a whole year: 'ene–dic'."""
    months = MONTHS_SHORT[lang]
    return months[0] if quarter == 0 else f"{months[0]}–{months[3 * quarter - 1]}"


def period_text(year: int, quarter: int, lang: str) -> str:
    """'ene–sep 2025', or the year alone for a whole year ('2024')."""
    return str(year) if quarter == 4 else f"{span_text(quarter, lang)} {year}"


def axis_period(year: int, quarter: int, lang: str) -> str:
    """A period as an axis label: '2024', or '2025<br>ene–sep' for a year not yet complete."""
    return str(year) if quarter == 4 else f"{year}<br>{span_text(quarter, lang)}"


def initial(text: str) -> str:
    """A sentence that starts with a period ('ene–sep 2025: …') with its first letter capital."""
    return text[:1].upper() + text[1:]


def month_text(year: int, month: int, lang: str) -> str:
    return f"{MONTHS_SHORT[lang][month - 1]} {year}"


@dataclass(frozen=True)
class Release:
    release_id: str
    series: str
    cut_off: date
    source: str
    file_name: str

    def label(self, lang: str) -> str:
        """'cifras originalmente publicadas, corte al 30-sep-2025'."""
        series = pick(SERIES[self.series], lang) + pick(SOURCES.get(self.source, ("", "")), lang)
        cut = cut_off_text(self.cut_off, lang)
        return f"{series}, corte al {cut}" if lang == "es" else f"{series}, cut-off {cut}"

    @property
    def last_quarter(self) -> tuple[int, int]:
        return self.cut_off.year, (self.cut_off.month - 1) // 3 + 1


def _release(row) -> Release:
    return Release(row["release_id"], row["series"], pd.Timestamp(row["cut_off"]).date(),
                   row["source"], row["file_name"])  # fmt: skip


def releases() -> pd.DataFrame:
    """Every FDI release, newest first (a later load of the same series and cut-off first)."""
    return query(
        """
        SELECT release_id, series, cut_off, source, file_name, loaded_at, loaded_by, states,
               first_year, load_id, note_es, note_en
        FROM fdi_releases ORDER BY cut_off DESC, loaded_at DESC, release_id DESC
        """
    )


def latest_release(series: str, cve_ent: str = SLP, every_state: bool = False) -> Release | None:
    """The newest release of a series that has values for the state (every_state: only releases
    of all 32 states, for comparisons among them)."""
    frame = query(
        """
        SELECT r.release_id, r.series, r.cut_off, r.source, r.file_name
        FROM fdi_releases r
        WHERE r.series = $series AND (NOT $every OR r.states = 32) AND EXISTS (
            SELECT 1 FROM fdi_state_flows f WHERE f.release_id = r.release_id
              AND f.cve_ent = $cve_ent)
        ORDER BY r.cut_off DESC, r.loaded_at DESC, r.release_id DESC LIMIT 1
        """,
        {"series": series, "cve_ent": cve_ent, "every": every_state},
    )
    return None if frame.empty else _release(frame.iloc[0])


def previous_release(release: Release, cve_ent: str = SLP) -> Release | None:
    """The release of the same series before this one (an earlier cut-off), if any."""
    frame = query(
        """
        SELECT r.release_id, r.series, r.cut_off, r.source, r.file_name
        FROM fdi_releases r
        WHERE r.series = $series AND r.cut_off < $cut_off AND EXISTS (
            SELECT 1 FROM fdi_state_flows f WHERE f.release_id = r.release_id
              AND f.cve_ent = $cve_ent)
        ORDER BY r.cut_off DESC, r.loaded_at DESC LIMIT 1
        """,
        {"series": release.series, "cut_off": release.cut_off, "cve_ent": cve_ent},
    )
    return None if frame.empty else _release(frame.iloc[0])


# ---------------------------------------------------------------- freshness (every page's foot)

INDICATOR_NAMES = {
    "exports": ("Exportaciones (INEGI, ETEF)", "Exports (INEGI, ETEF)"),
    "jobs": ("Empleo formal (IMSS)", "Formal jobs (IMSS)"),
    "establishments": ("Establecimientos (INEGI, DENUE)", "Establishments (INEGI, DENUE)"),
}


def freshness() -> pd.DataFrame:
    """Each official series' latest release and cut-off, for the freshness line at a page's foot:
    series (key), label_es, label_en, cut_off (DATE; null where the source dates no cut-off),
    release_id, period_es, period_en (the cut-off or period as text)."""
    rows = []
    for series in SERIES:
        release = latest_release(series)
        if release is None:
            continue
        rows.append({
            "series": f"fdi_{series}",
            "label_es": f"IED, {SERIES[series][0]} (SE)",
            "label_en": f"FDI, {SERIES[series][1]} (SE)",
            "cut_off": release.cut_off, "release_id": release.release_id,
            "period_es": f"corte al {cut_off_text(release.cut_off, 'es')}",
            "period_en": f"cut-off {cut_off_text(release.cut_off, 'en')}",
        })  # fmt: skip
    for indicator, (es, en) in INDICATOR_NAMES.items():
        release = latest_indicator(indicator)
        if release is None:
            continue
        cut = release["cut_off"]
        dated = pd.notna(cut)
        rows.append({
            "series": indicator, "label_es": es, "label_en": en,
            "cut_off": pd.Timestamp(cut).date() if dated else None,
            "release_id": release["release_id"],
            "period_es": f"corte al {cut_off_text(cut, 'es')}" if dated else "ediciones 2015 y 2019",
            "period_en": f"cut-off {cut_off_text(cut, 'en')}" if dated else "2015 and 2019 editions",
        })  # fmt: skip
    return pd.DataFrame(rows)


def freshness_line(keys: list[str], lang: str) -> str:
    """'IED, cifras originalmente publicadas (SE): corte al 30-sep-2025 · …' for the given series."""
    frame = freshness()
    frame = frame[frame["series"].isin(keys)]
    return " · ".join(f"{row[f'label_{lang}']}: {row[f'period_{lang}']}"
                      for _, row in frame.iterrows())  # fmt: skip


# ---------------------------------------------------------------- FDI of one release


def totals(release_id: str, cve_ent: str = SLP) -> pd.DataFrame:
    """A state's totals by quarter: cumulative (Jan..quarter) and the quarter's flow."""
    return query(
        """
        SELECT year, quarter, cumulative_musd, flow_musd, confidential
        FROM fdi_state_flows
        WHERE release_id = $r AND cve_ent = $c AND dimension = 'type' AND code = 'total'
        ORDER BY year, quarter
        """,
        {"r": release_id, "c": cve_ent},
    )


def same_period(release_id: str, cve_ent: str = SLP) -> pd.DataFrame:
    """Each year's value for the months the latest year covers (Jan-Sep of every year when the
    release ends in September): year, quarter, cumulative_musd. What year-to-date is compared with."""
    return query(
        """
        WITH last AS (
            SELECT max(year * 10 + quarter) % 10 AS q FROM fdi_state_flows
            WHERE release_id = $r AND cve_ent = $c AND code = 'total'
        )
        SELECT year, quarter, cumulative_musd
        FROM fdi_state_flows, last
        WHERE release_id = $r AND cve_ent = $c AND dimension = 'type' AND code = 'total'
          AND quarter = last.q
        ORDER BY year
        """,
        {"r": release_id, "c": cve_ent},
    )


def by_year(release_id: str, cve_ent: str = SLP, dimension: str = "type",
            codes: tuple[str, ...] = ("total",)) -> pd.DataFrame:  # fmt: skip
    """Per year and code: the value at the year's last quarter published (Q4: the whole year),
    that quarter, the state's total then, and whether SE masked it."""
    return query(
        """
        WITH rows AS (
            SELECT year, quarter, code, label, cumulative_musd, confidential
            FROM fdi_state_flows
            WHERE release_id = $r AND cve_ent = $c AND dimension = $d AND list_contains($codes, code)
        ),
        last AS (SELECT year, max(quarter) AS quarter FROM rows GROUP BY year),
        total AS (
            SELECT year, quarter, cumulative_musd AS total_musd FROM fdi_state_flows
            WHERE release_id = $r AND cve_ent = $c AND dimension = 'type' AND code = 'total'
        )
        SELECT rows.year, rows.quarter, code, label, cumulative_musd, confidential, total_musd
        FROM rows JOIN last USING (year, quarter) LEFT JOIN total USING (year, quarter)
        ORDER BY rows.year, code
        """,
        {"r": release_id, "c": cve_ent, "d": dimension, "codes": list(codes)},
    )


def origins(release_id: str, year: int, quarter: int, cve_ent: str = SLP) -> pd.DataFrame:
    """Origins of a state's IED over Jan..quarter of a year, largest first, with names and
    regions (SE's 'other origin' XX and any code that is not a country keep SE's label)."""
    return query(
        """
        SELECT f.code, f.label, f.cumulative_musd, f.confidential, c.name_es, c.name_en,
               coalesce(c.region, 'other') AS region
        FROM fdi_state_flows f LEFT JOIN countries c ON c.iso2 = f.code
        WHERE f.release_id = $r AND f.cve_ent = $c AND f.dimension = 'country'
          AND f.year = $y AND f.quarter = $q
          AND (f.cumulative_musd <> 0 OR f.confidential)
        ORDER BY f.cumulative_musd DESC NULLS LAST
        """,
        {"r": release_id, "c": cve_ent, "y": year, "q": quarter},
    )


def transport_equipment(release_id: str, cve_ent: str = SLP) -> pd.DataFrame:
    """SCIAN 336 and its ramas by year (value at the year's last quarter), with short names."""
    return query(
        """
        WITH rows AS (
            SELECT year, quarter, code, label, cumulative_musd, confidential
            FROM fdi_state_flows
            WHERE release_id = $r AND cve_ent = $c AND dimension = 'activity'
              AND (code = '336' OR parent_code = '336')
        ),
        last AS (SELECT year, max(quarter) AS quarter FROM rows GROUP BY year),
        total AS (
            SELECT year, quarter, cumulative_musd AS total_musd FROM fdi_state_flows
            WHERE release_id = $r AND cve_ent = $c AND dimension = 'type' AND code = 'total'
        )
        SELECT rows.year, rows.quarter, rows.code, rows.label, s.short_es, s.short_en,
               cumulative_musd, confidential, total_musd
        FROM rows JOIN last USING (year, quarter) LEFT JOIN total USING (year, quarter)
             LEFT JOIN scian_activities s ON s.code = rows.code
        ORDER BY rows.year, rows.code
        """,
        {"r": release_id, "c": cve_ent},
    )


def headline(release: Release, cve_ent: str = SLP) -> dict:
    """What officials quote from a release: the year to date and the same months a year before,
    the last whole year and the one before it, and the latest quarter's own flow."""
    frame = totals(release.release_id, cve_ent).set_index(["year", "quarter"])
    year, quarter = release.last_quarter
    value = frame["cumulative_musd"].get

    whole = [y for (y, q) in frame.index if q == 4]
    last_year = max(whole) if whole else None
    return {
        "year": year,
        "quarter": quarter,
        "ytd": value((year, quarter)),
        "ytd_before": value((year - 1, quarter)),
        "last_year": last_year,
        "last_year_value": value((last_year, 4)) if last_year else None,
        "year_before_value": value((last_year - 1, 4)) if last_year else None,
        "flow": frame["flow_musd"].get((year, quarter)),
    }


def origins_over_years(release_id: str, year_from: int, year_to: int,
                       cve_ent: str = SLP) -> pd.DataFrame:  # fmt: skip
    """IED by origin over whole years (each year at its last quarter published, so a year not yet
    complete counts to date): code, musd, and the last year's quarter."""
    return query(
        """
        WITH rows AS (
            SELECT year, quarter, code, cumulative_musd FROM fdi_state_flows
            WHERE release_id = $r AND cve_ent = $c AND dimension = 'country'
              AND year BETWEEN $y0 AND $y1
        ),
        last AS (SELECT year, max(quarter) AS quarter FROM rows GROUP BY year)
        SELECT code, sum(cumulative_musd) AS fdi_musd, count(*) AS years,
               max(rows.year * 10 + rows.quarter) AS last_period
        FROM rows JOIN last USING (year, quarter)
        GROUP BY code
        """,
        {"r": release_id, "c": cve_ent, "y0": year_from, "y1": year_to},
    )


# ---------------------------------------------------------------- the same period across releases


def revisions(year: int, quarter: int, cve_ent: str = SLP) -> pd.DataFrame:
    """The value of one period (Jan..quarter of a year) in every release that has it, oldest
    cut-off first: release_id, series, cut_off, source, cumulative_musd, derivation."""
    return query(
        """
        SELECT r.release_id, r.series, r.cut_off, r.source, r.file_name, f.cumulative_musd,
               f.derivation
        FROM fdi_state_flows f JOIN fdi_releases r USING (release_id)
        WHERE f.cve_ent = $c AND f.dimension = 'type' AND f.code = 'total'
          AND f.year = $y AND f.quarter = $q AND f.cumulative_musd IS NOT NULL
        ORDER BY r.cut_off, r.loaded_at
        """,
        {"c": cve_ent, "y": year, "q": quarter},
    )


def revision_periods(cve_ent: str = SLP) -> pd.DataFrame:
    """Periods (year, quarter) that at least two releases publish, newest first."""
    return query(
        """
        SELECT year, quarter, count(DISTINCT release_id) AS releases
        FROM fdi_state_flows
        WHERE cve_ent = $c AND dimension = 'type' AND code = 'total'
          AND cumulative_musd IS NOT NULL
        GROUP BY ALL HAVING count(DISTINCT release_id) >= 2
        ORDER BY year DESC, quarter DESC
        """,
        {"c": cve_ent},
    )


def vintage_years(cve_ent: str = SLP, first_year: int = 2006) -> pd.DataFrame:
    """Every release's whole-year (Jan-Dec) figures from first_year: one line per release."""
    return query(
        """
        SELECT r.release_id, r.series, r.cut_off, r.source, f.year, f.cumulative_musd
        FROM fdi_state_flows f JOIN fdi_releases r USING (release_id)
        WHERE f.cve_ent = $c AND f.dimension = 'type' AND f.code = 'total' AND f.quarter = 4
          AND f.year >= $y AND f.cumulative_musd IS NOT NULL
        ORDER BY r.cut_off, f.year
        """,
        {"c": cve_ent, "y": first_year},
    )


# ---------------------------------------------------------------- peer states


def states() -> pd.DataFrame:
    return query(
        "SELECT cve_ent, name, short_name, abbreviation, geometry, centroid_lon, centroid_lat "
        "FROM states ORDER BY cve_ent"
    )


def state_names() -> dict[str, str]:
    frame = query("SELECT cve_ent, short_name FROM states ORDER BY cve_ent")
    return dict(zip(frame["cve_ent"], frame["short_name"], strict=True))


def states_in_period(release_id: str, year: int, quarter: int) -> pd.DataFrame:
    """Every state in one period of a release: its total, the national total, its share of it,
    its rank among the 32 (1 = largest), and its SCIAN 336 value and share of its own total."""
    return query(
        """
        WITH t AS (
            SELECT cve_ent, cumulative_musd AS musd FROM fdi_state_flows
            WHERE release_id = $r AND year = $y AND quarter = $q
              AND dimension = 'type' AND code = 'total'
        ),
        national AS (SELECT musd AS national_musd FROM t WHERE cve_ent = '00'),
        transport AS (
            SELECT cve_ent, cumulative_musd AS musd_336, confidential AS confidential_336
            FROM fdi_state_flows
            WHERE release_id = $r AND year = $y AND quarter = $q
              AND dimension = 'activity' AND code = '336'
        )
        SELECT t.cve_ent, s.short_name, s.name, t.musd, national_musd,
               t.musd / national_musd AS share_national,
               rank() OVER (ORDER BY t.musd DESC) AS rank,
               musd_336, confidential_336, musd_336 / nullif(t.musd, 0) AS share_336
        FROM t JOIN states s USING (cve_ent) CROSS JOIN national
             LEFT JOIN transport USING (cve_ent)
        ORDER BY rank
        """,
        {"r": release_id, "y": year, "q": quarter},
    )


def states_by_year(release_id: str, cve_ents: tuple[str, ...]) -> pd.DataFrame:
    """The chosen states' value at each year's last quarter (Q4: whole year), with the rank among
    the 32 states and the share of the national total in that period."""
    return query(
        """
        WITH t AS (
            SELECT cve_ent, year, quarter, cumulative_musd AS musd FROM fdi_state_flows
            WHERE release_id = $r AND dimension = 'type' AND code = 'total'
        ),
        last AS (SELECT year, max(quarter) AS quarter FROM t GROUP BY year),
        ranked AS (
            SELECT t.*, rank() OVER (PARTITION BY year ORDER BY musd DESC) AS rank
            FROM t JOIN last USING (year, quarter) WHERE cve_ent <> '00'
        ),
        national AS (SELECT year, musd AS national_musd FROM t JOIN last USING (year, quarter)
                     WHERE cve_ent = '00')
        SELECT ranked.cve_ent, s.short_name, ranked.year, ranked.quarter, musd, rank,
               musd / national_musd AS share_national
        FROM ranked JOIN national USING (year) JOIN states s USING (cve_ent)
        WHERE list_contains($states, ranked.cve_ent)
        ORDER BY ranked.year, ranked.cve_ent
        """,
        {"r": release_id, "states": list(cve_ents)},
    )


# ---------------------------------------------------------------- exports, jobs, establishments


def latest_indicator(indicator: str) -> pd.Series | None:
    frame = query(
        """
        SELECT release_id, indicator, cut_off, file_name, loaded_at FROM indicator_releases
        WHERE indicator = $i ORDER BY cut_off DESC NULLS LAST, loaded_at DESC, release_id DESC
        LIMIT 1
        """,
        {"i": indicator},
    )
    return None if frame.empty else frame.iloc[0]


# INEGI's ESTATUS of a figure, as a reader says it.
REVISION_STATUS = {
    "Cifras Preliminares": ("preliminares", "preliminary"),
    "Cifras Revisadas": ("revisadas", "revised"),
    "Cifras Definitivas": ("definitivas", "final"),
}


def exports_by_quarter(release_id: str) -> pd.DataFrame:
    """SLP's exports per quarter in thousands of USD as published: the total (every subsector,
    the confidential ones summed in 000), transport equipment (336), its share, and the change on
    the same quarter a year before."""
    return query(
        """
        WITH q AS (
            SELECT year, quarter, sum(value_kusd) AS total_kusd,
                   sum(value_kusd) FILTER (WHERE scian_code = '336') AS kusd_336,
                   max(revision_status) AS revision_status
            FROM exports_quarterly WHERE release_id = $r GROUP BY year, quarter
        )
        SELECT q.*, kusd_336 / total_kusd AS share_336,
               total_kusd / lag(total_kusd) OVER w - 1 AS yoy,
               kusd_336 / lag(kusd_336) OVER w - 1 AS yoy_336
        FROM q WINDOW w AS (PARTITION BY quarter ORDER BY year)
        ORDER BY year, quarter
        """,
        {"r": release_id},
    )


def exports_by_year(release_id: str) -> pd.DataFrame:
    """Whole years only (four quarters): total and 336 in thousands of USD, the 336 share."""
    return query(
        """
        SELECT year, sum(value_kusd) AS total_kusd,
               sum(value_kusd) FILTER (WHERE scian_code = '336') AS kusd_336,
               kusd_336 / total_kusd AS share_336, count(DISTINCT quarter) AS quarters
        FROM exports_quarterly WHERE release_id = $r
        GROUP BY year HAVING count(DISTINCT quarter) = 4 ORDER BY year
        """,
        {"r": release_id},
    )


def exports_subsectors(release_id: str, year: int, quarter: int) -> pd.DataFrame:
    return query(
        """
        SELECT e.scian_code, s.short_es, s.short_en, e.value_kusd, e.figure_status
        FROM exports_quarterly e LEFT JOIN scian_activities s ON s.code = e.scian_code
        WHERE e.release_id = $r AND e.year = $y AND e.quarter = $q
        ORDER BY e.value_kusd DESC NULLS LAST
        """,
        {"r": release_id, "y": year, "q": quarter},
    )


def jobs_by_month(release_id: str) -> pd.DataFrame:
    """Formal jobs per month and the change on the same month a year before."""
    return query(
        """
        SELECT year, month, jobs,
               jobs - lag(jobs) OVER w AS yoy_jobs, jobs / lag(jobs) OVER w - 1 AS yoy
        FROM jobs_monthly WHERE release_id = $r
        WINDOW w AS (PARTITION BY month ORDER BY year)
        ORDER BY year, month
        """,
        {"r": release_id},
    )


def establishments(cvegeo: str) -> pd.DataFrame:
    """DENUE units by sector for a municipality (or '24', the state), with short names; sector
    '00' is the total."""
    return query(
        """
        SELECT e.sector, e.sector_name, s.short_es, s.short_en, units_2015, units_2019, births,
               deaths, balance
        FROM establishments e
        JOIN (SELECT release_id FROM indicator_releases WHERE indicator = 'establishments'
              ORDER BY loaded_at DESC LIMIT 1) USING (release_id)
        LEFT JOIN scian_activities s ON s.code = e.sector
        WHERE e.cvegeo = $g
        ORDER BY e.sector = '00' DESC, units_2019 DESC NULLS LAST
        """,
        {"g": cvegeo},
    )


def establishments_by_municipality() -> pd.DataFrame:
    """Each municipality's DENUE totals and its transport-equipment (336) units."""
    return query(
        """
        WITH e AS (
            SELECT * FROM establishments
            JOIN (SELECT release_id FROM indicator_releases WHERE indicator = 'establishments'
                  ORDER BY loaded_at DESC LIMIT 1) USING (release_id)
        )
        SELECT t.cvegeo, m.name, t.units_2015, t.units_2019, t.births, t.deaths, t.balance,
               x.units_2015 AS units_336_2015, x.units_2019 AS units_336_2019
        FROM e t JOIN municipalities m USING (cvegeo)
             LEFT JOIN e x ON x.cvegeo = t.cvegeo AND x.sector = '336'
        WHERE t.sector = '00'
        ORDER BY t.units_2019 DESC
        """
    )
