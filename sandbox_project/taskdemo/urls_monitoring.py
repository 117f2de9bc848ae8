"""The sandbox's URLs plus `/metrics` (lesson 21): the dashboard lives in the admin."""

from django.urls import path

from taskmetrics.exposition import metrics

from .urls import urlpatterns as sandbox_urlpatterns

urlpatterns = [
    *sandbox_urlpatterns,
    # For Prometheus. In production, let only the monitoring system reach it.
    path("metrics", metrics),
]
