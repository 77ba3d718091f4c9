"""IPython adapters: ``%load_ext labtrack``, the ``%%track`` cell magic and one module per
``%track`` command family (runs, compare, registry, lineage, watch, sync), their option
parsing and the runner that executes a tracked cell's body as IPython would.

Only this package (and ``server``) may import IPython; everything it does beyond parsing
and printing is delegated to the domain packages below it (``tracking``, ``live``,
``registry``, ``lineage``, ``offline``) and to the notebook API in ``labtrack.api``.
"""
