"""Jobs: consumers of the Engine (pack tests, pack diff, projections, matching); never a second evaluator."""
