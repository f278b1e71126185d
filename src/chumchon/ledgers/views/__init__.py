"""Ledger pages, one module per kind of work: keying and phone entry (``entry``), the
review of suggested categories (``review``), month closing and completeness
(``months``), household statements and business accounts (``statements``)."""
