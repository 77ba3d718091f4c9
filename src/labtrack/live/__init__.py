"""Feeding live plots: incremental reads of a run family's history (``history``), the
reduced, binary-encoded points a widget sends to the browser (``channel``), the sweep
panel's trial columns (``sweep``) and the polling thread that ties them together
(``feed``). The widget is handed in; nothing here imports a widget class or IPython.
"""
