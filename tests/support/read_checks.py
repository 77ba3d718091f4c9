"""Checks of the SQL fast path shared by the SQLite (tests/server) and PostgreSQL
(tests/scale) tests: keyset pages against MLflow's own order."""

from __future__ import annotations

import math
import random

from mlflow import MlflowClient
from run_rows import RunRow, insert_runs, tied_runs

from labtrack.backend.client_reader import ClientReader
from labtrack.backend.queries import RunQuery
from labtrack.backend.sql_reader import SqlReader

ORDERS = [
    (),
    ("metrics.m DESC",),
    ("metrics.m ASC",),
    ("params.p ASC",),
    ("tags.t DESC", "attributes.run_name ASC"),
    ("attributes.start_time ASC",),
    ("attributes.end_time DESC",),
    ("attributes.status DESC", "metrics.m ASC"),
]
COLUMNS = {"params": ("p",), "metrics": ("m",), "tags": ("t",)}


def tied_experiment(uri: str, name: str, artifact_root: str, count: int = 240) -> str:
    experiment_id = MlflowClient(tracking_uri=uri).create_experiment(name, artifact_root)
    insert_runs(uri, experiment_id, tied_runs(count))
    return experiment_id


def all_pages(reader, query: RunQuery, between_pages=None) -> list:
    rows, token = [], None
    while True:
        page = reader.search_runs(RunQuery(**{**query.__dict__, "page_token": token}))
        rows.extend(page.runs)
        token = page.next_page_token
        if not token:
            return rows
        if between_pages is not None:
            between_pages(page)


def comparable(row) -> tuple:
    metrics = {k: (None if v is None or math.isnan(v) else v) for k, v in row.metrics.items()}
    return (row.run_id, row.run_name, row.status, row.start_time, row.params, metrics, row.tags)


def check_pages_follow_mlflow_order(uri: str, experiment_id: str, order_by: tuple) -> None:
    """Small keyset pages list every run once, in exactly MLflow's order, ties included."""
    query = RunQuery(experiment_ids=(experiment_id,), order_by=order_by, page_size=7, **COLUMNS)
    reader = SqlReader(uri)
    try:
        paged = all_pages(reader, query)
    finally:
        reader.close()
    whole = ClientReader(uri).search_runs(RunQuery(**{**query.__dict__, "page_size": 1000}))
    assert [comparable(r) for r in paged] == [comparable(r) for r in whole.runs]
    assert len({r.run_id for r in paged}) == len(paged)


def check_pages_survive_concurrent_inserts(uri: str, experiment_id: str) -> None:
    """Runs inserted between pages (newer, older, and tied with the page boundary) never
    make a run that was there from the start appear twice or go missing."""
    reader = SqlReader(uri)
    before = {r.run_id for r in all_pages(reader, RunQuery(experiment_ids=(experiment_id,)))}
    rng = random.Random(3)
    inserted: list[str] = []

    def insert_some(page) -> None:
        boundary = page.runs[-1].start_time
        runs = [
            RunRow(run_id=f"{rng.getrandbits(128):032x}", name="late", start=start)
            for start in (boundary, 1_800_000_000_000, 1_600_000_000_000)
        ]
        insert_runs(uri, experiment_id, runs)
        inserted.extend(run.run_id for run in runs)

    query = RunQuery(experiment_ids=(experiment_id,), page_size=10)
    try:
        seen = [row.run_id for row in all_pages(reader, query, between_pages=insert_some)]
    finally:
        reader.close()
    assert inserted
    assert len(seen) == len(set(seen)), "a run was listed twice"
    assert before <= set(seen), "a run present from the start was skipped"
    assert set(seen) <= before | set(inserted)
