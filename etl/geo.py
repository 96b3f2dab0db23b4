"""Drawing geometry for the offline maps: SLP municipalities and world countries.

The dashboard draws maps as filled polygons on plain plotly x/y axes, with no tiles and no
plotly geo (which would fetch from a CDN). The warehouse therefore stores small GeoJSON text.
Areas are always measured on the full-resolution polygons. The simplified polygons are only
for drawing.
"""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.affinity import translate

# INEGI's Albers equal-area projection for Mexico, so that areas come out in m².
EQUAL_AREA_CRS = "+proj=aea +lat_0=12 +lon_0=-102 +lat_1=17.5 +lat_2=29.5 +datum=WGS84 +units=m"

# About 1.2 km at SLP's latitude. The state is about 4° (420 km) wide, so on a dashboard map
# about 700 px wide this is about 2 px and the change is hard to see. Measured on the shipped
# data, it takes the 58 municipalities from 55,084 to 2,572 vertices (57 KB of GeoJSON). At
# 0.010 they come to 66 KB, over the 60 KB budget. At 0.015 the small Huasteca municipalities
# start to lose their shape.
SIMPLIFY_TOLERANCE_DEG = 0.012

# 5 decimals is about 1 m: far finer than the tolerance, and it makes the text much shorter.
MUNICIPAL_DECIMALS = 5
# The world map only shows countries of origin, so 0.01° (about 1 km) is more than enough.
WORLD_DECIMALS = 2

CENSUS_COLUMNS = {
    "pobtot": "population_2020",
    "pea": "economically_active_2020",
    "pocupada": "employed_2020",
    "tothog": "households_2020",
}


def municipalities_frame(geojson_path, catalog_path, census_path) -> pd.DataFrame:
    """One row per SLP municipality: keys, names, census 2020 figures, area and map geometry."""
    raw = gpd.read_file(geojson_path).sort_values("CVEGEO", ignore_index=True)
    catalog = pd.read_csv(catalog_path, dtype=str)
    census = pd.read_csv(census_path, dtype=str)
    census = census[census["nivel"] == "municipio"]

    keys = raw["CVEGEO"]
    # The geometry is the reference; checked against itself, only duplicates can show up.
    _check_keys(keys, keys, geojson_path, geojson_path)
    _check_keys(catalog["CVEGEO"], keys, catalog_path, geojson_path)
    _check_keys(census["cvegeo"], keys, census_path, geojson_path)

    simplified = simplify_coverage(raw.geometry.values)
    frame = pd.DataFrame(
        {
            "cvegeo": keys.values,
            "cve_mun": raw["CVE_MUN"].values,
            "name": raw["NOMGEO"].values,
            "name_census": keys.map(catalog.set_index("CVEGEO")["NOM_MUN_ABREV_CENSO2020"]).values,
        }
    )
    census = census.set_index("cvegeo")
    for source, column in CENSUS_COLUMNS.items():
        # "NA" cells (confidential in the census) become <NA> instead of breaking the column.
        frame[column] = pd.to_numeric(keys.map(census[source])).astype("Int64").values
    frame["area_km2"] = raw.to_crs(EQUAL_AREA_CRS).area.values / 1e6
    frame["geometry"] = [shapely.to_geojson(polygon) for polygon in simplified]
    label_points = [_label_point(polygon) for polygon in simplified]
    frame["centroid_lon"] = [point.x for point in label_points]
    frame["centroid_lat"] = [point.y for point in label_points]
    frame["vertices_raw"] = shapely.get_num_coordinates(raw.geometry.values).astype("int64")
    frame["vertices_simplified"] = shapely.get_num_coordinates(simplified).astype("int64")
    return frame


def simplify_coverage(geometries, tolerance: float = SIMPLIFY_TOLERANCE_DEG) -> np.ndarray:
    """Simplify polygons that tile an area so that neighbours keep sharing their borders.

    Simplifying each polygon on its own would move each side of a shared border differently
    and leave slivers and overlaps. coverage_simplify works on the whole set at once, so each
    shared edge is simplified once and used by both neighbours.
    """
    simplified = shapely.coverage_simplify(geometries, tolerance)
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, MUNICIPAL_DECIMALS))
    # Rounding moves a shared vertex the same way on both sides, so borders stay shared. It
    # could still fold a very thin spike. The shipped data stay valid at 5 decimals, so this
    # only guards against a future boundary release.
    if not (shapely.coverage_is_valid(rounded) and shapely.is_valid(rounded).all()):
        raise ValueError(
            f"rounding the simplified polygons to {MUNICIPAL_DECIMALS} decimals broke the "
            "coverage; use more decimals"
        )
    return rounded


