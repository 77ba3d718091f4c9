"""Champion–challenger: two registered versions evaluated on the same data with MLflow's
own ``mlflow.models.evaluate``, gated by ``MetricThreshold`` (``challenge_gate``), and
recorded as one evaluation run linked to both versions.

The evaluation run (experiment ``labtrack-challenges`` unless named) holds one nested run
per version (each ``evaluate``'s metrics, linked by MLflow to the version's logged
model), the comparison as ``labtrack/challenge.json``, and tags naming the model, both
versions and the outcome. Both versions get a signed ``labtrack.challenge`` record and
the model a signed ``challenge`` audit entry citing the run; a passed challenge can then
be promoted with the run as evidence (``promote_challenger``), which the gate checks.
"""

from __future__ import annotations

import logging
import os
import stat
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..backend.facade import domain_errors
from . import challenge_gate as gate
from .challenge_plots import as_vector, classification_view, positive_scores, regression_view
from .challenge_record import CHALLENGE_TAG, seal_challenge
from .errors import InvalidQuery, NotFound
from .loading import mlflow_pointed_at
from .names import valid_alias, valid_version

DEFAULT_EXPERIMENT = "labtrack-challenges"
MAX_DATA_BYTES = 2 << 30
RESULT_ARTIFACT = "labtrack/challenge.json"
RUN_TAG_PREFIX = "labtrack.challenge."


@dataclass(frozen=True)
class ChallengeSpec:
    model: str
    champion: str  # "@alias" or a version number
    challenger: str
    target: str
    thresholds: list[gate.Threshold] = field(default_factory=list)
    model_type: str | None = None  # regressor | classifier; None: from the target
    experiment: str = DEFAULT_EXPERIMENT


@dataclass
class MetricRow:
    name: str
    champion: float | None
    challenger: float | None
    greater_is_better: bool | None
    winner: str | None  # challenger | champion | tie | None


@dataclass
class ChallengeResult:
    model: str
    champion_version: str
    challenger_version: str
    champion_alias: str | None
    run_id: str
    experiment_id: str
    model_type: str
    target: str
    rows: int
    metrics: list[MetricRow]
    thresholds: list[str]
    failures: list[str]
    passed: bool
    view: dict

    def to_json(self) -> dict:
        return asdict(self)


def resolve(registry, model_name: str, reference: str) -> tuple[object, str | None]:
    """A version named as ``@alias`` or by number, and the alias if it was one."""
    text = str(reference).strip()
    if text.startswith("@"):
        alias = valid_alias(text[1:])
        model = registry.model(model_name)
        holder = (model.aliases or {}).get(alias)
        if holder is None:
            raise NotFound(f"model {model.name!r} has no alias {alias!r}")
        return registry.version(model_name, holder), alias
    return registry.version(model_name, valid_version(text)), None


