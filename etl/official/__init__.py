"""Official statistics: SE's IED by state as published (every release a vintage), INEGI's exports
by state (ETEF), IMSS formal jobs and INEGI's DENUE establishments.

se_release reads SE's workbooks (se_sheet: one sheet of them), vintages stages the older SE copies
the observatory ships, indicators reads the ETEF, IMSS and DENUE files, store writes them into a
warehouse version, and commands loads a new file live (`python -m etl official FILE`, the desk).
"""
