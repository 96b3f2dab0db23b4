"""Command line of the read side: python -m analytics pack [options].

    python -m analytics pack --from 2024-01-01 --to 2024-02-29 --lang es --out pack.pptx \\
        --png-dir charts/ [--db PATH] [--country CN --sector ...]

Without --from/--to, the period is a preset (--preset, default: the last two full months). Exit
status: 0 the pack was written (an empty period gives a valid pack that says so); 2 bad arguments or
no warehouse.
"""

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path

from analytics.filters import Filters

# Filter flags: option, Filters field. Values are warehouse codes (as in the dashboard's URL).
FILTER_FLAGS = {
    "--region": "regions",
    "--country": "countries",
    "--sector": "sectors",
    "--tier": "tiers",
    "--municipality": "places",
    "--event-type": "event_types",
    "--status": "statuses",
}


def _quiet_streamlit() -> None:
    """Outside `streamlit run` the caches work in memory but warn on every call: not useful here."""
    import streamlit.runtime.caching  # noqa: F401 - creates the loggers silenced below

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _iso(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def parser() -> argparse.ArgumentParser:
    from analytics.periods import DEFAULT_PRESET, PRESETS

    p = argparse.ArgumentParser(prog="python -m analytics", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    pack = sub.add_parser("pack", help="the bimonthly meeting pack: PPTX and PNG charts")
    pack.add_argument("--from", dest="date_from", type=_iso, help="first day (YYYY-MM-DD)")
    pack.add_argument("--to", dest="date_to", type=_iso, help="last day (YYYY-MM-DD)")
    pack.add_argument(
        "--preset",
        choices=list(PRESETS),
        default=DEFAULT_PRESET,
        help=f"period when --from/--to are not given (default: {DEFAULT_PRESET})",
    )
    pack.add_argument("--lang", choices=["es", "en"], default="es")
    pack.add_argument(
        "--out", type=Path, help="PPTX file to write (default: a name from the period)"
    )
    pack.add_argument("--png-dir", type=Path, help="folder for the 1920x1080 PNG charts")
    pack.add_argument("--zip", type=Path, help="also write the PNG charts as one ZIP file")
    pack.add_argument(
        "--db", help="warehouse file (default: $WAREHOUSE_DB or data/warehouse.duckdb)"
    )
    for flag, field in FILTER_FLAGS.items():
        pack.add_argument(flag, dest=field, action="append", default=[], metavar="CODE",
                          help=f"keep only these {field.replace('_', ' ')} (repeatable)")  # fmt: skip
    return p


def run_pack(args: argparse.Namespace) -> int:
    from analytics.periods import preset_period
    from etl.warehouse import resolve_db

    db = resolve_db(args.db)
    if not db.exists():
        print(f"No warehouse at {db}: run `python -m etl build` first.", file=sys.stderr)
        return 2
    os.environ["WAREHOUSE_DB"] = str(db)  # analytics.db reads it
    if (args.date_from is None) != (args.date_to is None):
        print("Give both --from and --to, or neither (then --preset applies).", file=sys.stderr)
        return 2

    if args.date_from is None:
        args.date_from, args.date_to = preset_period(args.preset)
    if args.date_from > args.date_to:
        print("--from is after --to.", file=sys.stderr)
        return 2

    from analytics.chromium import shared_renderer

    # Chromium starts while the rest of the pack is imported and its data read (about 2 s each).
    shared_renderer().warm_up()

    _quiet_streamlit()
    from analytics import deck, pack
    from analytics.context import load_context

    lists = {field: tuple(dict.fromkeys(getattr(args, field))) for field in FILTER_FLAGS.values()}
    ctx = load_context(args.lang, pack.meeting_filters(args.date_from, args.date_to,
                                                      Filters(**lists)))  # fmt: skip
    unknown = {
        field: [v for v in values if v not in ctx.options[field]]
        for field, values in lists.items()
        if any(v not in ctx.options[field] for v in values)
    }
    if unknown:
        for field, values in unknown.items():
            print(f"Unknown {field}: {', '.join(values)}. Known: "
                  f"{', '.join(map(str, ctx.options[field]))}", file=sys.stderr)  # fmt: skip
        return 2

    result = pack.make(ctx)
    out = args.out or Path(f"{result.pack.file_stem()}.pptx")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(result.pptx)
    print(f"{out}  ({len(result.pack.slides)} slides, {result.pack.period})")
    if args.png_dir:
        args.png_dir.mkdir(parents=True, exist_ok=True)
        for name, png in result.images.full.items():
            (args.png_dir / f"{name}.png").write_bytes(png)
        print(f"{args.png_dir}/  ({len(result.images.full)} PNG, 1920x1080)")
    if args.zip:
        args.zip.parent.mkdir(parents=True, exist_ok=True)
        args.zip.write_bytes(result.zip)
        print(f"{args.zip}")
    for number, title in enumerate(deck.slide_titles(result.pptx), start=1):
        print(f"  {number:2d}. {title}")
    timing = " · ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
    print(f"Time: {timing}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "pack":
        return run_pack(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
