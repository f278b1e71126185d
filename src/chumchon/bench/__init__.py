"""The benchmark behind ``chumchon bench`` (not a test: see docs/BENCHMARKS.md).

It builds a province's worth of households (codes ``B-…``) in a province that has none,
writes their accounts as one CSV per tambon (about five lines a household a week), and
measures on the configured database:

- ``import_rows_per_s``: the files through :func:`chumchon.ledgers.imports.ledger_import_file`,
  the very path of ``chumchon import ledgers`` (checks, idempotency keys, rollups);
- ``copy_rows_per_s``: the same rows written raw — PostgreSQL ``COPY``, or on SQLite
  the fastest plain ``executemany`` in one transaction — into a scratch twin of the
  ledger table (same columns, identity, checks and indexes, an import key a row), so
  ``import_vs_copy`` is what the import path itself costs (the target: at least 0.5);
- ``copy_bare_rows_per_s``: the same into a bare scratch heap (no id, no index), and
  ``import_vs_bare_copy``, which adds what the ledger's indexes and keys cost;
- ``verify_s``: ``chumchon rollups --verify`` over everything;
- ``figures_p50_ms`` / ``figures_p95_ms``: the standard figures of random areas (the
  province, its districts, tambons and villages) over random spans of months;
- ``rows`` and ``peak_rss_mb`` (the process's high-water mark).

Everything it created is removed at the end unless ``--keep``.
"""
