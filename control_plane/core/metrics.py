"""powertools Metrics (CloudWatch EMF): business counters of the control plane.

Counters are added during a request and flushed once at its end by the app's middleware
(and by scheduled functions), as one EMF JSON line on stdout. Dimension: service only;
tenant ids would explode the metric count, so they go into metadata.
"""

from __future__ import annotations

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

NAMESPACE = "ProBox"

metrics = Metrics(namespace=NAMESPACE, service="probox-control-plane")


def count(name: str, value: int = 1) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def flush() -> None:
    """Publish what this request counted (nothing when it counted nothing)."""
    if metrics.metric_set:
        metrics.flush_metrics()
    else:
        metrics.clear_metrics()
