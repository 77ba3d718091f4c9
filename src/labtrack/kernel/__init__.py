"""The kernel side of labtrack: magics, run lifecycle and context capture."""
