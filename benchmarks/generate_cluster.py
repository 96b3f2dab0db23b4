"""Seeded generator of SYNTHETIC supplier rosters and committee action plans, for tests and
benchmarks only. Real municipalities and vocabularies (so the intake's matching is exercised);
suppliers named "Proveedor Sintético NNNN", RFCs of the right shape built from a synthetic prefix
(SIN), e-mails on example.org, phones 444 000 NNNN, evidence on example.org, and "SINTÉTICO" in
every note. Never load these files into the product's warehouse.

    python benchmarks/generate_cluster.py --suppliers 40 --out benchmarks/out/padron.xlsx
    python benchmarks/generate_cluster.py --actions 30 --out benchmarks/out/acuerdos.xlsx
"""

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
from etl.cluster import vocabulary as v  # noqa: E402
from etl.warehouse import DEFAULT_RAW  # noqa: E402

SEED = 20261203
MUNICIPALITIES = ["San Luis Potosí", "Soledad de Graciano Sánchez", "Villa de Reyes", "Matehuala",
                  "Villa de Pozos", "Cerritos", "Rioverde", "Ciudad Valles"]  # fmt: skip
MUNICIPALITY_WEIGHTS = [40, 20, 15, 8, 8, 3, 3, 3]
AREA_STEPS = {
    "calidad": ["diagnostico", "plan_accion", "implementacion", "auditoria"],
    "certificaciones": ["iso_9001", "iatf_16949", "iso_14001"],
    "legal": ["revision_legal"],
    "fiscal": ["constancia_fiscal", "opinion_cumplimiento"],
    "financiamiento": ["credito_solicitado", "credito_aprobado"],
    "capacitacion": ["curso"],
}


def _label(vocab, code: str) -> str:
    return vocab.codes[code][0]


def synthetic_rfc(number: int) -> str:
    """A synthetic company RFC: SIN + a real date + a homoclave built from the number."""
    digits = f"{number:03d}"[-3:]
    day = date(2000 + (number % 20), 1 + number % 12, 1 + number % 28)
    return f"SIN{day:%y%m%d}{chr(65 + number % 26)}{digits[-2]}{digits[-1]}"


def roster(suppliers: int, today: date, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(suppliers sheet, milestones sheet) with the template's Spanish headers."""
    rng = np.random.default_rng(seed)
    processes = v.processes_frame(DEFAULT_RAW)
    weights = np.array(MUNICIPALITY_WEIGHTS) / sum(MUNICIPALITY_WEIGHTS)
    rows, milestones = [], []
    start = today - timedelta(days=3 * 365)
    for n in range(1, suppliers + 1):
        enrolled = start + timedelta(days=int(rng.integers(0, 3 * 365 - 120)))
        picked = rng.choice(len(processes), size=int(rng.integers(1, 4)), replace=False)
        done = []
        for area, steps in AREA_STEPS.items():
            reached = int(rng.integers(0, len(steps) + 1))
            day = enrolled
            for step in steps[:reached]:
                day = day + timedelta(days=int(rng.integers(10, 90)))
                if day >= today:
                    break
                done.append((area, step, day))
        sealed = None
        if len({a for a, _, _ in done}) >= 4 and rng.random() < 0.6:
            last = max(d for _, _, d in done) + timedelta(days=int(rng.integers(5, 60)))
            sealed = last if last < today else None
        rows.append(
            {
                "Proveedor": f"Proveedor Sintético {n:04d}, S.A. de C.V.",
                "RFC": synthetic_rfc(n),
                "Municipio": rng.choice(MUNICIPALITIES, p=weights),
                "Tamaño": _label(v.SIZES, rng.choice(["micro", "pequena", "mediana", "grande"],
                                                     p=[0.3, 0.4, 0.25, 0.05])),
                "Procesos": "; ".join(processes["name_es"].iloc[picked]),
                "Clientes": f"Cliente Sintético {int(rng.integers(1, 30)):02d}",
                "Contacto": f"Contacto Sintético {n:04d}",
                "Correo": f"proveedor{n:04d}@example.org",
                "Teléfono": f"444 000 {n:04d}",
                "Fecha de inscripción": enrolled,
                "Fecha del distintivo": sealed,
                "Estatus": "Activo" if rng.random() > 0.05 else "Baja",
                "Notas": "SINTÉTICO: generado para pruebas",
            }
        )  # fmt: skip
        for area, step, day in done:
            milestones.append(
                {
                    "Proveedor": rows[-1]["Proveedor"],
                    "RFC": "",
                    "Área": _label(v.AREAS, area),
                    "Paso": _label(v.STEPS, step),
                    "Fecha": day,
                    "Evidencia": f"https://example.org/synthetic/evidencia/{n:04d}/{step}",
                }
            )
    return pd.DataFrame(rows), pd.DataFrame(milestones)


def action_plan(actions: int, today: date, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(actions sheet, progress notes sheet) with the template's Spanish headers."""
    rng = np.random.default_rng(seed + 1)
    committees = [es for es, _ in v.COMMITTEES.codes.values()]
    statuses = {"pending": 0.3, "in_progress": 0.35, "done": 0.25, "blocked": 0.1}
    scopes = ["Todo el estado", "Villa de Reyes", "Matehuala", "Soledad de Graciano Sánchez",
              "San Luis Potosí"]  # fmt: skip
    rows, notes = [], []
    for n in range(1, actions + 1):
        status = rng.choice(list(statuses), p=list(statuses.values()))
        due = today + timedelta(days=int(rng.integers(-120, 120)))
        done_on = today - timedelta(days=int(rng.integers(1, 90))) if status == "done" else None
        description = f"Acuerdo sintético {n:03d}: seguimiento de prueba"
        rows.append(
            {
                "Clave": "",
                "Comité": rng.choice(committees),
                "Municipio": rng.choice(scopes),
                "Acción": description,
                "Responsable": f"Responsable Sintético {int(rng.integers(1, 9))}",
                "Fecha compromiso": due,
                "Estatus": _label(v.ACTION_STATUSES, status),
                "Fecha de cumplimiento": done_on,
            }
        )
        for k in range(int(rng.integers(0, 3))):
            notes.append(
                {
                    "Clave": "",
                    "Acción": description,
                    "Fecha": today - timedelta(days=int(rng.integers(1, 120)) + k),
                    "Avance": f"SINTÉTICO: avance {k + 1} del acuerdo {n:03d}",
                }
            )
    return pd.DataFrame(rows), pd.DataFrame(notes)


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=0)
    parser.add_argument("--actions", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    today = date.today()
    if args.suppliers:
        suppliers, milestones = roster(args.suppliers, today, args.seed)
        write_workbook({"Proveedores": suppliers, "Hitos": milestones}, args.out)
    else:
        actions, notes = action_plan(args.actions, today, args.seed)
        write_workbook({"Acciones": actions, "Avances": notes}, args.out)
    print(args.out)


if __name__ == "__main__":
    main()
