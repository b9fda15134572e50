"""The report contract, explanations, training view, waivers, baseline, vacancies, scopes (DESIGN.md §2)."""
