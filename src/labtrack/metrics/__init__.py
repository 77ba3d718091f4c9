"""The metric pipeline of a tracked cell, from the training loop to the store.

``points`` checks and stamps a point as MLflow would; ``capture`` intercepts MLflow's
tracking store so every logging path lands in one buffer; ``sink`` writes that buffer
in batches on a thread of its own (``writers``: straight SQL or ``log-batch`` requests)
and, while the backend is away, appends to the run's on-disk ``journal`` whose
``operations`` are replayed later; ``api`` is ``labtrack.log_metric``, the fast path.
No IPython, no widgets.
"""
