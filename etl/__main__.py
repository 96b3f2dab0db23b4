"""Command line: python -m etl build | validate FILE | append FILE | correct FILE |
official FILE | template [KIND] FILE | suppliers FILE | actions FILE | publish DIR.

Exit status: 0 every row valid (every correction applied or already so); 1 the file was read but
some rows were rejected (append and correct still apply the valid ones); 2 the file cannot be used
at all and nothing was loaded.
"""

import argparse
import os
import sys
from pathlib import Path

# Arrow's allocator for the command line's bulk loads. Its default here (mimalloc) hands the memory
# of a million-row column back to the system and faults it in again at every step: an append of a
# million rows spent half its time in the kernel. jemalloc keeps it for the next column (10 s
# instead of 21 s). Read when Arrow first allocates, so set before the loaders are imported; a
# pyarrow built without jemalloc warns and keeps its default. (The app keeps its allocator.)
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")

from typing import TYPE_CHECKING

from etl.files import MAX_FILE_BYTES, FileUnusable, read_ahead

# Each command imports what it uses when it runs: `official` needs neither the intake of
# announcements nor the corrections (0.6 s of imports).
if TYPE_CHECKING:
    from etl.correct import CorrectionsOutcome
    from etl.load import LoadOutcome

MAX_REJECTS_SHOWN = 50
REJECTS_CSV_HEADER = {
    "es": ["fila", "columna", "valor", "motivo"],
    "en": ["row", "column", "value", "reason"],
}


def _say(lang: str, es: str, en: str) -> str:
    return es if lang == "es" else en


def report(outcome: "LoadOutcome", lang: str, loaded: bool) -> list[str]:
    """The clerk's report of one file: counts, then every rejected cell."""
    r = outcome.result
    lines = [
        _say(lang, f"Archivo: {r.file_name}", f"File: {r.file_name}")
        + (_say(lang, f" (hoja «{r.sheet}»)", f" (sheet '{r.sheet}')") if r.sheet else "")
        + _say(
            lang, f", encabezados en la fila {r.header_row}", f", headers in row {r.header_row}"
        ),
    ]
    if outcome.already_loaded:
        prior = outcome.already_loaded
        lines.append(
            _say(
                lang,
                f"Este archivo ya se cargó (carga {prior['load_id']}, "
                f"{prior['finished_at']:%Y-%m-%d %H:%M}). No se agregó nada.",
                f"This file was already loaded (load {prior['load_id']}, "
                f"{prior['finished_at']:%Y-%m-%d %H:%M}). Nothing was added.",
            )
        )
        return lines
    lines.extend(es if lang == "es" else en for es, en in r.notes)
    verb = _say(lang, "cargadas", "loaded") if loaded else _say(lang, "válidas", "valid")
    lines.append(
        _say(lang, "Filas leídas", "Rows read")
        + f": {r.rows_read:,} · {verb}: {outcome.rows_loaded:,} · "
        + _say(lang, "rechazadas", "rejected")
        + f": {outcome.rows_rejected:,} · "
        + _say(lang, "para revisión", "flagged for review")
        + f": {len(outcome.flagged):,}"
    )
    if outcome.load_id:
        lines.append(
            _say(lang, f"Carga número {outcome.load_id}.", f"Load number {outcome.load_id}.")
        )
    if r.unused_columns:
        lines.append(
            _say(lang, "Columnas no usadas: ", "Columns not used: ") + ", ".join(r.unused_columns)
        )
    lines += _rejects_lines(outcome.rejects, lang)
    for rec in outcome.flagged.head(MAX_REJECTS_SHOWN).itertuples():
        lines.append(
            _say(
                lang,
                f"  revisar fila {rec.source_row} ({rec.company}): ",
                f"  review row {rec.source_row} ({rec.company}): ",
            )
            + rec.review_flags
            + (
                f" ~ {rec.possible_duplicate_of}"
                if isinstance(rec.possible_duplicate_of, str)
                else ""
            )
            + (f" ({rec.review_notes})" if isinstance(rec.review_notes, str) else "")
        )
    return lines + _accepted_lines(r.accepted, lang)


