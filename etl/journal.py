"""The journal: every change staff bring, kept under data/raw/journal as what it is.

A file of announcements, a form entry, a correction, an official release, a roster: each is one
entry, the input itself (CSV, XLSX) beside a small JSON of who brought it, when, and what its reader
needs (the sheet, the series). `etl build` replays the entries in the order they were recorded on
top of the base sources, so a rebuild from data/raw gives the same warehouse, history included.

Entries are written so that a kill at any moment leaves either no entry or a whole one: the JSON
first, then the file under a temporary name renamed into place; a JSON without its file is a
leftover and is skipped.
"""

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from etl.files import file_sha256

JOURNAL = "journal"


@dataclass(frozen=True)
class Entry:
    path: Path  # the input as it was brought
    kind: str  # announcements / corrections / ... : which reader replays it
    file_name: str  # as the user named it (a form entry: the form's name)
    recorded_by: str
    recorded_at: datetime
    sha256: str
    options: dict = field(default_factory=dict)  # what the reader needs besides the bytes

    @property
    def meta_path(self) -> Path:
        return _meta_path(self.path)


def journal_dir(raw_dir: Path) -> Path:
    return Path(raw_dir) / JOURNAL


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def entries(raw_dir: Path) -> list[Entry]:
    """Every whole entry, in the order it was recorded."""
    folder = journal_dir(raw_dir)
    if not folder.is_dir():
        return []
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix != ".json"
        and not p.name.startswith(".")
        and _meta_path(p).is_file()
    )
    return [_read(p) for p in files]


def _read(path: Path) -> Entry:
    meta = json.loads(_meta_path(path).read_text(encoding="utf-8"))
    return Entry(
        path=path,
        kind=meta["kind"],
        file_name=meta["file_name"],
        recorded_by=meta["recorded_by"],
        recorded_at=datetime.fromisoformat(meta["recorded_at"]),
        sha256=meta["sha256"],
        options=meta.get("options") or {},
    )


def find(raw_dir: Path, kind: str, sha256: str) -> Entry | None:
    """The entry of this kind with these bytes, if one was recorded."""
    folder = journal_dir(raw_dir)
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob(f"*_{kind}_{sha256[:16]}.*")):
        if path.suffix != ".json" and _meta_path(path).is_file():
            entry = _read(path)
            if entry.sha256 == sha256:
                return entry
    return None


def record(
    raw_dir: Path,
    source: Path,
    kind: str,
    file_name: str,
    recorded_by: str,
    sha256: str,
    options: dict | None = None,
    now: datetime | None = None,
) -> tuple[Entry, bool]:
    """Keep source in the journal; the entry, and whether this call wrote it (False: the same
    bytes of the same kind were recorded before). Call while holding the warehouse's writer lock."""
    folder = journal_dir(raw_dir)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(folder)
    earlier = find(raw_dir, kind, sha256)
    if earlier is not None:
        return earlier, False
    now = now or datetime.now()
    target = folder / f"{now:%Y%m%dT%H%M%S%f}_{kind}_{sha256[:16]}{Path(source).suffix.lower()}"
    entry = Entry(target, kind, file_name, recorded_by, now, sha256, options or {})
    meta = {
        "kind": kind,
        "file_name": file_name,
        "recorded_by": recorded_by,
        "recorded_at": now.isoformat(),
        "sha256": sha256,
        "options": options or {},
    }
    _write_atomically(
        entry.meta_path,
        lambda tmp: tmp.write_text(
            json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        ),
    )
    _write_atomically(target, lambda tmp: shutil.copyfile(source, tmp))
    return entry, True


def forget(entry: Entry) -> None:
    """Remove an entry whose load failed: it must not come back in the next rebuild."""
    entry.meta_path.unlink(missing_ok=True)
    entry.path.unlink(missing_ok=True)


def _remove_leftovers(folder: Path) -> None:
    """What a kill in the middle of record() can leave: a temporary file, or a JSON alone."""
    for leftover in folder.glob(".tmp-*"):
        leftover.unlink(missing_ok=True)
    for meta in folder.glob("*.json"):
        if not meta.with_name(meta.name.removesuffix(".json")).exists():
            meta.unlink(missing_ok=True)


def _write_atomically(target: Path, write) -> None:
    tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    try:
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def adopt_legacy_loads(raw_dir: Path, legacy_dir: Path) -> int:
    """Move files appended by earlier versions (kept in loads/ beside the warehouse) into the
    journal, in their order, as announcement entries; how many were moved."""
    if not legacy_dir.is_dir():
        return 0
    moved = 0
    for path in sorted(legacy_dir.iterdir()):
        meta_file = _meta_path(path)
        if path.suffix == ".json" or path.name.startswith(".") or not meta_file.is_file():
            continue
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        stamp = datetime.strptime(path.name.split("_", 1)[0], "%Y%m%dT%H%M%S")
        record(
            raw_dir,
            path,
            "announcements",
            meta["file_name"],
            meta["loaded_by"],
            file_sha256(path),
            {"sheet": meta.get("sheet")},
            now=stamp,
        )
        forget(Entry(path, "announcements", "", "", stamp, ""))
        moved += 1
    return moved
