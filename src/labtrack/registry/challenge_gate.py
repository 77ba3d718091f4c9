"""The gate of a champion–challenger evaluation: thresholds as people write them, checked
by MLflow's own ``MetricThreshold`` and ``validate_evaluation_results``.

``r2_score:+0.01``   the challenger beats the champion by at least 0.01
``r2_score:+2%``     … by at least 2 % of the champion's value
``r2_score:+0``      … is at least as good (the default, on the headline metric)
``r2_score:>=0.8``   the challenger's value is at least 0.8 (``<=`` for error metrics)

"Beats" follows the metric's direction: for an error (``mean_absolute_error``) it means
lower. Each threshold is one ``MetricThreshold``; MLflow's validation decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import InvalidQuery

# Whether a larger value is better, for the metrics MLflow's default evaluator logs.
GREATER_IS_BETTER = {
    "r2_score": True,
    "score": True,
    "accuracy_score": True,
    "roc_auc": True,
    "precision_recall_auc": True,
    "f1_score": True,
    "f1_score_micro": True,
    "f1_score_macro": True,
    "precision_score": True,
    "recall_score": True,
    "precision": True,
    "recall": True,
    "mean_absolute_error": False,
    "mean_squared_error": False,
    "root_mean_squared_error": False,
    "max_error": False,
    "mean_absolute_percentage_error": False,
    "log_loss": False,
}
HEADLINE = {"regressor": "r2_score", "classifier": "accuracy_score"}
# Counts and sums that are the same for both models: no winner.
NOT_COMPARED = {"example_count", "sum_on_target", "mean_on_target"}
_SPEC = re.compile(
    r"^(?P<metric>[A-Za-z_][\w.]*):(?P<rule>\+|>=|<=)(?P<value>[0-9.eE+-]+)(?P<pct>%?)$"
)


@dataclass(frozen=True)
class Threshold:
    metric: str
    rule: str  # "+" (beat the champion by), ">=" / "<=" (an absolute bound)
    value: float
    relative: bool = False

    @property
    def greater_is_better(self) -> bool:
        return GREATER_IS_BETTER[self.metric]

    def text(self) -> str:
        suffix = "%" if self.relative else ""
        shown = self.value * 100 if self.relative else self.value
        return f"{self.metric}:{self.rule}{shown:g}{suffix}"

    def mlflow_threshold(self):
        from mlflow.models import MetricThreshold

        better = self.greater_is_better
        if self.rule in (">=", "<="):
            return MetricThreshold(threshold=self.value, greater_is_better=better)
        if self.relative or self.value == 0:
            # MLflow wants a positive absolute change; "+0" is a relative change of 0.
            return MetricThreshold(min_relative_change=float(self.value), greater_is_better=better)
        return MetricThreshold(min_absolute_change=self.value, greater_is_better=better)


def parse_threshold(text: str) -> Threshold:
    match = _SPEC.match((text or "").strip())
    if not match:
        raise InvalidQuery(
            f"cannot read threshold {text!r}: use METRIC:+0.01, METRIC:+2%, METRIC:>=0.8 "
            "or METRIC:<=100"
        )
    metric, rule = match["metric"], match["rule"]
    if metric not in GREATER_IS_BETTER:
        known = ", ".join(sorted(GREATER_IS_BETTER))
        raise InvalidQuery(f"unknown metric {metric!r} for a threshold; known: {known}")
    try:
        value = float(match["value"])
    except ValueError:
        raise InvalidQuery(f"threshold {text!r}: {match['value']!r} is not a number") from None
    relative = bool(match["pct"])
    if relative:
        if rule != "+":
            raise InvalidQuery(f"threshold {text!r}: a percentage goes with '+' only")
        value /= 100
        if not 0 <= value <= 1:
            raise InvalidQuery(f"threshold {text!r}: the percentage must be 0 to 100")
    if rule == "+" and value < 0:
        raise InvalidQuery(f"threshold {text!r}: the margin must not be negative")
    direction = GREATER_IS_BETTER[metric]
    if rule in (">=", "<=") and (rule == ">=") != direction:
        better = "higher" if direction else "lower"
        raise InvalidQuery(
            f"threshold {text!r}: {metric} is better {better}, so its bound is "
            f"{'>=' if direction else '<='}"
        )
    return Threshold(metric=metric, rule=rule, value=value, relative=relative)


def default_thresholds(model_type: str) -> list[Threshold]:
    """Without ``--threshold``: the challenger is at least as good on the headline metric."""
    return [Threshold(HEADLINE[model_type], "+", 0.0)]


def check(thresholds: list[Threshold], challenger_result, champion_result) -> list[str]:
    """MLflow's ``validate_evaluation_results`` of the challenger's ``EvaluationResult``
    against the champion's: the failures, one line each with the numbers (empty: the gate
    passes)."""
    import mlflow
    from mlflow.models.evaluation.validation import ModelValidationFailedException

    wanted = {t.metric: t.mlflow_threshold() for t in thresholds}
    try:
        mlflow.validate_evaluation_results(wanted, challenger_result, champion_result)
    except ModelValidationFailedException as failed:
        text = str(getattr(failed, "message", failed))
        return [line.strip() for line in re.split(r"\n|(?<=\.) (?=Metric )", text) if line.strip()]
    return []


def winner(metric: str, challenger: float | None, champion: float | None) -> str | None:
    """ "challenger", "champion", "tie", or None (not comparable)."""
    if metric in NOT_COMPARED or metric not in GREATER_IS_BETTER:
        return None
    if challenger is None or champion is None:
        return None
    if challenger == champion:
        return "tie"
    better = challenger > champion if GREATER_IS_BETTER[metric] else challenger < champion
    return "challenger" if better else "champion"
