"""The discussion's pages: a claim's thread (its own tab, and a fragment the claim page
loads), posting, editing and deleting comments. Each answers htmx with a fragment and a
plain form with a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import services
from claims.discussion.forms import CommentEditForm, CommentForm
from claims.discussion.mentions import mention_suggestions as suggestions_for
from claims.discussion.selectors import claim_comments, comment_get_for_user, comment_prepare
from claims.selectors import claim_get_for_user
from claims.views.common import editor_required, error_text
from workbench.http import is_htmx

PAGE = "discussion/comments.html"


def _thread_url(claim_id: int, comment_id: int | None = None) -> str:
    url = reverse("discussion:comments", args=[claim_id])
    return f"{url}#comment-{comment_id}" if comment_id else f"{url}#discussion"


def _thread(request, claim, *, form=None, status=200, message=""):
    context = {
        "nav": "queue", "tab": "discussion", "claim": claim,
        "comments": claim_comments(claim_id=claim.pk, user=request.user),
        "comment_form": form or CommentForm(), "thread_message": message,
    }
    template = f"{PAGE}#thread" if is_htmx(request) else PAGE
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def comments(request, claim_id: int):
    claim = claim_get_for_user(request.user, claim_id)
    if request.method == "GET":
        return _thread(request, claim)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_post(
                actor=request.user, claim_id=claim.pk, body=form.cleaned_data["body"],
                version_id=form.cleaned_data.get("version"),
                client_key=form.cleaned_data.get("client_key"),
            )
        except ValidationError as error:
            form.add_error("body", error_text(error))
        else:
            if is_htmx(request):
                return _thread(request, claim, message="Comment posted.")
            messages.success(request, "Comment posted.")
            return redirect(_thread_url(claim.pk, comment.pk))
    # htmx swaps only 2xx answers: the form comes back with its errors either way.
    return _thread(request, claim, form=form, status=200 if is_htmx(request) else 400)


def _comment_answer(request, comment, *, message: str, edit_form=None):
    if is_htmx(request):
        comment_prepare(comment, user=request.user)
        return render(request, f"{PAGE}#comment", {
            "comment": comment, "claim": comment.claim, "comment_message": message,
            "edit_form": edit_form,
        })
    if edit_form is not None:
        messages.error(request, message)
    else:
        messages.success(request, message)
    return redirect(_thread_url(comment.claim_id, comment.pk))


@require_POST
def comment_edit(request, claim_id: int, comment_id: int):
    comment = comment_get_for_user(request.user, claim_id=claim_id, comment_id=comment_id)
    form = CommentEditForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _comment_answer(request, comment, message=message, edit_form=form)
    try:
        comment = services.comment_edit(actor=request.user, comment_id=comment.pk,
                                        body=form.cleaned_data["body"])
    except ValidationError as error:
        form.add_error("body", error_text(error))
        return _comment_answer(request, comment, message=error_text(error), edit_form=form)
    return _comment_answer(request, comment, message="Comment updated.")


@require_POST
def comment_delete(request, claim_id: int, comment_id: int):
    comment = comment_get_for_user(request.user, claim_id=claim_id, comment_id=comment_id)
    comment = services.comment_delete(actor=request.user, comment_id=comment.pk)
    return _comment_answer(request, comment, message="Comment deleted.")


@require_GET
@editor_required
def mention_suggestions(request):
    """The people an @mention can name, for the comment box's suggestion list
    (static/js/discussion.js). Without JavaScript one types the username."""
    query = request.GET.get("q", "")[:150]
    return render(request, "discussion/_mentions.html", {"people": suggestions_for(query), "query": query})
