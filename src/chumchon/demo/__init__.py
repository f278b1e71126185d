"""``chumchon demo``: a synthetic but believable province for demonstrations and tests.

Everything here is generated from a seed (``random.Random``, never the global one) so
the same ``--seed`` and ``--end`` give the same villages, households, people, debts and
account lines. The entry point is :func:`chumchon.demo.generate.demo_generate`.
"""
