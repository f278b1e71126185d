"""The instance's own facts: the fingerprints of the keys its data was written with."""

from __future__ import annotations

from django.db import models


class KeyFingerprint(models.Model):
    """HMAC-SHA256 of a fixed label under a key, truncated: proves which key the data
    needs without holding the key. Written once, when the key is first used."""

    name = models.CharField(max_length=40, unique=True)
    fingerprint = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.fingerprint}"
