"""Requests larger than an import may be are refused before their body is read: a French 413 page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

MULTIPART_OVERHEAD = 64 * 1024
"""Room for the form's other fields and the multipart boundaries around the file."""


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.SOCLE_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
            from socle.web.datasets.imports import too_large

            response = too_large(request)
            response["Connection"] = "close"  # the body is not read: the connection cannot be reused
            return response
        return self.get_response(request)
