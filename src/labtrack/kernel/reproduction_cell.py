"""The cell ``%track reproduce`` inserts, built from validated parts of a run's record.

A run's tags are untrusted: any client may have written them. The first line is rebuilt
from the recorded ``%%track`` line only after it parses as ``%%track`` options (with the
magic's own parser), option by option, none of its values holding what IPython would
expand in a magic line (``$name``, ``{expression}``) or a control character, and only if
the rebuilt line parses back to the same options; anything else is left out, with a
note. Params go into a comment as JSON strings, so no value can end the
comment. The recorded cell source follows as it was: it is inserted, never run.
"""

from __future__ import annotations

import json
import re
from argparse import Namespace

from .. import tags as T

MAGIC = "%%track"
MAX_MAGIC_CHARS = 2000
MAX_PARAM_CHARS = 200
_UNSAFE_VALUE = re.compile(r"[$`{}\x00-\x1f\x7f\u2028\u2029]")
_RUN_ID = re.compile(r"^[0-9A-Za-z][\w\-]{0,127}$")
_PLAIN = re.compile(r"[\w.+\-:/@]{1,200}", re.ASCII)


def reproduction_cell(run, source: str, parser) -> tuple[str, list[str]]:
    """The cell text, and notes on what was left out of the magic line. ``parser`` is
    the ``%%track`` magic's argument parser (``magics.track.parser``)."""
    notes: list[str] = []
    magic = magic_line(run.data.tags.get(T.MAGIC_LINE), parser, notes)
    run_id = run.info.run_id if _RUN_ID.match(str(run.info.run_id)) else "(malformed id)"
    note = f"# reproduces run {run_id}"
    params = sorted(run.data.params.items())
    if params:
        shown = ", ".join(f"{_literal(k)}={_literal(v)}" for k, v in params)
        note += f" (params: {shown})"
    return f"{magic}\n{note}\n{source.rstrip()}\n", notes


def magic_line(recorded, parser, notes: list[str]) -> str:
    """``%%track`` plus the recorded options that parse and are safe to show."""
    if not recorded:
        return MAGIC
    text = str(recorded)
    if len(text) > MAX_MAGIC_CHARS or "\n" in text or "\r" in text:
        notes.append("the recorded magic line is not one short line; using plain %%track")
        return MAGIC
    if text != MAGIC and not text.startswith(MAGIC + " "):
        notes.append(f"the recorded magic line is not a %%track line ({_literal(text[:60])})")
        return MAGIC
    try:
        options = parser.parse_argstring(text[len(MAGIC) :])
    except BaseException as error:  # UsageError, SystemExit: the line does not parse
        if isinstance(error, KeyboardInterrupt):
            raise
        notes.append("the recorded %%track options do not parse; using plain %%track")
        return MAGIC
    dropped = len(notes)
    words = _words(parser, options, notes)
    rebuilt = " ".join([MAGIC, *words])
    try:
        again = parser.parse_argstring(rebuilt[len(MAGIC) :])
    except BaseException as error:  # never expected: every word was quoted
        if isinstance(error, KeyboardInterrupt):
            raise
        again = None
    # Nothing left out: the rebuilt line must mean exactly what the recorded one did.
    if again is None or (len(notes) == dropped and again != options):
        notes.append("the recorded %%track options could not be rebuilt; using plain %%track")
        return MAGIC
    return rebuilt


def _words(parser, options: Namespace, notes: list[str]) -> list[str]:
    words: list[str] = []
    for action in parser._actions:
        if not action.option_strings or action.dest == "help":
            continue
        value = getattr(options, action.dest, action.default)
        if value == action.default:
            continue
        flag = (
            action.option_strings[-1]
            if action.option_strings[-1].startswith("--")
            else action.option_strings[0]
        )
        if action.nargs == 0:  # store_true / store_false
            words.append(flag)
            continue
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            if _UNSAFE_VALUE.search(str(item)):
                shown = _literal(str(item)[:60])
                notes.append(f"left out {flag} {shown}: it holds $, {{, }} or a control character")
                continue
            # As the magic's own tokenizer gave it (IPython keeps quotes in the value), so
            # it tokenizes back the same; the round trip in ``magic_line`` checks that.
            words += [flag, str(item)]
    return words


def _literal(value) -> str:
    """A value as it reads in a comment: plain when it is a simple word (``0.1``,
    ``adam``), else a JSON string (ASCII only, so no line break survives it)."""
    text = str(value)
    if len(text) > MAX_PARAM_CHARS:
        text = text[:MAX_PARAM_CHARS] + "…"
    if _PLAIN.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=True)