def _rejects_lines(rejects, lang: str) -> list[str]:
    """Every rejected cell (the first MAX_REJECTS_SHOWN): row, column, value and reason."""
    rejects = rejects.sort_values("row_number", kind="stable")
    if rejects.empty:
        return []
    lines = [_say(lang, "Rechazos:", "Rejects:")]
    for rec in rejects.head(MAX_REJECTS_SHOWN).itertuples():
        reason = rec.reason if lang == "es" else rec.reason_en
        value = "" if rec.value is None else f" «{str(rec.value)[:80]}»"
        lines.append(
            _say(
                lang,
                f"  fila {rec.row_number}, columna «{rec.column}»",
                f"  row {rec.row_number}, column '{rec.column}'",
            )
            + f"{value}: {reason}"
        )
    if len(rejects) > MAX_REJECTS_SHOWN:
        more = len(rejects) - MAX_REJECTS_SHOWN
        lines.append(
            _say(
                lang,
                f"  … y {more:,} más en el CSV de rechazos.",
                f"  … and {more:,} more in the rejects CSV.",
            )
        )
    return lines


def _accepted_lines(accepted: list[tuple[str, str]], lang: str) -> list[str]:
    """The accepted values of each vocabulary a rejected value was outside of, once."""
    return [es if lang == "es" else en for es, en in accepted]


def corrections_report(outcome: "CorrectionsOutcome", lang: str) -> list[str]:
    """The clerk's report of a corrections file: counts, each line applied or already so, and
    every rejected line with its reason (the candidates when it names no single announcement)."""
    from etl.corrections import field_label

    f = outcome.file
    lines = [
        _say(lang, f"Archivo: {f.file_name}", f"File: {f.file_name}")
        + (_say(lang, f" (hoja «{f.sheet}»)", f" (sheet '{f.sheet}')") if f.sheet else "")
        + _say(
            lang, f", encabezados en la fila {f.header_row}", f", headers in row {f.header_row}"
        ),
    ]
    if outcome.already_applied:
        prior = outcome.already_applied
        lines.append(
            _say(
                lang,
                f"Este archivo ya se aplicó (carga {prior['load_id']}, "
                f"{prior['finished_at']:%Y-%m-%d %H:%M}); volver a aplicarlo no cambia nada.",
                f"This file was already applied (load {prior['load_id']}, "
                f"{prior['finished_at']:%Y-%m-%d %H:%M}); applying it again changes nothing.",
            )
        )
    applied, unchanged = len(outcome.applied), len(outcome.unchanged)
    lines.append(
        _say(lang, "Líneas leídas", "Lines read")
        + f": {f.rows_read:,} · "
        + _say(lang, "aplicadas", "applied")
        + f": {applied:,} · "
        + _say(lang, "ya estaban así", "already so")
        + f": {unchanged:,} · "
        + _say(lang, "rechazadas", "rejected")
        + f": {outcome.rows_rejected:,}"
    )
    if outcome.load_id:
        lines.append(
            _say(lang, f"Carga número {outcome.load_id}.", f"Load number {outcome.load_id}.")
        )
    elif not applied and not outcome.rows_rejected:
        lines.append(
            _say(
                lang, "Nada cambió; no se registró nada.", "Nothing changed; nothing was recorded."
            )
        )
    elif not outcome.already_applied:  # a check (--check): what it would do
        lines.append(
            _say(lang, "Solo revisión (--check): no se escribió nada.",
                 "Check only (--check): nothing was written.")
        )  # fmt: skip
    if f.unused_columns:
        lines.append(
            _say(lang, "Columnas no usadas: ", "Columns not used: ") + ", ".join(f.unused_columns)
        )
    for line_outcome in outcome.lines:
        line = line_outcome.line
        where = _say(lang, f"  fila {line.row_number}", f"  row {line.row_number}")
        who = f"{line_outcome.company} ({line_outcome.announcement_id})"
        if line_outcome.status == "unchanged":
            label = field_label(line.field)[0 if lang == "es" else 1]
            value = line.new_written or "–"
            lines.append(
                f"{where} · {who}: "
                + _say(lang, f"{label} ya es «{value}»", f"{label} is already '{value}'")
            )
            continue
        for column, old, new in line_outcome.logged:
            label = field_label(column if column != "origin_iso2" else "origin_country")[
                0 if lang == "es" else 1
            ]
            lines.append(f"{where} · {who}: {label} «{old or '–'}» → «{new or '–'}»")
    return lines + _rejects_lines(outcome.rejects, lang) + _accepted_lines(f.accepted, lang)


