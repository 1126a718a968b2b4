"""The rate limits' state, shared by every server process (civility.feedback.throttle)."""

from __future__ import annotations

from django.db import models


class ThrottleBucket(models.Model):
    """A token bucket shared by every server process. Keys are keyed hashes (never an IP
    address or a device identifier in clear) and buckets idle for a day are deleted."""

    key = models.CharField(max_length=80, primary_key=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
