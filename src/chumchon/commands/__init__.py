"""Commands that tie several apps together (``init``, ``demo``, ``import``, ``serve``).

They stand above every domain app, so no app has to import the ones above it to offer
them (CONVENTIONS.md: the layers; pyproject's import-linter contract)."""
