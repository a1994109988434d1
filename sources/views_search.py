"""Searching stored coverage (editors and reviewers): a form, one selector, a page or fragment."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sources.language import LANGUAGE_NAMES, language_name
from sources.search import (
    MAX_QUERY_CHARS,
    RANKED_MATCHES,
    SearchInputError,
    documents_search,
    documents_search_count,
)
from sources.selectors import require_feed_viewer
from workbench.http import highlight_html, is_htmx


class DocumentSearchForm(forms.Form):
    q = forms.CharField(label="Search stored coverage", max_length=MAX_QUERY_CHARS, required=False,
                        widget=forms.SearchInput(attrs={"autocomplete": "off",
                                                        "placeholder": 'e.g. military aid "foreign ministry"'}))
    language = forms.ChoiceField(
        label="Language", required=False,
        choices=[("", "Any language")] + sorted(LANGUAGE_NAMES.items(), key=lambda item: item[1]),
    )
    order = forms.ChoiceField(label="Order", required=False,
                              choices=[("newest", "Newest first"), ("relevance", "Most relevant")])
    after = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    start = forms.IntegerField(required=False, min_value=0, max_value=RANKED_MATCHES,
                               widget=forms.HiddenInput)
    count = forms.BooleanField(required=False, widget=forms.HiddenInput)


@require_GET
def document_search(request: HttpRequest) -> HttpResponse:
    """The page; with htmx, its results; with ``count=1``, also how many match (htmx asks for
    that alone once the results are shown, since counting costs more than a page)."""
    require_feed_viewer(request.user)
    form = DocumentSearchForm(request.GET or None)
    result, matches, error = None, None, ""
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        try:
            if data["count"]:
                matches = documents_search_count(query=data["q"], language=data["language"])
            if not (data["count"] and is_htmx(request)):
                result = documents_search(query=data["q"], order=data["order"] or "newest",
                                          language=data["language"], cursor=data["after"] or "",
                                          offset=data["start"] or 0)
        except SearchInputError as exc:
            error = str(exc)
    elif form.is_bound and not form.is_valid():
        error = "; ".join(message for messages in form.errors.values() for message in messages)
    if matches is not None and is_htmx(request):
        return render(request, "sources/document_search.html#match_count", {"matches": matches})
    hits = [
        {"hit": hit, "snippet": highlight_html(hit.snippet),
         "language_label": language_name(hit.language) if hit.language else ""}
        for hit in (result.hits if result else [])
    ]
    context = {"form": form, "result": result, "matches": matches, "hits": hits, "error": error,
               "nav": "feeds", "ranked_matches": RANKED_MATCHES, "base_query": _base_query(form)}
    template = "sources/document_search.html"
    return render(request, f"{template}#results" if is_htmx(request) else template, context)


def _base_query(form: DocumentSearchForm) -> str:
    """The search's own parameters, for page links (the cursor or offset is added to them)."""
    if not form.is_bound or not form.is_valid():
        return ""
    data = form.cleaned_data
    return urlencode({k: data[k] for k in ("q", "language", "order") if data.get(k)})
