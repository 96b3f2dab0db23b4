import csv
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from etl import geo

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
GEOJSON = RAW / "geo" / "slp_municipios.geojson"
CATALOG = RAW / "geo" / "slp_municipios_catalogo.csv"
CENSUS = RAW / "municipal" / "slp_municipios_censo2020.csv"
WORLD = RAW / "geo" / "world_countries_110m.geojson"


@pytest.fixture(scope="module")
def frame():
    return geo.municipalities_frame(GEOJSON, CATALOG, CENSUS)


@pytest.fixture(scope="module")
def report(frame):
    return geo.coverage_report(frame, gpd.read_file(GEOJSON))


def test_one_row_per_municipality_with_string_keys(frame):
    assert len(frame) == 58
    assert list(frame["cvegeo"]) == [f"24{n:03d}" for n in range(1, 59)]
    assert (frame["cve_mun"] == frame["cvegeo"].str[2:]).all()
    first = frame.iloc[0]
    assert (first["name"], first["name_census"]) == ("Ahualulco del Sonido 13", "Ahualulco")


def test_population_matches_the_census_file(frame):
    with open(CENSUS, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    expected = sum(int(row["pobtot"]) for row in rows if row["nivel"] == "municipio")
    state_total = next(int(row["pobtot"]) for row in rows if row["nivel"] == "entidad")
    assert expected == state_total == 2_822_255
    assert frame["population_2020"].sum() == expected
    for column in geo.CENSUS_COLUMNS.values():
        assert str(frame[column].dtype) == "Int64"


def test_area_comes_from_the_full_resolution_polygons(frame):
    # SOURCES.md: 61,138.0 km² in an equal-area projection (INEGI official: 61,137.95).
    assert frame["area_km2"].sum() == pytest.approx(61_138.0, abs=0.1)


def test_simplified_polygons_are_valid_and_small(frame, report):
    polygons = shapely.from_geojson(frame["geometry"])
    assert shapely.is_valid(polygons).all()
    assert set(shapely.get_type_id(polygons)) == {shapely.GeometryType.POLYGON}
    assert shapely.coverage_is_valid(polygons)
    assert report["vertices_raw"] == 55_084
    assert report["vertices_simplified"] < report["vertices_raw"] / 5
    assert report["geometry_kb"] < 60


def test_simplification_leaves_no_overlap_and_no_gap(frame, report):
    # Neighbours share exactly the same edges, so both figures are zero up to float noise.
    assert abs(report["overlap_km2"]) < 1e-6
    assert report["gap_km2"] < 1e-6
    # The state border is simplified too. Measured at 0.012°: 113 km² lost and 100 km² gained
    # against 61,138 km², and at most 3.3% change for any one municipality.
    assert report["outline_lost_km2"] < 0.002 * report["area_raw_km2"]
    assert report["outline_gained_km2"] < 0.002 * report["area_raw_km2"]
    simplified = gpd.GeoSeries(shapely.from_geojson(frame["geometry"]), crs="EPSG:4326")
    simplified_km2 = simplified.to_crs(geo.EQUAL_AREA_CRS).area.to_numpy() / 1e6
    assert np.abs(simplified_km2 / frame["area_km2"].to_numpy() - 1).max() < 0.04


def test_label_point_lies_inside_its_own_polygon(frame):
    polygons = shapely.from_geojson(frame["geometry"])
    points = shapely.points(frame["centroid_lon"], frame["centroid_lat"])
    assert shapely.contains(polygons, points).all()


def _zigzag(x, steps=20, amplitude=0.002):
    """A vertical edge from y=0 to y=0.1 that wiggles by less than the tolerance."""
    return [(x + amplitude * (i % 2), 0.1 * i / steps) for i in range(steps + 1)]


def test_shared_edge_stays_shared_after_simplification():
    edge = _zigzag(0.1)
    left = shapely.Polygon([(0, 0), *edge, (0, 0.1)])
    right = shapely.Polygon([*edge[::-1], (0.2, 0), (0.2, 0.1)])
    apart = shapely.box(0.5, 0, 0.6, 0.1)
    new_left, new_right, new_apart = geo.simplify_coverage([left, right, apart])

    # The zigzag was simplified away, so the test exercises a changed edge.
    assert shapely.get_num_coordinates(new_left) < shapely.get_num_coordinates(left)
    assert new_left.intersection(new_right).area == 0
    assert new_left.intersection(new_right).length == pytest.approx(0.1, rel=0.05)
    union = new_left.union(new_right)
    assert union.geom_type == "Polygon" and not union.interiors
    assert union.area == pytest.approx(new_left.area + new_right.area, abs=1e-15)
    assert new_apart.equals(apart)


def test_census_missing_a_municipality_is_reported_with_its_file(tmp_path):
    census = tmp_path / "slp_municipios_censo2020.csv"
    lines = CENSUS.read_text(encoding="utf-8").splitlines(keepends=True)
    census.write_text("".join(line for line in lines if not line.startswith("24058,")))
    with pytest.raises(ValueError, match=r"slp_municipios_censo2020\.csv lacks .*24058"):
        geo.municipalities_frame(GEOJSON, CATALOG, census)


def test_catalog_with_an_unknown_municipality_is_reported_with_its_file(tmp_path):
    catalog = tmp_path / "catalogo_extra.csv"
    shutil.copy(CATALOG, catalog)
    with open(catalog, "a", encoding="utf-8") as file:
        file.write("24059,24,059,Villa de Pozos,San Luis Potosí,0001,Villa de Pozos\n")
    with pytest.raises(ValueError, match=r"catalogo_extra\.csv has .*24059"):
        geo.municipalities_frame(GEOJSON, catalog, CENSUS)


def test_world_frame_keeps_countries_with_iso2_except_antarctica():
    world = geo.world_frame(WORLD)
    # 177 features, 3 without an ISO code, and Antarctica dropped.
    assert len(world) == 173
    assert world["iso2"].is_unique
    assert {"CN", "JP", "DE", "US", "MX"} <= set(world["iso2"])
    assert "AQ" not in set(world["iso2"])
    geometries = shapely.from_geojson(world["geometry"])
    assert not shapely.is_empty(geometries).any()
    # Fiji and Russia were cut at 180°, so no ring stretches across the whole map.
    for part in shapely.get_parts(geometries):
        assert np.ptp(shapely.get_coordinates(part)[:, 0]) < 180
    coordinates = shapely.get_coordinates(geometries)
    assert np.array_equal(coordinates, np.round(coordinates, 2))
