"""Readers (CSV, workbooks as kept, JSON), writers, template, sample (DESIGN.md §2)."""