def coverage_report(frame: pd.DataFrame, raw: gpd.GeoDataFrame | None = None) -> dict:
    """Measure what the simplification cost, in vertices and in km².

    overlap_km2: area covered by two simplified neighbours at once.
    gap_km2: holes inside the union of the simplified polygons, i.e. slivers between
    neighbours. (The full-resolution SLP outline has no holes, so every hole is a sliver.)
    With `raw` (the full-resolution GeoDataFrame), also report how far the simplified state
    border moved: outline_lost_km2 is the full-resolution outline minus the simplified union,
    and outline_gained_km2 is the reverse. These are not gaps between neighbours. The state's
    outer border is simplified too, which is where most of the vertices are saved.
    """
    simplified = gpd.GeoSeries(shapely.from_geojson(frame["geometry"]), crs="EPSG:4326")
    simplified = simplified.to_crs(EQUAL_AREA_CRS)
    union = simplified.union_all()
    area_sum = simplified.area.sum() / 1e6
    report = {
        "vertices_raw": int(frame["vertices_raw"].sum()),
        "vertices_simplified": int(frame["vertices_simplified"].sum()),
        "geometry_kb": frame["geometry"].str.len().sum() / 1000,
        "area_raw_km2": frame["area_km2"].sum(),
        "area_simplified_km2": area_sum,
        "union_simplified_km2": union.area / 1e6,
        "overlap_km2": area_sum - union.area / 1e6,
        "gap_km2": _hole_area(union) / 1e6,
    }
    if raw is not None:
        outline = raw.to_crs(EQUAL_AREA_CRS).union_all()
        report["outline_lost_km2"] = outline.difference(union).area / 1e6
        report["outline_gained_km2"] = union.difference(outline).area / 1e6
    return report


def world_frame(geojson_path) -> pd.DataFrame:
    """One row per country with an ISO alpha-2 code, without Antarctica: iso2 and geometry."""
    world = gpd.read_file(geojson_path)
    # Antarctica would take up a large part of an origins map, and it never invests.
    world = world[world["iso2"].notna() & (world["iso2"] != "AQ")]
    geometries = [_split_at_antimeridian(geometry) for geometry in world.geometry]
    rounded = shapely.transform(geometries, lambda xy: np.round(xy, WORLD_DECIMALS))
    return pd.DataFrame(
        {
            "iso2": world["iso2"].values,
            "geometry": [shapely.to_geojson(geometry) for geometry in rounded],
        }
    )


def _check_keys(found: pd.Series, expected: pd.Series, path, reference_path) -> None:
    """Raise if a file's cvegeo keys are duplicated or differ from the geometry's keys."""
    name, reference = Path(path).name, Path(reference_path).name
    duplicated = sorted(found[found.duplicated()])
    if duplicated:
        raise ValueError(f"{name}: duplicated cvegeo {duplicated}")
    missing = sorted(set(expected) - set(found))
    if missing:
        raise ValueError(f"{name} lacks cvegeo {missing} that {reference} has")
    extra = sorted(set(found) - set(expected))
    if extra:
        raise ValueError(f"{name} has cvegeo {extra} that {reference} lacks")


def _label_point(polygon):
    """The centroid if it lies inside the polygon, or else a point that surely does.

    Labels and markers are placed here. The centroid of a crescent-shaped municipality can
    fall in the neighbour, which would put the label on the wrong polygon.
    """
    centroid = polygon.centroid
    return centroid if polygon.contains(centroid) else polygon.point_on_surface()


def _hole_area(geometry) -> float:
    """Area enclosed by the polygon(s) but not covered by them."""
    parts = shapely.get_parts(geometry)
    filled = shapely.union_all([shapely.Polygon(part.exterior) for part in parts])
    return filled.difference(geometry).area


def _split_at_antimeridian(geometry):
    """Cut polygons that cross the 180° meridian into an eastern and a western piece.

    Natural Earth draws Fiji and eastern Russia as rings that jump from +180 to -180. On
    plain x/y axes that jump would be drawn as a stripe across the whole map.
    """
    pieces = []
    for part in shapely.get_parts(geometry):
        longitudes = shapely.get_coordinates(part)[:, 0]
        if longitudes.max() - longitudes.min() <= 180:
            pieces.append(part)
            continue
        # Move the western side past +180 so the ring is continuous, then cut it at 180.
        joined = shapely.make_valid(shapely.transform(part, _shift_west_longitudes))
        east = joined.intersection(shapely.box(-180, -90, 180, 90))
        west = translate(joined.intersection(shapely.box(180, -90, 540, 90)), xoff=-360)
        pieces += [p for p in shapely.get_parts([east, west]) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(pieces) if len(pieces) > 1 else pieces[0]


def _shift_west_longitudes(xy: np.ndarray) -> np.ndarray:
    shifted = xy.copy()
    shifted[shifted[:, 0] < 0, 0] += 360
    return shifted
