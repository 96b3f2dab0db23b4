"""ETL for the SLP automotive investment observatory: intake, cleaning and loading into DuckDB."""
