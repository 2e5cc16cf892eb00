"""HTTP on the worker's web port: /metrics, /healthz, /readyz (CONTRACT.md, "HTTP")."""

from __future__ import annotations

from typing import Any

import faust
from faust.web import Request, Response, View

from service.stream.agents import Services


def register_views(app: faust.App, services: Services) -> None:
    metrics = services.metrics

    @app.page("/metrics", name="metrics")
    async def metrics_page(web: View, request: Request) -> Response:
        # aiohttp refuses a charset inside content_type=, so the Prometheus type goes in as a header.
        return web.bytes(metrics.exposition(), headers={"Content-Type": metrics.content_type})

    @app.page("/healthz", name="healthz")
    async def healthz(web: View, request: Request) -> Response:
        return web.json({"status": "alive"})

    @app.page("/readyz", name="readyz")
    async def readyz(web: View, request: Request) -> Response:
        checks = readiness(app, services)
        ready = all(checks.values())
        metrics.ready.set(1 if ready else 0)
        return web.json({"ready": ready, "checks": checks}, status=200 if ready else 503)


def readiness(app: faust.App, services: Services) -> dict[str, Any]:
    consumer_started = bool(app.consumer and app.consumer.state == "running")
    return {
        # Both models: until the language model is in, the first article's ingest would wait ~1.5 s for it.
        "models_loaded": services.nlp.ready and services.langid.loaded,
        "consuming": consumer_started and not app.rebalancing,
    }
