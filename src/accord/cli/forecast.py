"""``accord forecast``: where talks will end, by model, with uncertainty; and backtests.

``accord forecast DATA`` runs one model on an actor file (BDM CSV, KTAB CSV or an
Accord scenario); ``accord forecast backtest DATA`` scores every model against the
real outcomes in a DEU III table.
"""

from __future__ import annotations

import argparse
import contextlib
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from accord.cli.arguments import rounds, seed
from accord.cli.outputs import add_force, refuse_to_overwrite
from accord.cli.progress import ProgressBar
from accord.cli.shown import json_text, literal, shown
from accord.cli.wording import counted
from accord.errors import AccordError, ArgumentError, ForecastDataError
from accord.forecast.actors import ForecastResult
from accord.forecast.models import FORECAST_MODELS, run_model
from accord.forecast.sensitivity import SensitivityResult, Uncertainty, outside_interval_notes, sensitivity
from accord.forecast.settings import parse_assignments

__all__ = ["BACKTEST_MODELS", "register"]

#: What ``accord forecast backtest`` scores by default, in this order. Names after a
#: slash are presets; ``spatial`` is skipped when its module is not installed.
BACKTEST_MODELS = (
    "compromise",
    "compromise/square-root-capability",
    "median",
    "spatial",
    "expected-utility",
    "expected-utility/published",
    "expected-utility/scholz-mean",
)


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "forecast",
        help="forecast where talks end (compromise, median, spatial, expected-utility)",
        description=(
            "Forecast the outcome on each dimension from actors' positions, saliences and "
            "capabilities; or, as `accord forecast backtest DATA`, score every model against "
            "real outcomes."
        ),
        usage="accord forecast [backtest] DATA [options]",
    )
    parser.add_argument(
        "words",
        nargs="+",
        metavar="DATA",
        help="actor file (.csv BDM or KTAB, .yaml/.json scenario); `backtest DATA` for a DEU III table",
    )
    parser.add_argument(
        "--model",
        choices=sorted(FORECAST_MODELS),
        default="compromise",
        help="the forecasting model (default %(default)s)",
    )
    parser.add_argument(
        "--preset",
        help=(
            "named settings (expected-utility: scholz, published, scholz-mean; "
            "compromise: square-root-capability)"
        ),
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="settings",
        help=(
            "a setting of the spatial or expected-utility model, by KTAB's name or the model's own "
            "(e.g. VictoryProbModel=Linear, PCEModel=Conditional, probability_denominator=contest); "
            "repeatable; applies over the data file's own settings (see docs: forecast models)"
        ),
    )
    parser.add_argument("--rounds", type=rounds, help="rounds to run (spatial: the most rounds)")
    parser.add_argument("--samples", type=int, default=0, help="Monte Carlo samples (0: none)")
    parser.add_argument("--seed", type=seed, default=0, help="seed of the Monte Carlo samples")
    defaults = Uncertainty()
    parser.add_argument(
        "--position-uncertainty",
        type=float,
        default=defaults.position,
        help="± fraction of the range of positions held (default %(default)s)",
    )
    parser.add_argument(
        "--salience-uncertainty",
        type=float,
        default=defaults.salience,
        help="± on the 0–1 salience scale (default %(default)s)",
    )
    parser.add_argument(
        "--capability-uncertainty",
        type=float,
        default=defaults.capability,
        help="± fraction of each capability (default %(default)s)",
    )
    parser.add_argument("--models", help="backtest: comma-separated models (name or name/preset)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--plot", metavar="FILE", help="write a figure (positions over rounds, samples)")
    add_force(parser)
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    words: list[str] = arguments.words
    if words[0] == "backtest" and len(words) == 2:
        for option, given in (
            ("--plot", arguments.plot),
            ("--preset", arguments.preset),
            ("--rounds", arguments.rounds),
            ("--samples", arguments.samples),
        ):
            if given:
                raise ArgumentError(
                    option, "applies to one forecast (`accord forecast DATA`), not to a backtest"
                )
        return run_backtest(arguments, words[1])
    if len(words) != 1:
        raise ArgumentError("DATA", "expected one data file, or `backtest DATA`")
    if arguments.models:
        raise ArgumentError(
            "--models",
            "chooses the models of a backtest (`accord forecast backtest DATA`); one forecast takes --model",
        )
    refuse_to_overwrite([arguments.plot], force=arguments.force)
    return run_forecast(arguments, words[0])


def _list(values: np.ndarray) -> list[float]:
    return [float(value) for value in np.asarray(values, dtype=float).ravel()]


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def forecast_document(
    result: ForecastResult, *, source: str, preset: str | None, sampled: SensitivityResult | None
) -> dict[str, Any]:
    """The JSON document of ``accord forecast --json``."""
    rounds = []
    for index, state in enumerate(result.rounds):
        entry: dict[str, Any] = {
            "round": index,
            "positions": {actor: _list(state.positions[row]) for row, actor in enumerate(result.actors)},
        }
        if state.median is not None:
            entry["median"] = _list(state.median)
        if state.mean is not None:
            entry["mean"] = _list(state.mean)
        entry.update(_jsonable(state.extra))
        rounds.append(entry)
    document: dict[str, Any] = {
        "model": result.model,
        "preset": preset,
        "source": source,
        "actors": list(result.actors),
        "dimensions": list(result.dimensions),
        "forecast": _list(result.forecast),
        "rounds": rounds,
        "settings": _jsonable(result.settings),
    }
    if sampled is not None:
        document["interval"] = {
            "level": sampled.level,
            "low": _list(sampled.low),
            "high": _list(sampled.high),
            "median": _list(sampled.median),
            "samples": len(sampled.forecasts),
            "seed": sampled.seed,
        }
        document["notes"] = outside_interval_notes(result.forecast, sampled)
    return document


