"""Pack files, expressions, field catalogue, registry, programs, match rules, succession (DESIGN.md §2)."""
