"""Each workflow move of a claim as an action: ``POST /api/v1/claims/{id}/<action>/``.

Every action calls the one service for that move (which checks the role and the workflow),
answers with the claim and its new ETag, and accepts an optional ``If-Match`` (412 when the
claim changed since). Publishing is not here: a claim is published by a second person
approving its verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError

from claims import services
from claims.api.serializers import (
    AssignSerializer,
    ClaimSerializer,
    DuplicateSerializer,
    EmptySerializer,
    MoveBackSerializer,
    RequiredReasonSerializer,
)
from claims.api.views import IF_MATCH, ApiView, check_revision, problems


def _assignee(username):
    if username in (None, ""):
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"assignee": ["No active user with that name."]})
    return user


@dataclass(frozen=True)
class Action:
    slug: str
    summary: str
    serializer: type
    run: object  # (actor, claim_id, data) -> None


ACTIONS = [
    Action("triage", "Triage a new claim.", EmptySerializer,
           lambda actor, pk, data: services.claim_triage(actor=actor, claim_id=pk)),
    Action("start-research", "Start research on a triaged claim.", EmptySerializer,
           lambda actor, pk, data: services.claim_start_research(actor=actor, claim_id=pk)),
    Action("submit-for-review", "Send a researched claim to review.", EmptySerializer,
           lambda actor, pk, data: services.claim_submit_for_review(actor=actor, claim_id=pk)),
    Action("move-back", "Step back in the workflow (e.g. in review → researching).",
           MoveBackSerializer,
           lambda actor, pk, data: services.claim_return_to(
               actor=actor, claim_id=pk, to_status=data["to"], reason=data["reason"])),
    Action("reject", "Reject a claim as not check-worthy, saying why.", RequiredReasonSerializer,
           lambda actor, pk, data: services.claim_reject(actor=actor, claim_id=pk,
                                                         reason=data["reason"])),
    Action("reopen", "Reopen a rejected claim.", EmptySerializer,
           lambda actor, pk, data: services.claim_reopen(actor=actor, claim_id=pk)),
    Action("mark-duplicate", "Fold the claim into the one it repeats.", DuplicateSerializer,
           lambda actor, pk, data: services.claim_mark_duplicate(
               actor=actor, claim_id=pk, original_id=data["original"])),
    Action("assign", "Assign the claim to someone (null: nobody).", AssignSerializer,
           lambda actor, pk, data: services.claim_assign(
               actor=actor, claim_id=pk, assignee=_assignee(data["assignee"]))),
]


class ClaimActionView(ApiView):
    claim_action: Action  # not ``action``: DRF and drf-spectacular read that name

    def post(self, request, claim_id: int):
        claim = self.claim(claim_id)
        check_revision(request, claim)
        data = self.input(self.claim_action.serializer)
        self.claim_action.run(request.user, claim.pk, data)
        return self.claim_response(claim.pk)


def _view_for(action: Action) -> type[ClaimActionView]:
    name = "".join(part.title() for part in action.slug.split("-"))
    view = type(f"Claim{name}View", (ClaimActionView,), {
        "claim_action": action, "serializer_class": ClaimSerializer, "__doc__": action.summary,
    })
    return extend_schema_view(post=extend_schema(
        operation_id=f"claims_{action.slug.replace('-', '_')}",
        request=action.serializer if action.serializer is not EmptySerializer else None,
        parameters=[IF_MATCH], summary=action.summary,
        responses={200: ClaimSerializer, **problems(400, 401, 403, 404, 409, 412, 429)},
    ))(view)


ACTION_VIEWS = {action.slug: _view_for(action) for action in ACTIONS}
