"""Figures of the documentation's benchmark pages, from the benchmarks' output.

``speedup.py`` and ``peers.py`` print Markdown tables; this script reads such
output (saved to a file) and draws accuracy against fit seconds, one point per
dataset and model, seconds on a log scale, into ``docs/_static/figures/``:

* ``suite.png``: the defaults of an earlier commit and of this checkout
  (``speedup.py``), a line from each dataset's earlier point to its present one;
* ``peers.png``: our defaults and the peers (``peers.py``);
* ``forecasting.png`` (``--forecasting``, which fits): Airline's last 24
  months, forecast from the end of the 120 before by the setting
  docs/forecasting.md recommends (``forecasting.py``'s, seed 0) and by the
  seasonal naive forecast, beside the truth.

Run: python -m benchmarks.tools.figures [--speedup speedup.txt] [--peers peers.txt]
     [--forecasting]   (plot and datasets extras)
"""

import argparse
import re
from pathlib import Path

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt

FIGURES = Path(__file__).resolve().parents[2] / "docs" / "_static" / "figures"
# "0.971 (0.967-0.980)" or "0.971": the mean before any range.
MEAN = re.compile(r"^\s*([0-9.]+)")


def table_rows(text):
    """The cells of each Markdown table row of ``text`` but the header and rule."""
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("| ")
    ]
    return [row for row in rows[1:] if not row[0].startswith("---")]


def _readable_seconds(axes):
    """Plain numbers on the log-scaled seconds axis (1, 10, 100, not 10^1)."""
    axes.xaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
    axes.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())


def suite_figure(text, path):
    """Accuracy against seconds per fit, earlier and present defaults."""
    rows = [row for row in table_rows(text) if row[0] != "Covid3Month"]
    figure, axes = plt.subplots(figsize=(7, 4.5), layout="constrained")
    for row in rows:
        name = row[0]
        before = float(row[3]), float(MEAN.match(row[2]).group(1))
        now = float(row[6]), float(MEAN.match(row[5]).group(1))
        axes.annotate(
            "", xy=now, xytext=before, arrowprops={"arrowstyle": "->", "lw": 0.8}
        )
        axes.scatter(*before, color="tab:gray", zorder=3)
        axes.scatter(*now, color="tab:blue", zorder=3)
        axes.annotate(name, now, textcoords="offset points", xytext=(5, 3), fontsize=8)
    axes.scatter([], [], color="tab:gray", label="0.1 defaults")
    axes.scatter([], [], color="tab:blue", label="the one-cycle defaults")
    axes.set_xscale("log")
    axes.set_xlabel("seconds per fit (2-core CPU, one thread; log scale)")
    axes.set_ylabel("test accuracy (mean of 3 seeds)")
    axes.legend(loc="best")
    _readable_seconds(axes)
    figure.savefig(path, dpi=110)


def peers_figure(text, path):
    """Accuracy against seconds per fit, per library and dataset."""
    points = {}
    classification = text.split("\nAirline")[0]  # not the forecasting errors
    for line in classification.splitlines():
        match = re.match(r"\s+(.+?):\s+([0-9.]+), ([0-9.]+) s", line)
        if match:
            model, accuracy, seconds = match.groups()
            points.setdefault(model, []).append((float(seconds), float(accuracy)))
    figure, axes = plt.subplots(figsize=(7, 4.5), layout="constrained")
    for model, values in points.items():
        seconds, accuracy = zip(*values, strict=True)
        axes.scatter(seconds, accuracy, label=model)
    axes.set_xscale("log")
    axes.set_xlabel("seconds per fit (2-core CPU, one thread; log scale)")
    axes.set_ylabel("test accuracy")
    axes.legend(fontsize=8, loc="best")
    _readable_seconds(axes)
    figure.savefig(path, dpi=110)


def forecasting_figure(path, n_test=24):
    """Airline's test months: the truth, the recommended forecaster and the
    seasonal naive forecast, from a fixed origin."""
    from forecasting import mae, recommended_forecaster, seasonal_naive

    from sklearn_rnn.datasets import load_airline

    y = load_airline()
    train, truth = y.iloc[:-n_test], y.iloc[-n_test:]
    network = recommended_forecaster(0).fit(train).forecast(n_test)
    naive = seasonal_naive(train.to_numpy(), n_test)
    figure, axes = plt.subplots(figsize=(7, 3.5), layout="constrained")
    months = y.index.to_timestamp()
    axes.plot(months, y.to_numpy(), color="black", lw=1, label="passengers")
    axes.plot(
        months[-n_test:],
        network.to_numpy(),
        label=f"RNNForecaster, recommended setting (MAE {mae(truth, network):.1f})",
    )
    axes.plot(
        months[-n_test:],
        naive,
        ls="--",
        label=f"seasonal naive (MAE {mae(truth, naive):.1f})",
    )
    axes.axvline(months[-n_test], color="gray", lw=0.8)
    axes.set_ylabel("passengers (thousands)")
    axes.legend(fontsize=8, loc="upper left")
    figure.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speedup", type=Path)
    parser.add_argument("--peers", type=Path)
    parser.add_argument("--forecasting", action="store_true")
    args = parser.parse_args()
    FIGURES.mkdir(parents=True, exist_ok=True)
    if args.speedup:
        suite_figure(args.speedup.read_text(), FIGURES / "suite.png")
    if args.peers:
        peers_figure(args.peers.read_text(), FIGURES / "peers.png")
    if args.forecasting:
        forecasting_figure(FIGURES / "forecasting.png")


if __name__ == "__main__":
    main()
