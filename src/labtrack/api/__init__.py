"""What ``import labtrack`` offers a notebook: ``labtrack.runs`` (a DataFrame),
``labtrack.compare`` and ``labtrack.watch`` (widgets), and the registry calls
(``register``, ``promote``, ``rollback``, ``approve``, ``history``, ``load_model``).
Thin functions over the domain packages; the ``%track`` magics call the same ones.
"""
