"""`python tests/contract/render_chart.py CHART_DIR [VALUES_JSON]`: the chart rendered by Helm's own template
engine (helm-python-sdk binds Helm v4's Go SDK), its lint findings and its manifests as one JSON object on stdout.

Run in a child process by the contract test: the Go runtime inside the library stays out of the pytest process
(its signal handling and threads), and a crash there fails one test instead of the run.
"""

from __future__ import annotations

import json
import sys

import helm_python as helm


def main(chart_dir: str, values_json: str | None) -> None:
    values = json.loads(values_json) if values_json else None
    lint = helm.lint(chart_dir)
    with helm.Chart.load(chart_dir) as chart:
        manifests = chart.render(values, name="mv", namespace="mspvault")
    json.dump({"lint": lint, "manifests": manifests}, sys.stdout, default=str)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
