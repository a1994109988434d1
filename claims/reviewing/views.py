"""The desk side of verdicts: the claim's Verdict tab, the review actions, /reviews/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.models import Claim, Notification, VerdictState
from claims.permissions import can_edit_claims, can_review_claims, require_editor
from claims.reviewing import notifications, selectors, services
from claims.reviewing.forms import ApproveForm, RequestChangesForm, VerdictForm
from claims.reviewing.markdown import render_markdown
from workbench.http import is_htmx


def _error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def _verdict_url(claim_id: int) -> str:
    return reverse("reviewing:verdict", args=[claim_id])


def _page_context(request, claim: Claim) -> dict:
    versions = list(selectors.versions_for_claim(claim))
    latest = versions[0] if versions else None
    draft = latest if latest and latest.state == VerdictState.DRAFT else None
    pending = latest if latest and latest.state == VerdictState.SUBMITTED else None
    approved = next((v for v in versions if v.state == VerdictState.APPROVED), None)
    user = request.user
    can_draft = (
        claim.status in services.DRAFTABLE_CLAIM_STATUSES
        and pending is None
        and (draft is None or draft.author_id == user.pk)
    )
    by_number = {v.number: v for v in versions}
    try:
        shown = by_number.get(int(request.GET.get("version", "")))
    except ValueError:
        shown = None
    shown = shown or pending or next((v for v in versions if v.state != VerdictState.DRAFT), None)
    previous = None
    if shown is not None:
        previous = next(
            (v for v in versions if v.number < shown.number and v.state != VerdictState.DRAFT), None
        )
    frozen = selectors.frozen_evidence_for(claim) if approved is not None else []
    return {
        "claim": claim,
        "tab": "verdict",
        "frozen_evidence": frozen,
        "shown_changes": selectors.proposed_changes(shown),
        "versions": versions,
        "latest": latest,
        "draft": draft,
        "pending": pending,
        "approved": approved,
        "shown": shown,
        "shown_summary": render_markdown(shown.summary_md) if shown else "",
        "previous": previous,
        "diff": selectors.verdict_diff(previous, shown) if shown and previous else [],
        "is_correction": approved is not None,
        "can_draft": can_draft and can_edit_claims(user),
        "can_review_pending": bool(
            pending and can_review_claims(user) and pending.author_id != user.pk
        ),
        "is_own_pending": bool(pending and pending.author_id == user.pk),
        # Distinct ids: both forms sit on one page and share the field name "comments".
        "approve_form": ApproveForm(auto_id="approve_%s"),
        "changes_form": RequestChangesForm(auto_id="changes_%s"),
    }


@require_http_methods(["GET", "POST"])
def verdict_page(request, claim_id: int):
    """The Verdict tab: history, the version under review, and the draft form."""
    claim = selectors.verdict_claim_get_for_user(request.user, claim_id)
    context = _page_context(request, claim)
    latest, draft = context["latest"], context["draft"]
    form_kwargs = {
        "claim": claim,
        "is_correction": context["is_correction"],
        "keep_rating": draft.rating if draft and draft.rating.is_retired else None,
        "frozen_evidence": context["frozen_evidence"],
    }
    if request.method == "POST":
        if not context["can_draft"]:
            messages.error(request, "This verdict cannot be edited right now.")
            return redirect(_verdict_url(claim.pk))
        form = VerdictForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = services.verdict_save_draft(
                    actor=request.user,
                    claim_id=claim.pk,
                    rating=data["rating"],
                    headline=data["headline"],
                    summary_md=data["summary_md"],
                    reasoning=data["reasoning"],
                    cited_evidence_ids=[e.pk for e in data["cited_evidence"]],
                    denial_waiver_reason=data["denial_waiver_reason"],
                    correction_note=data.get("correction_note", ""),
                    based_on_id=data["based_on"],
                    claim_values=form.claim_values(),
                    evidence_values=form.evidence_values(),
                )
            except ValidationError as error:
                for message in _error_messages(error):
                    form.add_error(None, message)
            else:
                if request.POST.get("action") != "submit":
                    messages.success(request, f"Draft v{version.number} saved.")
                    return redirect(_verdict_url(claim.pk))
                try:
                    services.verdict_submit(actor=request.user, version_id=version.pk)
                except ValidationError as error:
                    messages.error(
                        request,
                        f"Draft v{version.number} saved, but not submitted: "
                        + " ".join(_error_messages(error)),
                    )
                else:
                    messages.success(
                        request, f"v{version.number} submitted. Reviewers have been notified."
                    )
                return redirect(_verdict_url(claim.pk))
    else:
        base = draft or latest
        initial = VerdictForm.initial_from(base)
        initial["based_on"] = latest.pk if latest else None
        if context["is_correction"]:
            initial.update(VerdictForm.correction_initial(
                claim, context["frozen_evidence"], draft.changes.all() if draft else ()
            ))
        form = VerdictForm(initial=initial, **form_kwargs)
    context["form"] = form
    context["nav"] = "queue"
    return render(request, "reviewing/verdict.html", context)


@require_POST
def verdict_submit(request, version_id: int):
    version = selectors.version_get_for_user(request.user, version_id)
    try:
        services.verdict_submit(actor=request.user, version_id=version.pk)
    except ValidationError as error:
        messages.error(request, " ".join(_error_messages(error)))
    else:
        messages.success(request, f"v{version.number} submitted. Reviewers have been notified.")
    return redirect(_verdict_url(version.claim_id))


@require_POST
def verdict_approve(request, version_id: int):
    version = selectors.version_get_for_user(request.user, version_id, review=True)
    form = ApproveForm(request.POST)
    form.is_valid()
    try:
        services.verdict_approve(
            actor=request.user, version_id=version.pk,
            comments=form.cleaned_data.get("comments", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(_error_messages(error)))
    else:
        messages.success(request, f"v{version.number} approved and published.")
    return redirect(_verdict_url(version.claim_id))


@require_POST
def verdict_request_changes(request, version_id: int):
    version = selectors.version_get_for_user(request.user, version_id, review=True)
    form = RequestChangesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what needs to change, so the author can revise it.")
        return redirect(_verdict_url(version.claim_id))
    try:
        services.verdict_request_changes(
            actor=request.user, version_id=version.pk, comments=form.cleaned_data["comments"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(_error_messages(error)))
    else:
        messages.success(request, f"Changes requested on v{version.number}; the author was notified.")
    return redirect(_verdict_url(version.claim_id))


@require_GET
def reviews(request):
    """What awaits me: versions to review (reviewers) and my notifications."""
    require_editor(request.user)
    awaiting = (
        list(selectors.awaiting_review_for(request.user)) if can_review_claims(request.user) else None
    )
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(request.GET.get("page"))
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return render(
        request,
        "reviewing/reviews.html",
        {"nav": "reviews", "awaiting": awaiting, "page": page, "unread": unread},
    )


@require_POST
def notification_read(request, pk: int):
    notification = selectors.notification_get_for_user(request.user, pk)
    notification = notifications.notification_mark_read(actor=request.user, notification_id=notification.pk)
    if is_htmx(request):
        return render(request, "reviewing/reviews.html#notification", {"notification": notification})
    messages.success(request, "Marked as read.")
    return redirect(reverse("reviewing:reviews"))


@require_POST
def notifications_read_all(request):
    require_editor(request.user)
    count = notifications.notification_mark_all_read(actor=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect(reverse("reviewing:reviews"))
