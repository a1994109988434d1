"""Claim reports (HTML, PDF) and list exports (CSV, JSON). Reads only: no services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from claims.exports.lists import (
    ExportFilterError,
    export_claims_for,
    in_chunks,
    in_chunks_with_details,
    with_export_columns,
)
from claims.exports.reports import (
    can_view_reports,
    claim_report,
    render_report_pdf,
    report_filename,
)
from claims.exports.serializers import claim_document, csv_stream, json_array_stream


def _private_download(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Unpublished newsroom work: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def claim_report_page(request, claim_id: int):
    context = claim_report(claim_id=claim_id, user=request.user)
    return render(request, "exports/claim_report.html", {**context, "nav": "queue"})


@require_GET
def claim_report_pdf(request, claim_id: int):
    context = claim_report(claim_id=claim_id, user=request.user)
    response = HttpResponse(render_report_pdf(context), content_type="application/pdf")
    return _private_download(response, report_filename(context["claim"], "pdf"))


def _export_claims(request):
    if not can_view_reports(request.user):
        raise PermissionDenied("Only the desk can export claims.")
    return export_claims_for(user=request.user, params=request.GET)


def _export_filename(extension: str) -> str:
    return f"claims-{timezone.localtime():%Y-%m-%d-%H%M}.{extension}"


@require_GET
def export_claims_csv(request):
    try:
        claims = with_export_columns(_export_claims(request))
    except ExportFilterError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        csv_stream(in_chunks(claims)), content_type="text/csv; charset=utf-8"
    )
    return _private_download(response, _export_filename("csv"))


@require_GET
def export_claims_json(request):
    try:
        claims = _export_claims(request)
    except ExportFilterError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    documents = (claim_document(claim) for claim in in_chunks_with_details(claims))
    response = StreamingHttpResponse(
        json_array_stream(documents), content_type="application/json; charset=utf-8"
    )
    return _private_download(response, _export_filename("json"))