def _report_any(outcome, lang: str) -> list[str]:
    """The report of any journal kind's outcome: the cluster's kinds report themselves."""
    from etl.correct import CorrectionsOutcome
    from etl.official.commands import report as official_report
    from etl.official.store import OfficialOutcome

    if isinstance(outcome, CorrectionsOutcome):
        return corrections_report(outcome, lang)
    if isinstance(outcome, OfficialOutcome):
        return official_report(outcome, lang, loaded=True)
    if hasattr(outcome, "report"):
        return outcome.report(lang)
    return report(outcome, lang, loaded=True)


def write_rejects_csv(outcome, source: Path, lang: str, target: Path | None = None) -> Path | None:
    """Rejects in target (default: next to the input file), readable in Excel (UTF-8 with BOM)."""
    from etl.export import spreadsheet_safe

    if outcome.rejects.empty:
        return None
    target = target or source.with_name(f"{source.stem}.rechazos.csv")
    frame = outcome.rejects[
        ["row_number", "column", "value", "reason" if lang == "es" else "reason_en"]
    ]
    frame = spreadsheet_safe(frame.set_axis(REJECTS_CSV_HEADER[lang], axis=1))
    try:
        frame.to_csv(target, index=False, encoding="utf-8-sig")
    except OSError:
        return None
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl", description=__doc__.split("\n\n")[0].replace("\n", " ")
    )
    parser.add_argument("--lang", choices=["es", "en"], default="es", help="language of the report")
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="rebuild the warehouse from data/raw")
    p_validate = sub.add_parser("validate", help="check an announcements file without loading it")
    p_append = sub.add_parser("append", help="validate a file and add its valid rows")
    p_correct = sub.add_parser(
        "correct", help="apply a file of corrections to existing announcements"
    )
    p_template = sub.add_parser(
        "template", help="write an XLSX template: announcements (default), suppliers or actions"
    )
    p_template.add_argument("kind_or_file", help="suppliers / actions, or the file (announcements)")
    p_template.add_argument("file", type=Path, nargs="?")
    p_official = sub.add_parser(
        "official",
        help="load an official release: SE's IED workbook, INEGI's ETEF or IMSS's jobs",
    )
    cluster = _cluster_parsers(sub)
    p_publish = sub.add_parser(
        "publish", help="write a read-only snapshot of the warehouse into DIR for app replicas"
    )
    p_publish.add_argument("dir", type=Path)
    # Its default is etl.publish's, which the other commands do not import (0.2 s).
    p_publish.add_argument("--keep", type=int, help="snapshots kept in DIR (default: 3)")
    p_publish.add_argument("--lang", choices=["es", "en"], default=argparse.SUPPRESS)
    p_publish.add_argument("--db", help="the writer's warehouse (default: as the other commands)")
    for p in (p_build, p_validate, p_append, p_correct, p_official, *cluster):
        # also after the command (python -m etl append FILE --lang en)
        p.add_argument("--lang", choices=["es", "en"], default=argparse.SUPPRESS)
        p.add_argument(
            "--db", help="warehouse file (default: $WAREHOUSE_DB or data/warehouse.duckdb)"
        )
        p.add_argument(
            "--raw",
            help="folder of raw sources and the journal (default: $WAREHOUSE_RAW or data/raw)",
        )
    for p in (p_validate, p_append, p_correct, p_official, *cluster):
        p.add_argument("file", type=Path)
        # A roster's or an action plan's sheets are found by their headers, an SE workbook's by
        # their content.
        if p not in cluster and p is not p_official:
            p.add_argument("--sheet", help="XLSX sheet to read (default: the first)")
        p.add_argument(
            "--max-mb",
            type=int,
            default=MAX_FILE_BYTES // (1024 * 1024),
            help="refuse files larger than this many MB (default: the upload limit; 0: no limit)",
        )
        if p is not p_official:  # an official release's rejected cells are in its report
            p.add_argument(
                "--rejects",
                type=Path,
                help="write the rejected rows to this CSV (validate writes none without it; "
                "append and correct default to <file>.rechazos.csv next to the file)",
            )
    for p in (p_append, p_correct, p_official, *cluster):
        p.add_argument("--by", default="cli", help="who brings the file (kept in load_log)")
    p_correct.add_argument(
        "--check", action="store_true", help="say what the file would change, writing nothing"
    )
    p_official.add_argument(
        "--series",
        choices=["original", "revised"],
        help="SE workbooks: original (cifras originalmente publicadas) or revised (actualizadas), "
        "when neither the title nor the file name says it",
    )
    p_official.add_argument(
        "--check", action="store_true", help="read and report only; load nothing"
    )
    args = parser.parse_args(argv)
    lang = args.lang
    if args.command in ("validate", "append"):  # started before DuckDB and the intake are imported
        read_ahead(args.file, args.sheet, args.max_mb * 1024 * 1024 or None)
    from etl.warehouse import resolve_db, resolve_raw

    if args.command == "template":
        return _template(args, lang)
    if args.command == "publish":
        return _publish(args, resolve_db(args.db), lang)
    db, raw = resolve_db(args.db), resolve_raw(args.raw)
    if args.command in CLUSTER_COMMANDS:
        return _cluster_load(args, db, raw, lang)

    if args.command == "build":
        from etl.load import build

        outcomes = build(db, raw)
        for outcome in outcomes:
            print("\n".join(_report_any(outcome, lang)))
        print(_say(lang, f"Almacén listo: {db}", f"Warehouse ready: {db}"))
        return 1 if any(o.rows_rejected for o in outcomes) else 0

    max_bytes = args.max_mb * 1024 * 1024 or None
    if args.command == "official":
        return _official(args, db, raw, lang, max_bytes)
    from etl.load import append, validate

    try:
        if args.command == "validate":
            outcome = validate(args.file, db, raw, args.sheet, max_bytes=max_bytes)
        elif args.command == "correct":
            from etl.correct import correct

            outcome = correct(args.file, db, raw, args.by, args.sheet, max_bytes=max_bytes,
                              dry_run=args.check)  # fmt: skip
        else:
            outcome = append(args.file, db, raw, args.by, args.sheet, max_bytes=max_bytes)
    except FileUnusable as exc:
        print(exc.es if lang == "es" else exc.en, file=sys.stderr)
        print(_say(lang, "No se cargó nada.", "Nothing was loaded."), file=sys.stderr)
        return 2
    if args.command == "correct":
        print("\n".join(corrections_report(outcome, lang)))
    else:
        print("\n".join(report(outcome, lang, loaded=args.command == "append")))
    # validate (and correct --check) only read: a rejects file is written when asked for.
    read_only = args.command == "validate" or getattr(args, "check", False)
    if args.rejects or not read_only:
        saved = write_rejects_csv(outcome, args.file, lang, args.rejects)
        if saved:
            print(_say(lang, f"Rechazos guardados en {saved}", f"Rejects saved to {saved}"))
    return 1 if outcome.rows_rejected else 0


