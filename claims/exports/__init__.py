"""Reports and exports.

/claims/<id>/report/   the claim report (HTML, print stylesheet)
/claims/<id>/report.pdf   the same report as a PDF (WeasyPrint), as a download
/exports/claims.csv?<queue params>   the triage queue as CSV: UTF-8 with a BOM, formula
    cells neutralised with a leading single quote
/exports/claims.json?<queue params>   the same claims as one JSON array, streamed element by
    element (not JSON Lines), each with evidence, verdict and coverage suggestions
manage.py claims_export --format csv|json|claimreview   the same, for scripts and cron

Queue pages can offer the links with {% include "exports/_export_links.html" %}.
"""
