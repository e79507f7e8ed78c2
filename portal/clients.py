"""Who is on the other end of a request."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address: the peer's, or behind PORTAL_PROXY_COUNT proxies the address the outermost of them
    appended to X-Forwarded-For. Addresses further left were written by the client and prove nothing."""
    proxies = settings.PORTAL_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