# ---------------------------------------------------------------- the cluster (etl/cluster)

CLUSTER_COMMANDS = {
    "suppliers": "load a supplier roster (sheets Proveedores and Hitos, or either alone)",
    "actions": "load the committees' actions (sheets Acciones and Avances, or either alone)",
}


def _cluster_parsers(sub) -> list:
    parsers = []
    for command, text in CLUSTER_COMMANDS.items():
        p = sub.add_parser(command, help=text)
        p.add_argument("--validate", action="store_true", help="check only; write nothing")
        parsers.append(p)
    return parsers


def _template(args, lang: str) -> int:
    """template FILE (announcements, as before) or template suppliers|actions FILE."""
    if args.file is None:
        from etl.template import write_template

        target = Path(args.kind_or_file)
        write_template(target)
    else:
        from etl.cluster.templates import KINDS, write_template

        if args.kind_or_file not in KINDS:
            print(_say(lang, f"Plantillas: {', '.join(KINDS)}", f"Templates: {', '.join(KINDS)}"),
                  file=sys.stderr)  # fmt: skip
            return 2
        target = write_template(args.kind_or_file, args.file)
    print(_say(lang, f"Plantilla escrita en {target}", f"Template written to {target}"))
    return 0


def _cluster_load(args, db: Path, raw: Path, lang: str) -> int:
    """Exit status as append's: 0 all valid, 1 some rows rejected, 2 the file is unusable."""
    from etl.cluster.writes import load_file, validate_file

    max_bytes = args.max_mb * 1024 * 1024 or None
    try:
        if args.validate:
            outcome = validate_file(args.file, db, args.command, raw, max_bytes=max_bytes)
        else:
            outcome = load_file(args.file, db, args.command, raw, args.by, max_bytes=max_bytes)
    except FileUnusable as exc:
        print(exc.es if lang == "es" else exc.en, file=sys.stderr)
        print(_say(lang, "No se cargó nada.", "Nothing was loaded."), file=sys.stderr)
        return 2
    print("\n".join(outcome.report(lang, loaded=not args.validate)))
    # --validate only reads, as `etl validate`: a rejects file is written when asked for.
    if not outcome.file.rejects.empty and (args.rejects or not args.validate):
        target = args.rejects or args.file.with_name(f"{args.file.stem}.rechazos.csv")
        outcome.file.rejects_csv(target, lang)
        print(_say(lang, f"Rechazos guardados en {target}", f"Rejects saved to {target}"))
    return 1 if outcome.rows_rejected else 0


