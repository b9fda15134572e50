"""Jobs: consumers of the :class:`~cadre_rules.Engine` (project, match, pack tests, pack diff)."""
