"""What the comparison view draws, computed once in the kernel from both models' answers.

Regressors: predicted value against residual, per model, on the same rows; classifiers
with probabilities: ROC and precision–recall curves; both: on how many rows each model
is the closer (or the only correct) one. Curves and scatters are thinned to a few
thousand points, so a large evaluation set costs the notebook what a small one does.
"""

from __future__ import annotations

import math

import numpy as np

MAX_POINTS = 1500
MAX_CURVE_POINTS = 300


def _list(values) -> list[float | None]:
    return [float(v) if math.isfinite(v) else None for v in np.asarray(values, dtype=float)]


def _thin(count: int, limit: int) -> np.ndarray:
    if count <= limit:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, limit).astype(int))


def as_vector(predictions) -> np.ndarray:
    """A model's answers as one column (a DataFrame's first column, a list, a Series)."""
    if hasattr(predictions, "iloc") and getattr(predictions, "ndim", 1) == 2:
        predictions = predictions.iloc[:, 0]
    array = np.asarray(predictions)
    return array.reshape(len(array), -1)[:, 0] if array.ndim > 1 else array


def regression_view(y, champion, challenger) -> dict:
    y = np.asarray(y, dtype=float)
    rows = _thin(len(y), MAX_POINTS)
    residuals = {}
    errors = {}
    for role, predicted in (("champion", champion), ("challenger", challenger)):
        predicted = np.asarray(predicted, dtype=float)
        residuals[role] = {
            "predicted": _list(predicted[rows]),
            "residual": _list((y - predicted)[rows]),
        }
        errors[role] = np.abs(y - predicted)
    return {
        "kind": "regressor",
        "residuals": residuals,
        "wins": _wins(
            errors["challenger"] < errors["champion"], errors["challenger"] > errors["champion"]
        ),
        "shown_rows": len(rows),
        "rows": len(y),
    }


def classification_view(y, champion, challenger, scores: dict | None = None) -> dict:
    y = np.asarray(y)
    right = {"champion": np.asarray(champion) == y, "challenger": np.asarray(challenger) == y}
    view = {
        "kind": "classifier",
        "wins": _wins(
            right["challenger"] & ~right["champion"], right["champion"] & ~right["challenger"]
        ),
        "rows": len(y),
    }
    if scores and len(np.unique(y)) == 2:
        view.update(_curves(y, scores))
    return view


def _curves(y, scores: dict) -> dict:
    from sklearn.metrics import auc, precision_recall_curve, roc_curve

    positive = np.unique(y)[1]
    truth = (y == positive).astype(int)
    roc, pr = {}, {}
    for role, score in scores.items():
        fpr, tpr, _ = roc_curve(truth, score)
        precision, recall, _ = precision_recall_curve(truth, score)
        keep = _thin(len(fpr), MAX_CURVE_POINTS)
        roc[role] = {"x": _list(fpr[keep]), "y": _list(tpr[keep]), "area": float(auc(fpr, tpr))}
        keep = _thin(len(recall), MAX_CURVE_POINTS)
        pr[role] = {
            "x": _list(recall[keep]),
            "y": _list(precision[keep]),
            "area": float(auc(recall, precision)),
        }
    return {"roc": roc, "pr": pr, "positive": str(positive)}


def _wins(challenger_better, champion_better) -> dict:
    challenger = int(np.count_nonzero(challenger_better))
    champion = int(np.count_nonzero(champion_better))
    return {
        "challenger": challenger,
        "champion": champion,
        "tie": int(len(challenger_better) - challenger - champion),
    }


def positive_scores(model, features) -> np.ndarray | None:
    """The probability of the positive class, when the model underneath offers one."""
    try:
        raw = model.get_raw_model()
    except Exception:  # a flavour without a raw model
        return None
    predict_proba = getattr(raw, "predict_proba", None)
    if predict_proba is None:
        return None
    try:
        probabilities = np.asarray(predict_proba(features))
    except Exception:  # the raw model wants another input shape
        return None
    if probabilities.ndim != 2 or probabilities.shape[1] != 2:
        return None
    return probabilities[:, 1]
