from django.shortcuts import render

from claims.selectors import claim_list_for_triage


def claim_list(request):
    claims = claim_list_for_triage(user=request.user)
    return render(request, "claims/claim_list.html", {"claims": claims})
