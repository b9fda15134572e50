"""Jobs: consumers of the Engine (project, match, pack tests, pack diff), never a second evaluator."""
