"""Facts about the processes and machine labtrack runs on: which kernel owns a run and
whether that process still lives (heartbeats, marking runs of dead kernels KILLED), the
hardware and Python environment, and a folder's git state. Shared by run tracking,
lineage and the offline spool; it imports nothing of theirs.
"""
