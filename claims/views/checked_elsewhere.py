"""The claim page's "Checked elsewhere": other publishers' fact-checks of the claim, our own
published fact-checks of similar claims and, for a claim we published as false, the new
coverage that shows it spreading again; loaded after the page (the ranker embeds the
claim's text, which the claim page's own render must not wait for), and citing one as
evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims import selectors, services
from claims.corroboration.resurfacing import claim_resurfacing
from claims.forms import PriorCheckCiteForm
from claims.permissions import can_edit_claims
from claims.selectors import claim_get_for_user
from claims.views.claim_page import activity_context, claim_for_page, evidence_context
from claims.views.common import error_text
from workbench.http import is_htmx, safe_next

TEMPLATE = "claims/checked_elsewhere.html"


def _context(request, claim, **extra) -> dict:
    found = selectors.claim_checked_elsewhere(claim=claim)
    alert, items = (claim_resurfacing(claim_id=claim.pk) if claim.published_at is not None
                    else (None, []))
    return {"resurfacing": alert, "resurfaced_items": items,"nav": "queue", "claim": claim, "prior_checks": found.prior_checks,
            "our_checks": found.our_checks, "can_cite": can_edit_claims(request.user)
            and claim.published_at is None, "cite_message": "", "cite_error": "", **extra}


@require_GET
def claim_checked_elsewhere(request, pk):
    """The section as an htmx fragment, or as a page of its own (the no-JavaScript link)."""
    claim = claim_for_page(request, pk)
    template = f"{TEMPLATE}#section" if is_htmx(request) else TEMPLATE
    return render(request, template, _context(request, claim))


@require_POST
def prior_check_cite(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = PriorCheckCiteForm(request.POST)
    message = error = ""
    if not form.is_valid():
        error = "Choose a fact-check to cite."
    else:
        try:
            cited = services.prior_check_cite(actor=request.user, claim_id=claim.pk,
                                              prior_check_id=form.cleaned_data["prior_check"])
        except (ValidationError, PermissionDenied) as refused:
            error = error_text(refused)
        else:
            stance = cited.evidence.get_stance_display().lower()
            message = (f"Cited as evidence ({stance})." if cited.created
                       else "Already cited: it is in the evidence list.")
    if is_htmx(request):
        claim = claim_for_page(request, pk)
        context = {**_context(request, claim, cite_message=message, cite_error=error),
                   **evidence_context(claim), **activity_context(claim)}
        return render(request, f"{TEMPLATE}#cited", context, status=200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(safe_next(request, reverse("claims:claim_detail", args=[claim.pk])))
