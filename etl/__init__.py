"""ETL for the SLP automotive investment observatory: intake, cleaning and loading into DuckDB."""

import contextlib
import os

# Arrow's allocator. Its default here (mimalloc) hands the memory of a million-row column back to
# the system and faults it in again at every step: an append of a million rows spent half its time
# in the kernel. jemalloc keeps it for the next column (10 s instead of 21 s). Arrow reads the
# variable when it first allocates (`python -m etl`); a process that already used Arrow (the app)
# still gets jemalloc for what this package allocates.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")

import pyarrow as pa  # noqa: E402 (after the variable)

with contextlib.suppress(NotImplementedError):  # a pyarrow without jemalloc keeps its default
    pa.set_memory_pool(pa.jemalloc_memory_pool())
