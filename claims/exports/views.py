"""Claim reports (HTML, PDF) and list exports (CSV, JSON). Reads, except that a large PDF
is requested from a worker (claims.exports.rendering)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from claims.exports.lists import (
    export_claims_for,
    in_chunks,
    in_chunks_with_details,
    with_export_columns,
)
from claims.exports.rendering import report_is_large, report_render_request
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
    if not report_is_large(context):
        pdf = render_report_pdf(context)
    else:  # minutes of rendering: a worker does it, and this URL serves it once ready
        job = report_render_request(claim_id=claim_id, user=request.user)
        if job.state != job.State.READY:
            response = render(request, "exports/report_preparing.html",
                              {**context, "render": job, "nav": "queue"}, status=202)
            response["Cache-Control"] = "private, no-store"
            return response
        pdf = bytes(job.pdf)
    response = HttpResponse(pdf, content_type="application/pdf")
    return _private_download(response, report_filename(context["claim"], "pdf"))


def _export_claims(request):
    if not can_view_reports(request.user):
        raise PermissionDenied("Only the desk can export claims.")
    return export_claims_for(user=request.user, params=request.GET)


def _export_filename(extension: str) -> str:
    return f"claims-{timezone.localtime():%Y-%m-%d-%H%M}.{extension}"


@require_GET
def export_claims_csv(request):
    claims = with_export_columns(_export_claims(request))
    response = StreamingHttpResponse(
        csv_stream(in_chunks(claims)), content_type="text/csv; charset=utf-8"
    )
    return _private_download(response, _export_filename("csv"))


@require_GET
def export_claims_json(request):
    claims = _export_claims(request)
    documents = (claim_document(claim) for claim in in_chunks_with_details(claims))
    response = StreamingHttpResponse(
        json_array_stream(documents), content_type="application/json; charset=utf-8"
    )
    return _private_download(response, _export_filename("json"))
