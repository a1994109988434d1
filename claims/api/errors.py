"""Every API error is an RFC 9457 problem-details body (``application/problem+json``):

    {"type": "https://…/api/v1/problems/validation", "title": "Some fields are not valid",
     "status": 400, "detail": "…", "errors": [{"field": "text", "message": "…"}]}

``errors`` lists field errors (``field`` null for errors about the whole request). The
desk's services raise Django's ``ValidationError`` and ``PermissionDenied``; both are turned
into problems here, so views only call services.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "/api/v1/problems/"

# status → (type slug, title)
TITLES = {
    400: ("validation", "Some input is not valid"),
    401: ("unauthenticated", "Authentication needed"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    412: ("stale", "The resource changed since you read it"),
    415: ("unsupported-media-type", "Unsupported media type"),
    428: ("precondition-required", "If-Match needed"),
    429: ("rate-limited", "Too many requests"),
}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since you read it: read it again and retry."


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the revision (the ETag of your last read)."


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "That conflicts with the resource's current state."


def _field_errors(data, prefix: str = "") -> list[dict]:
    """DRF's nested error data as a flat list of {field, message}."""
    found: list[dict] = []
    if isinstance(data, dict):
        for name, value in data.items():
            field = None if name in ("non_field_errors", "__all__") else f"{prefix}{name}"
            if isinstance(value, dict | list):
                nested = _field_errors(value, f"{field}." if field else prefix)
                found.extend({"field": e["field"] or field, "message": e["message"]} for e in nested)
            else:
                found.append({"field": field, "message": str(value)})
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict | list):
                found.extend(_field_errors(item, prefix))
            else:
                found.append({"field": prefix.rstrip(".") or None, "message": str(item)})
    else:
        found.append({"field": prefix.rstrip(".") or None, "message": str(data)})
    return found


def _service_conflict(exc: DjangoValidationError):
    """The services' refusals that are about the resource's state, not the input: a stale
    revision (412), a frozen field, a move the workflow does not allow, a duplicate (409)."""
    from claims import services

    text = " ".join(exc.messages)
    if isinstance(exc, services.StaleEdit | services.StaleEvidenceEdit):
        return PreconditionFailed(text)
    if isinstance(exc, services.ClaimFrozen | services.EvidenceFrozen
                  | services.TransitionNotAllowed | services.DuplicateEvidence):
        return Conflict(text)
    return None


def _as_drf(exc):
    if isinstance(exc, DjangoValidationError):
        conflict = _service_conflict(exc)
        if conflict is not None:
            return conflict
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or None)
    return exc


def problem_response(status_code: int, detail: str, *, errors=None, headers=None) -> Response:
    slug, title = TITLES.get(status_code, ("error", "Error"))
    body = {"type": PROBLEM_BASE + slug, "title": title, "status": status_code, "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers,
                        content_type=PROBLEM_CONTENT_TYPE)
    return response


def problem_exception_handler(exc, context):
    exc = _as_drf(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 handling (and logging) takes it
    data = response.data
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(data)
        fields = sorted({e["field"] for e in errors if e["field"]})
        detail = (
            f"Check {', '.join(fields)}." if fields else " ".join(e["message"] for e in errors)
        )
    else:
        detail = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
    return problem_response(response.status_code, detail, errors=errors, headers=headers)
