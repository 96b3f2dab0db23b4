"""Seeded generator of SYNTHETIC announcements files for benchmarks.

Real municipalities, countries, sectors and vocabularies (so the intake's matching is exercised);
synthetic companies ("Empresa Sintética NNNNN"), amounts, jobs, dates and example.org URLs. Every
row says SYNTHETIC in its notes. Never load these files into the product's warehouse.

    python benchmarks/generate.py --rows 1000 --format csv --out benchmarks/out/a_1k.csv
"""

import argparse
import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
from etl import parse  # noqa: E402
from etl.warehouse import DEFAULT_RAW  # noqa: E402

HEADER = [
    "Empresa", "Grupo", "País de origen", "Sector", "Tier", "Tipo de evento", "Municipio",
    "Parque industrial", "Fecha", "Monto", "Moneda", "Empleos", "Estatus", "Fuente", "Notas",
]  # fmt: skip
# Origins weighted roughly like the real table (JP, US, DE, CN lead), written in several ways.
ORIGINS = ["Japón", "JP", "Estados Unidos", "US", "Alemania", "DE", "China", "CN", "Corea del Sur",
           "Francia", "España", "Canadá", "Suiza", "India", "Taiwán", "México"]  # fmt: skip
ORIGIN_WEIGHTS = [14, 11, 12, 12, 8, 7, 8, 6, 3, 4, 3, 3, 2, 2, 2, 3]
CURRENCIES = ["USD", "USD", "USD", "MXN", "EUR", "JPY", "CNY"]


def synthetic_frame(rows: int, seed: int = 20261122) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    catalog = pd.read_csv(DEFAULT_RAW / "geo" / "slp_municipios_catalogo.csv", dtype=str)
    municipalities = np.array(catalog["NOMGEO"].tolist() + ["Villa de Pozos", "SLP"])
    weights = np.ones(len(municipalities))
    weights[municipalities == "Villa de Reyes"] = 40
    weights[municipalities == "San Luis Potosí"] = 25
    weights[municipalities == "Villa de Pozos"] = 20
    companies = rng.integers(1, max(rows // 4, 2), rows)
    years = rng.integers(2012, 2026, rows)
    months = rng.integers(1, 13, rows)
    days = rng.integers(1, 29, rows)
    precision = rng.choice(["day", "month", "year"], rows, p=[0.5, 0.3, 0.2])
    dates = np.where(
        precision == "day",
        [f"{y}-{m:02d}-{d:02d}" for y, m, d in zip(years, months, days, strict=True)],
        np.where(precision == "month", [f"{y}-{m:02d}" for y, m in zip(years, months, strict=True)],
                 years.astype(str)),
    )  # fmt: skip
    amounts_musd = np.round(np.exp(rng.normal(3.3, 1.2, rows)), 1)
    currency = rng.choice(CURRENCIES, rows)
    return pd.DataFrame(
        {
            "Empresa": [f"Empresa Sintética {c:05d}" for c in companies],
            "Grupo": "",
            "País de origen": rng.choice(
                ORIGINS, rows, p=np.array(ORIGIN_WEIGHTS) / sum(ORIGIN_WEIGHTS)
            ),
            "Sector": rng.choice(list(parse.SECTORS.codes), rows),
            "Tier": rng.choice(["OEM", "Tier 1", "Tier 2", "Tier 3", "unknown"], rows),
            "Tipo de evento": rng.choice(["nueva planta", "expansión", "new_line"], rows),
            "Municipio": rng.choice(municipalities, rows, p=weights / weights.sum()),
            "Parque industrial": "",
            "Fecha": dates,
            # Full currency units, the shipped table's convention (a bare number, bare header).
            "Monto": (amounts_musd * 1e6).astype("int64"),
            "Moneda": currency,
            "Empleos": rng.integers(20, 3000, rows),
            "Estatus": rng.choice(["anunciado", "en construcción", "en operación"], rows),
            "Fuente": [f"https://example.org/synthetic/{i}" for i in range(rows)],
            "Notas": "SYNTHETIC BENCHMARK ROW",
        },
        columns=HEADER,
    )


def write(frame: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        # openpyxl (a requirement) rather than whichever writer is installed: the same file everywhere.
        frame.to_excel(path, index=False, sheet_name="Anuncios", engine="openpyxl")
    else:
        frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    write(synthetic_frame(args.rows, args.seed), args.out)
    print(args.out)


if __name__ == "__main__":
    main()
