"""A claim's evidence and denials: list, attach by URL (archived in the background, through
the safe fetcher), add by hand, record a denial. All through the evidence services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from claims import selectors, services
from claims.api.serializers import (
    DenialSerializer,
    EvidenceAttachSerializer,
    EvidenceManualSerializer,
    EvidenceSerializer,
)
from claims.api.views import ApiView, problems
from claims.services import EvidenceDetails


def _evidence_of(claim_id: int, *, denials_only: bool = False) -> list:
    items = selectors.claim_evidence(claim_id=claim_id)
    return [e for e in items if e.is_denial] if denials_only else items


def _one(claim_id: int, evidence_id: int):
    return next(e for e in selectors.claim_evidence(claim_id=claim_id) if e.pk == evidence_id)


def _details(data: dict) -> EvidenceDetails:
    return EvidenceDetails(**{k: data.pop(k) for k in EvidenceDetails.field_names() if k in data})


class EvidenceListView(ApiView):
    """A claim's live evidence (removed items are tombstones on the desk, not listed)."""

    serializer_class = EvidenceSerializer

    @extend_schema(operation_id="evidence_list",
                   responses={200: EvidenceSerializer(many=True), **problems(401, 403, 404, 429)})
    def get(self, request, claim_id: int):
        claim = self.claim(claim_id)
        return Response(EvidenceSerializer(_evidence_of(claim.pk), many=True).data)

    @extend_schema(
        operation_id="evidence_attach_url", request=EvidenceAttachSerializer,
        responses={201: EvidenceSerializer, **problems(400, 401, 403, 404, 409, 429)},
        description="Cite a web page. It is archived in the background by the safe fetcher "
        "(`source.fetch_status` says how far it got).",
    )
    def post(self, request, claim_id: int):
        claim = self.claim(claim_id)
        data = self.input(EvidenceAttachSerializer)
        url = data.pop("url")
        evidence = services.evidence_attach_url(
            actor=request.user, claim_id=claim.pk, url=url, details=_details(data)
        )
        return Response(EvidenceSerializer(_one(claim.pk, evidence.pk)).data,
                        status=status.HTTP_201_CREATED)


class EvidenceManualView(ApiView):
    serializer_class = EvidenceSerializer

    @extend_schema(
        operation_id="evidence_add_manual", request=EvidenceManualSerializer,
        responses={201: EvidenceSerializer, **problems(400, 401, 403, 404, 409, 429)},
        description="Cite a statement with no URL (a press conference, a call, a document).",
    )
    def post(self, request, claim_id: int):
        claim = self.claim(claim_id)
        data = self.input(EvidenceManualSerializer)
        details = _details(data)
        evidence = services.evidence_add_manual(
            actor=request.user, claim_id=claim.pk, details=details, **data
        )
        return Response(EvidenceSerializer(_one(claim.pk, evidence.pk)).data,
                        status=status.HTTP_201_CREATED)


class DenialListView(ApiView):
    """Denials: evidence that denies the claim, spoken by a party to it."""

    serializer_class = EvidenceSerializer

    @extend_schema(operation_id="denials_list",
                   responses={200: EvidenceSerializer(many=True), **problems(401, 403, 404, 429)})
    def get(self, request, claim_id: int):
        claim = self.claim(claim_id)
        return Response(EvidenceSerializer(_evidence_of(claim.pk, denials_only=True),
                                           many=True).data)

    @extend_schema(
        operation_id="denials_record", request=DenialSerializer,
        responses={201: EvidenceSerializer, **problems(400, 401, 403, 404, 409, 429)},
        description="Record that a party to the claim denies it: where they said it by `url`, "
        "or with none a source described by hand (`title`, `kind`, `outlet_name`).",
    )
    def post(self, request, claim_id: int):
        claim = self.claim(claim_id)
        data = self.input(DenialSerializer)
        evidence = services.denial_record(actor=request.user, claim_id=claim.pk, **data)
        return Response(EvidenceSerializer(_one(claim.pk, evidence.pk)).data,
                        status=status.HTTP_201_CREATED)


__all__ = ["DenialListView", "EvidenceListView", "EvidenceManualView"]
