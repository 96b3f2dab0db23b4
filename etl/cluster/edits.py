"""Edits of the cluster's reference data on the data desk: company aliases (journal kind
`company_aliases`) and park coordinates (kind `park_coordinates`). Each form entry is a one-row CSV
kept in the journal; applied through the change log, so every alias and coordinate keeps its
history (who, when, old value, new value, source).

An alias row names a company as written (in any announcement), the company it belongs to, the
reason and the source; a row without a company withdraws the alias. A coordinates row names a park
(forgivingly), its latitude and longitude (or both in one cell, as a map copies them: "22.05,
-100.93") and the source; the point must fall within the park's municipality (or the state).
"""

import re
from datetime import date, datetime

import duckdb
import pandas as pd
import shapely

from etl import changes
from etl.cluster import companies
from etl.cluster.parks import ParkMatcher
from etl.cluster.sheet_intake import Field, PartKind, SheetFile, text
from etl.cluster.store import Edit, Plan, apply_edits, insert, same
from etl.parse import CellError, is_blank
from etl.sheets import Headers

ALIASES, COORDINATES = "company_aliases", "park_coordinates"
BORDER_TOLERANCE_DEG = 0.01  # about 1 km: the stored municipal borders are simplified
SOURCE = ("fuente", "source", "url", "documento", "source url")


def alias_kinds() -> list[PartKind]:
    return [
        PartKind(
            "aliases",
            ("alias de empresas", "company aliases"),
            Headers(
                aliases={
                    "alias": ("alias", "nombre como aparece", "empresa como aparece", "written as"),
                    "company": ("empresa", "compania", "nombre canonico", "company"),
                    "reason": ("motivo", "razon", "justificacion", "reason"),
                    "source_url": SOURCE,
                },
                labels={
                    "alias": ("el alias", "alias"),
                    "company": ("la empresa", "company"),
                    "reason": ("el motivo", "reason"),
                    "source_url": ("la fuente", "source"),
                },
                required="alias",
            ),
            {
                "alias": Field(text(200, ("alias", "alias")), required=True),
                "company": Field(text(200, ("empresa", "company"))),
                "reason": Field(text(1000, ("motivo", "reason")), required=True),
                "source_url": Field(text(2000, ("fuente", "source")), required=True),
            },
            key_header="Alias",
        )
    ]


def review_aliases(con: duckdb.DuckDBPyConnection, file: SheetFile, recorded_on: date) -> Plan:
    plan = Plan(file)
    part = file.part("aliases")
    rows = part.rows
    keys = con.execute(
        f"SELECT {companies.key_sql('alias')} AS k FROM (SELECT unnest($a::VARCHAR[]) AS alias)",  # noqa: S608
        {"a": rows["alias"].tolist()},
    ).fetchall()
    stored = {
        key: (company, reason, source)
        for key, company, reason, source in con.execute(
            "SELECT alias_key, company, reason, source_url FROM company_aliases"
        ).fetchall()
    }
    seen: dict[str, int] = {}
    for row, (key,) in zip(list(rows.itertuples(index=False)), keys, strict=True):
        if key in seen:
            part.reject(row.source_row, "alias", row.alias,
                        f"Repite el alias de la fila {seen[key]}.",
                        f"Repeats the alias of row {seen[key]}.")  # fmt: skip
            continue
        seen[key] = row.source_row
        if key not in stored:
            if row.company is None:
                part.reject(row.source_row, "company", None,
                            "Falta la empresa: sin ella la fila retira un alias, y este no existe.",
                            "The company is missing: without it the row withdraws an alias, and "
                            "this one does not exist.")  # fmt: skip
                continue
            plan.add("company_aliases", {"alias_key": key, "alias": row.alias,
                                         "company": row.company, "reason": row.reason,
                                         "source_url": row.source_url,
                                         "source_row": row.source_row})  # fmt: skip
            plan.count("aliases_new")
            continue
        old = dict(zip(("company", "reason", "source_url"), stored[key], strict=True))
        edits = [
            Edit(
                "company_aliases",
                "alias_key",
                key,
                name,
                getattr(row, name),
                row.source_row,
                source=row.source_url,
                note=row.reason,
            )
            for name in ("company", "reason", "source_url")
            if not same(old[name], getattr(row, name))
        ]
        plan.edits += edits
        plan.count("aliases_updated" if edits else "aliases_unchanged")
    return plan


# ---------------------------------------------------------------- park coordinates


def _degrees(low: float, high: float, what: tuple[str, str]):
    def parse_degrees(cell) -> float | None:
        if is_blank(cell):
            return None
        try:
            value = float(str(cell).strip().replace("°", ""))
        except ValueError:
            raise CellError(
                f"«{cell}» no es una {what[0]} en grados decimales (p. ej. 22.1565).",
                f"'{cell}' is not a {what[1]} in decimal degrees (e.g. 22.1565).",
            ) from None
        if not low <= value <= high:
            raise CellError(
                f"La {what[0]} {value} está fuera de San Luis Potosí ({low} a {high}).",
                f"Latitude/longitude {value} is outside San Luis Potosí ({low} to {high}).",
            )
        return value

    return parse_degrees


