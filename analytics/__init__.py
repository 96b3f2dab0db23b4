"""Read side of the observatory: warehouse queries, figures, language and exports. Never writes."""
