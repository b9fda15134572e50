"""Sample plugins used by ``tests/test_plugins.py`` (each module is one plugin)."""