def read_data(data):
    """A pandas DataFrame as given, or read from a CSV or Parquet file (regular files only,
    at most 2 GB)."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    if not isinstance(data, (str, Path)):
        raise InvalidQuery("--data must be a DataFrame or the path of a CSV or Parquet file")
    path = Path(data).expanduser()
    try:
        info = os.stat(path)
    except OSError as error:
        raise InvalidQuery(f"cannot read {path}: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidQuery(f"{path} is not a regular file")
    if info.st_size > MAX_DATA_BYTES:
        raise InvalidQuery(f"{path} is larger than {MAX_DATA_BYTES >> 30} GB")
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return pd.read_parquet(path)
    if suffix in (".csv", ".tsv", ".txt"):
        return pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",")
    raise InvalidQuery(f"{path}: read CSV (.csv, .tsv) or Parquet (.parquet) files")


def model_type_of(target_values) -> str:
    import pandas as pd

    series = pd.Series(target_values)
    if series.dtype == bool or series.dtype == object or str(series.dtype) == "category":
        return "classifier"
    if pd.api.types.is_integer_dtype(series) and series.nunique() <= 20:
        return "classifier"
    return "regressor"


def run_challenge(registry, spec: ChallengeSpec, data, tracking_uri: str, registry_uri: str):
    """Evaluate, gate and record one challenge; the :class:`ChallengeResult`."""
    frame = read_data(data)
    if spec.target not in frame.columns:
        raise InvalidQuery(f"the data has no column {spec.target!r} (--target)")
    if len(frame) == 0:
        raise InvalidQuery("the data has no rows")
    champion, alias = resolve(registry, spec.model, spec.champion)
    challenger, _ = resolve(registry, spec.model, spec.challenger)
    if str(champion.version) == str(challenger.version):
        raise InvalidQuery(f"champion and challenger are both version {champion.version}")
    model_type = spec.model_type or model_type_of(frame[spec.target])
    if model_type not in gate.HEADLINE:
        raise InvalidQuery(f"model type must be regressor or classifier, not {model_type!r}")
    thresholds = spec.thresholds or gate.default_thresholds(model_type)
    with mlflow_pointed_at(tracking_uri, registry_uri), _quiet():
        evaluation = _evaluate(spec, frame, champion, challenger, model_type)
    metrics = _rows(evaluation["champion"].metrics, evaluation["challenger"].metrics)
    failures = gate.check(thresholds, evaluation["challenger"], evaluation["champion"])
    missing = {t.metric for t in thresholds} - {row.name for row in metrics}
    failures += [f"Metric {name} was not computed for a {model_type}." for name in sorted(missing)]
    result = ChallengeResult(
        model=champion.name,
        champion_version=str(champion.version),
        challenger_version=str(challenger.version),
        champion_alias=alias,
        run_id=evaluation["run_id"],
        experiment_id=evaluation["experiment_id"],
        model_type=model_type,
        target=spec.target,
        rows=len(frame),
        metrics=metrics,
        thresholds=[t.text() for t in thresholds],
        failures=failures,
        passed=not failures,
        view=evaluation["view"],
    )
    _record(registry, result, thresholds[0].metric)
    return result


def _evaluate(spec, frame, champion, challenger, model_type: str) -> dict:
    import mlflow

    features = frame.drop(columns=[spec.target])
    name = f"challenge {champion.name} v{challenger.version} vs v{champion.version}"
    results, answers, scores = {}, {}, {}
    active = mlflow.active_run()
    # Inside a run (a tracked cell), the evaluation nests under it; otherwise it goes to
    # its own experiment, without changing the notebook's active experiment.
    experiment_id = None if active else _experiment_id(spec.experiment)
    with mlflow.start_run(
        run_name=name, nested=active is not None, experiment_id=experiment_id
    ) as parent:
        for role, version in (("champion", champion), ("challenger", challenger)):
            uri = f"models:/{version.name}/{version.version}"
            loaded = mlflow.pyfunc.load_model(uri)
            answers[role] = as_vector(loaded.predict(features))
            if model_type == "classifier":
                scores[role] = positive_scores(loaded, features)
            with mlflow.start_run(
                run_name=f"{role} v{version.version}",
                nested=True,
                experiment_id=parent.info.experiment_id,
            ):
                mlflow.set_tags({f"{RUN_TAG_PREFIX}role": role, "labtrack.model.version": uri})
                results[role] = mlflow.models.evaluate(
                    loaded,
                    frame,
                    targets=spec.target,
                    model_type=model_type,
                    evaluator_config={"log_model_explainability": False},
                    model_id=getattr(version, "model_id", None) or None,
                )
        truth = frame[spec.target].to_numpy()
        if model_type == "regressor":
            view = regression_view(truth, answers["champion"], answers["challenger"])
        else:
            usable = {k: v for k, v in scores.items() if v is not None}
            curves = usable if len(usable) == 2 else None
            view = classification_view(truth, answers["champion"], answers["challenger"], curves)
    return {
        **results,
        "run_id": parent.info.run_id,
        "experiment_id": parent.info.experiment_id,
        "view": view,
    }


def _experiment_id(name: str) -> str:
    import mlflow

    client = mlflow.MlflowClient()
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    try:
        return client.create_experiment(name)
    except Exception:  # another kernel created it meanwhile
        found = client.get_experiment_by_name(name)
        if found is None:
            raise
        return found.experiment_id


def _rows(champion: dict, challenger: dict) -> list[MetricRow]:
    rows = []
    for name in sorted(set(champion) | set(challenger)):
        a, b = _number(champion.get(name)), _number(challenger.get(name))
        if a is None and b is None:
            continue
        rows.append(
            MetricRow(name, a, b, gate.GREATER_IS_BETTER.get(name), gate.winner(name, b, a))
        )
    headline = set(gate.HEADLINE.values())
    return sorted(rows, key=lambda r: (r.name not in headline, r.winner is None, r.name))


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _record(registry, result: ChallengeResult, headline: str) -> None:
    """Tags on the evaluation run, the comparison as its artifact, the signed records on
    both versions and the audit entry."""
    client = registry.client
    outcome = "passed" if result.passed else "failed"
    by_name = {row.name: row for row in result.metrics}
    row = by_name.get(headline)
    tags = {
        f"{RUN_TAG_PREFIX}model": result.model,
        f"{RUN_TAG_PREFIX}champion": result.champion_version,
        f"{RUN_TAG_PREFIX}challenger": result.challenger_version,
        f"{RUN_TAG_PREFIX}outcome": outcome,
        f"{RUN_TAG_PREFIX}thresholds": ", ".join(result.thresholds)[:5000],
    }
    with domain_errors():
        for key, value in tags.items():
            client.set_tag(result.run_id, key, value)
        client.log_dict(result.run_id, result.to_json(), RESULT_ARTIFACT)
        for role, number, opponent in (
            ("challenger", result.challenger_version, result.champion_version),
            ("champion", result.champion_version, result.challenger_version),
        ):
            values = (row.challenger, row.champion) if row else (None, None)
            mine, theirs = values if role == "challenger" else values[::-1]
            value = seal_challenge(
                registry.signer,
                result.model,
                number,
                run_id=result.run_id,
                role=role,
                opponent=opponent,
                passed=result.passed,
                metric=headline,
                value=mine,
                opponent_value=theirs,
            )
            client.set_model_version_tag(result.model, number, CHALLENGE_TAG, value)
    registry._record(
        action="challenge",
        model=result.model,
        version=result.challenger_version,
        before=result.champion_version,
        after=outcome,
        reason="; ".join(result.thresholds),
        evidence=result.run_id,
    )


def promote_challenger(registry, result: ChallengeResult, reason: str = ""):
    """Move the champion's alias to the challenger, citing the evaluation run; only for a
    passed challenge whose champion was named by its alias (the gate checks again)."""
    if not result.passed:
        raise InvalidQuery(
            f"version {result.challenger_version} did not pass: {'; '.join(result.failures)}"
        )
    if not result.champion_alias:
        raise InvalidQuery("name the champion by its alias (--champion @ALIAS) to promote")
    why = (
        reason
        or f"won challenge against v{result.champion_version} ({', '.join(result.thresholds)})"
    )
    return registry.promote(
        result.model,
        result.challenger_version,
        alias=result.champion_alias,
        reason=why,
        evidence=result.run_id,
    )


class _quiet:
    """MLflow's evaluation logs and warns at length; a notebook wants the result."""

    def __enter__(self):
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")
        self._loggers = [logging.getLogger(n) for n in ("mlflow", "mlflow.models.evaluation")]
        self._levels = [logger.level for logger in self._loggers]
        for logger in self._loggers:
            logger.setLevel(logging.ERROR)
        return self

    def __exit__(self, *exc):
        for logger, level in zip(self._loggers, self._levels, strict=True):
            logger.setLevel(level)
        self._warnings.__exit__(*exc)
        return False