def _publish(args, db: Path, lang: str) -> int:
    """etl publish DIR: 0 published (or already so), 2 no warehouse to publish."""
    from etl.publish import publish

    try:
        outcome = publish(
            db, args.dir.resolve(), **({} if args.keep is None else {"keep": args.keep})
        )
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    print("\n".join(outcome.report(lang)))
    return 0


def _official(args, db, raw, lang: str, max_bytes: int | None) -> int:
    """etl official FILE: exit status as append (0 all valid, 1 some lines rejected, 2 unusable)."""
    from etl.official.commands import check_official, load_official
    from etl.official.commands import report as official_report

    try:
        if args.check:
            outcome = check_official(args.file, db, raw, args.series, max_bytes)
        else:
            outcome = load_official(args.file, db, raw, args.series, args.by, max_bytes)
    except FileUnusable as exc:
        print(exc.es if lang == "es" else exc.en, file=sys.stderr)
        print(_say(lang, "No se cargó nada.", "Nothing was loaded."), file=sys.stderr)
        return 2
    print("\n".join(official_report(outcome, lang, loaded=not args.check)))
    return 1 if outcome.rows_rejected and not outcome.already_loaded else 0


if __name__ == "__main__":
    status = main()
    # The process ends once its report is out, without tearing down the interpreter's modules and
    # objects one by one (0.1 s of a command of a few seconds): every file is written and closed.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
