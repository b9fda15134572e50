"""The Engine, runs, backends (durable, reference), classes of values, the as-of date (DESIGN.md §2)."""
