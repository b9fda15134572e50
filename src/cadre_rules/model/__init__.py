"""Records, codes, dates and the retirement law, value types, an official's facts as of a date (DESIGN.md §2)."""
