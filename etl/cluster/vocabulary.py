"""The cluster's controlled vocabularies: supplier sizes and statuses, programme areas and steps,
committees and action statuses, and the processes suppliers offer (with the announcement sectors
each serves, from data/raw/cluster/procesos.csv). Matched forgivingly, as etl.parse's vocabularies."""

from pathlib import Path

import pandas as pd

from etl import parse
from etl.parse import Vocabulary
from etl.vocabularies import vocabulary

CLUSTER_DIR = Path("cluster")
PROCESSES_CSV = CLUSTER_DIR / "procesos.csv"


SIZES = vocabulary("tamaño", "size", {
    "micro": ("Micro", "Micro", ["microempresa", "micro empresa"]),
    "pequena": ("Pequeña", "Small", ["pequeña empresa", "pequena empresa", "chica", "peq"]),
    "mediana": ("Mediana", "Medium", ["mediana empresa", "med", "medium-sized"]),
    "grande": ("Grande", "Large", ["gran empresa", "grande empresa", "big"]),
})  # fmt: skip

SUPPLIER_STATUSES = vocabulary("estatus", "status", {
    "active": ("Activo", "Active", ["activa", "vigente", "en el programa", "inscrito", "inscrita"]),
    "withdrawn": ("Baja", "Withdrawn", ["dado de baja", "dada de baja", "retirado", "retirada",
                                        "abandono", "inactivo", "inactiva"]),
})  # fmt: skip

# The readiness seal covers quality, certifications, a sound legal framework and tax compliance,
# with help on financing and training.
AREAS = vocabulary("área", "area", {
    "calidad": ("Calidad", "Quality", ["quality", "sistema de calidad"]),
    "certificaciones": ("Certificaciones", "Certifications", ["certificacion", "certifications",
                                                              "certification", "normas"]),
    "legal": ("Legal", "Legal", ["marco legal", "juridico", "juridica", "legal framework"]),
    "fiscal": ("Fiscal", "Tax", ["tax", "cumplimiento fiscal", "tax compliance", "sat"]),
    "financiamiento": ("Financiamiento", "Financing", ["financing", "credito", "creditos",
                                                       "finanzas", "fondeo"]),
    "capacitacion": ("Capacitación", "Training", ["training", "formacion", "cursos"]),
})  # fmt: skip

STEPS = vocabulary("paso", "step", {
    "diagnostico": ("Diagnóstico", "Diagnosis", ["diagnostico inicial", "evaluacion inicial",
                                                 "diagnosis", "assessment"]),
    "plan_accion": ("Plan de acción", "Action plan", ["plan de accion", "plan de trabajo",
                                                      "action plan"]),
    "implementacion": ("Implementación", "Implementation", ["implementacion", "implementation"]),
    "auditoria": ("Auditoría", "Audit", ["auditoria", "auditoria interna", "auditoria externa",
                                         "preauditoria", "pre auditoria", "audit"]),
    "iso_9001": ("ISO 9001", "ISO 9001", ["iso9001", "iso 9001 2015", "9001"]),
    "iatf_16949": ("IATF 16949", "IATF 16949", ["iatf", "iatf16949", "iatf 16949 2016", "16949",
                                                "ts 16949"]),
    "iso_14001": ("ISO 14001", "ISO 14001", ["iso14001", "iso 14001 2015", "14001"]),
    "iso_45001": ("ISO 45001", "ISO 45001", ["iso45001", "45001"]),
    "revision_legal": ("Revisión legal", "Legal review", ["revision legal", "acta constitutiva",
                                                          "poderes", "legal review"]),
    "constancia_fiscal": ("Constancia de situación fiscal", "Tax status certificate",
                          ["constancia de situacion fiscal", "csf", "cedula fiscal",
                           "tax status certificate"]),
    "opinion_cumplimiento": ("Opinión de cumplimiento (32-D)", "Tax compliance opinion (32-D)",
                             ["opinion de cumplimiento", "opinion positiva", "32 d", "32d",
                              "opinion de cumplimiento sat", "tax compliance opinion"]),
    "credito_solicitado": ("Crédito solicitado", "Loan applied for",
                           ["credito solicitado", "solicitud de credito", "loan application"]),
    "credito_aprobado": ("Crédito aprobado", "Loan approved",
                         ["credito aprobado", "financiamiento aprobado", "loan approved"]),
    "curso": ("Curso concluido", "Course completed", ["curso", "capacitacion concluida",
                                                      "taller", "course", "training completed"]),
})  # fmt: skip

COMMITTEES = vocabulary("comité", "committee", {
    "supplier_development": ("Desarrollo de proveedores", "Supplier development",
                             ["desarrollo de proveedores", "proveedores", "supplier development"]),
    "academic": ("Académico", "Academic", ["academico", "academia", "academic"]),
    "supply_development": ("Desarrollo de abasto", "Supply development",
                           ["desarrollo de abasto", "abasto", "abastecimiento",
                            "supply development"]),
    "human_capital": ("Capital humano", "Human capital", ["capital humano", "talento",
                                                          "recursos humanos", "human capital"]),
})  # fmt: skip

ACTION_STATUSES = vocabulary("estatus", "status", {
    "pending": ("Pendiente", "Pending", ["por iniciar", "no iniciada", "sin iniciar", "pending"]),
    "in_progress": ("En curso", "In progress", ["en proceso", "en progreso", "iniciada", "avance",
                                                "in progress", "ongoing"]),
    "done": ("Cumplida", "Done", ["cumplido", "hecha", "hecho", "terminada", "terminado",
                                  "concluida", "concluido", "cerrada", "completed", "done"]),
    "blocked": ("Bloqueada", "Blocked", ["bloqueado", "detenida", "detenido", "atorada",
                                         "blocked", "stalled"]),
})  # fmt: skip

# kind -> vocabulary, as the warehouse's cluster_vocabulary table holds them (labels for pages)
VOCABULARIES = {
    "size": SIZES,
    "supplier_status": SUPPLIER_STATUSES,
    "area": AREAS,
    "step": STEPS,
    "committee": COMMITTEES,
    "action_status": ACTION_STATUSES,
}


def vocabulary_frame() -> pd.DataFrame:
    """Every code of every vocabulary with its labels and its order, for the warehouse."""
    rows = [
        (kind, code, es, en, position)
        for kind, vocab in VOCABULARIES.items()
        for position, (code, (es, en)) in enumerate(vocab.codes.items())
    ]
    return pd.DataFrame(rows, columns=["kind", "code", "name_es", "name_en", "position"])


def processes_frame(raw_dir: Path) -> pd.DataFrame:
    """The processes suppliers offer (data/raw/cluster/procesos.csv), checked against the sectors
    announcements use: process, name_es, name_en, aliases, sectors (lists), position."""
    frame = pd.read_csv(raw_dir / PROCESSES_CSV, dtype=str, keep_default_na=False)
    frame["position"] = range(len(frame))
    frame["aliases"] = frame["aliases"].map(lambda text: [a for a in text.split(";") if a])
    frame["sectors"] = frame["sectors"].map(lambda text: [s for s in text.split(";") if s])
    unknown = {s for sectors in frame["sectors"] for s in sectors} - set(parse.SECTORS.codes)
    if unknown:
        raise ValueError(f"{PROCESSES_CSV}: unknown announcement sectors {sorted(unknown)}")
    return frame


def process_vocabulary(processes: pd.DataFrame) -> Vocabulary:
    entries = {
        row.process: (row.name_es, row.name_en, row.aliases) for row in processes.itertuples()
    }
    return vocabulary("procesos", "processes", entries)