def parse_pair(cell) -> tuple[float, float] | None:
    """'22.1565, -100.9855' as a map copies it: (lat, lon)."""
    if is_blank(cell):
        return None
    numbers = re.findall(r"-?\d+(?:\.\d+)?", str(cell))
    if len(numbers) != 2:
        raise CellError(
            f"«{cell}» no son coordenadas: escriba latitud y longitud, p. ej. 22.1565, -100.9855.",
            f"'{cell}' are not coordinates: write latitude and longitude, e.g. 22.1565, -100.9855.",
        )
    return _latitude(numbers[0]), _longitude(numbers[1])


# The state's extent with a margin (INEGI's frame spans 21.16–24.49 N, 98.33–102.30 W).
_latitude = _degrees(21.0, 24.7, ("latitud", "latitude"))
_longitude = _degrees(-102.5, -98.1, ("longitud", "longitude"))


def coordinate_kinds() -> list[PartKind]:
    return [
        PartKind(
            "coordinates",
            ("coordenadas de parques", "park coordinates"),
            Headers(
                aliases={
                    "park": ("parque", "parque industrial", "park", "industrial park"),
                    "lat": ("latitud", "lat", "latitude"),
                    "lon": ("longitud", "lon", "lng", "longitude"),
                    "pair": ("coordenadas", "ubicacion", "coordinates", "location"),
                    "source_url": SOURCE,
                },
                labels={
                    "park": ("el parque", "park"),
                    "lat": ("la latitud", "latitude"),
                    "lon": ("la longitud", "longitude"),
                    "pair": ("las coordenadas", "coordinates"),
                    "source_url": ("la fuente", "source"),
                },
                required="park",
            ),
            {
                "park": Field(text(300, ("parque", "park")), required=True),
                "lat": Field(_latitude),
                "lon": Field(_longitude),
                "pair": Field(parse_pair),
                "source_url": Field(text(2000, ("fuente", "source")), required=True),
            },
            key_header="Parque",
        )
    ]


def review_coordinates(con: duckdb.DuckDBPyConnection, file: SheetFile, recorded_on: date) -> Plan:
    plan = Plan(file)
    part = file.part("coordinates")
    parks = con.execute("SELECT park_id, name, cvegeo, lat, lon FROM parks").df()
    matcher, names = ParkMatcher(parks), dict(zip(parks["park_id"], parks["name"], strict=True))
    areas = {
        cvegeo: shapely.from_geojson(geometry).buffer(BORDER_TOLERANCE_DEG)
        for cvegeo, geometry in con.execute(
            "SELECT cvegeo, geometry FROM municipalities"
        ).fetchall()
    }
    state = shapely.union_all(list(areas.values()))
    seen: dict[str, int] = {}
    for row in list(part.rows.itertuples(index=False)):
        lat, lon = row.pair if row.pair else (row.lat, row.lon)
        if lat is None or lon is None:
            part.reject(row.source_row, "lat", None,
                        "Faltan la latitud y la longitud (o la columna «Coordenadas»).",
                        "The latitude and longitude (or the 'Coordinates' column) are missing.")  # fmt: skip
            continue
        found = matcher.match(row.park)
        if found.park_id is None:
            listed = "; ".join(names[c] for c in found.candidates) or "; ".join(names.values())
            part.reject(row.source_row, "park", row.park,
                        f"No se sabe con certeza a qué parque se refiere. Parques: {listed}.",
                        f"Which park this is cannot be told for sure. Parks: {listed}.")  # fmt: skip
            continue
        park = parks.set_index("park_id").loc[found.park_id]
        area = areas.get(park["cvegeo"], state) if isinstance(park["cvegeo"], str) else state
        if not area.contains(shapely.Point(lon, lat)):
            where_es = "su municipio" if area is not state else "San Luis Potosí"
            where_en = "its municipality" if area is not state else "San Luis Potosí"
            part.reject(row.source_row, "lat", f"{lat}, {lon}",
                        f"El punto ({lat}, {lon}) cae fuera de {where_es}. ¿Invirtió latitud y "
                        "longitud?",
                        f"The point ({lat}, {lon}) falls outside {where_en}. Were latitude and "
                        "longitude swapped?")  # fmt: skip
            continue
        if found.park_id in seen:
            part.reject(row.source_row, "park", row.park,
                        f"Repite el parque de la fila {seen[found.park_id]}.",
                        f"Repeats the park of row {seen[found.park_id]}.")  # fmt: skip
            continue
        seen[found.park_id] = row.source_row
        edits = [
            Edit("parks", "park_id", found.park_id, name, value, row.source_row,
                 (("coordinates_source", row.source_url),), source=row.source_url)
            for name, value in (("lat", lat), ("lon", lon))
            if not same(park[name], value)
        ]  # fmt: skip
        plan.edits += edits
        plan.count("coordinates_updated" if edits else "coordinates_unchanged")
    return plan


def apply(con: duckdb.DuckDBPyConnection, plan: Plan, load_id: int, by: str, at: datetime) -> None:
    """Write a reviewed plan; a new alias is logged too (from no company to its company)."""
    new = plan.new.get("company_aliases", [])
    if new:
        insert(con, "company_aliases", pd.DataFrame(new).drop(columns="source_row")
               .assign(load_id=load_id))  # fmt: skip
    for alias in new:
        change = changes.Change(
            entity="company_aliases", entity_id=alias["alias_key"], field="company",
            old_value=None, new_value=alias["company"], source_url=alias["source_url"],
            changed_by=by, changed_at=at, load_id=load_id, note=alias["reason"],
            source_row=alias["source_row"],
        )  # fmt: skip
        changes.log(con, change, None)
    apply_edits(con, plan, load_id, by, at)
