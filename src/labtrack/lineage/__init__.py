"""Which data, which code: dataset digests, seeds, and what changed since a run.

Nothing here imports IPython; the ``%track`` commands and ``%%track --dataset`` are
thin callers in ``labtrack.kernel``.
"""