def run_forecast(arguments: argparse.Namespace, path: str) -> int:
    from accord.forecast.readers import load_actor_table

    table = load_actor_table(path)
    settings = parse_assignments(arguments.settings)
    result = run_model(
        arguments.model, table, preset=arguments.preset, rounds=arguments.rounds, settings=settings
    )
    sampled = None
    if arguments.samples < 0:
        raise ArgumentError("--samples", f"must not be negative, got {arguments.samples}")
    if arguments.samples > 0:
        uncertainty = Uncertainty(
            position=arguments.position_uncertainty,
            salience=arguments.salience_uncertainty,
            capability=arguments.capability_uncertainty,
        )
        with ProgressBar("Monte Carlo samples", enabled=not arguments.json) as progress:
            sampled = sensitivity(
                table,
                arguments.model,
                samples=arguments.samples,
                seed=arguments.seed,
                uncertainty=uncertainty,
                preset=arguments.preset,
                rounds=arguments.rounds,
                settings=settings,
                progress=progress.advance,
            )
    if arguments.plot:
        from accord.reports.forecast_plots import save_forecast_figure

        try:
            save_forecast_figure(result, arguments.plot, sampled, table=table, colours=_colours(path, table))
        except (OSError, ValueError) as error:
            raise ForecastDataError(arguments.plot, "--plot", f"cannot write the figure ({error})") from None
    if arguments.json:
        document = forecast_document(result, source=path, preset=arguments.preset, sampled=sampled)
        print(json_text(document, indent=1))
        return 0
    console = Console(highlight=False)
    # the heading is a line of its own: a table's title wraps at the table's width, breaking paths
    heading = f"{result.model} forecast for {literal(path)} ({counted(len(result.rounds) - 1, 'round')})"
    console.print(heading, markup=False, soft_wrap=True)
    output = Table()
    output.add_column("dimension", no_wrap=True, overflow="fold")
    output.add_column("forecast", justify="right")
    if sampled is not None:
        output.add_column("sample median", justify="right")
        output.add_column(f"{sampled.level:.0%} interval", justify="right")
    for index, dimension in enumerate(result.dimensions):
        cells = [shown(dimension), f"{result.forecast[index]:.2f}"]
        if sampled is not None:
            cells += [
                f"{sampled.median[index]:.2f}",
                f"{sampled.low[index]:.2f} – {sampled.high[index]:.2f}",
            ]
        output.add_row(*cells)
    console.print(output)
    if sampled is not None:
        for note in outside_interval_notes(result.forecast, sampled):
            console.print(f"Note: {shown(note)}")
    return 0


def _colours(path: str, table: Any) -> dict[str, str]:
    """One colour per party, in the scenario's order when the data is a scenario file (as its
    session reports colour them), else in the table's."""
    from accord.reports.palette import party_colours

    names = list(table.actors)
    if path.lower().endswith((".yaml", ".yml", ".json")):
        from accord.io import load_scenario

        with contextlib.suppress(
            AccordError
        ):  # an actor file that is not a whole scenario: the table's order
            names = [party.name for party in load_scenario(path).parties] + names
    return party_colours(names)


def _available(model: str) -> bool:
    import importlib.util

    name = model.partition("/")[0]
    module_name = FORECAST_MODELS[name].split(":")[0]
    return importlib.util.find_spec(module_name) is not None


def run_backtest(arguments: argparse.Namespace, path: str) -> int:
    from accord.forecast.backtest import backtest
    from accord.forecast.readers import read_backtest_issues

    if arguments.settings:
        raise ArgumentError(
            "--set", "sets one model's settings for `accord forecast DATA`, not in a backtest"
        )
    if arguments.models:
        models = [model.strip() for model in arguments.models.split(",") if model.strip()]
        for model in models:
            if model.partition("/")[0] not in FORECAST_MODELS:
                raise ArgumentError("--models", f"unknown model {model!r}")
    else:
        models = [model for model in BACKTEST_MODELS if _available(model)]
    issues = read_backtest_issues(path)
    with ProgressBar("Backtest", enabled=not arguments.json) as progress:
        scores = backtest(models, issues, progress=progress.advance)
    if arguments.json:
        document = {
            "source": path,
            "models": {score.model: {"mae": score.mean_absolute_error, "n": score.count} for score in scores},
        }
        print(json_text(document, indent=1))
        return 0
    console = Console(highlight=False)
    heading = f"Mean absolute error against real outcomes: {literal(path)}"
    console.print(heading, markup=False, soft_wrap=True)
    output = Table()
    output.add_column("model", no_wrap=True, overflow="fold")
    output.add_column("MAE", justify="right")
    output.add_column("issues", justify="right")
    for score in scores:
        output.add_row(shown(score.model), f"{score.mean_absolute_error:.2f}", str(score.count))
    console.print(output)
    return 0
