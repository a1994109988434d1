"""``/api/v1/webhooks/``: the caller's own webhook subscriptions, their delivery logs,
redeliver and a test event, through ``claims.webhooks.services`` (the same rules as the
settings page). Someone else's subscription or delivery is a 404. The signing secret is in
the answer that makes it (create, rotate) and in no other."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from claims.api.pagination import KeysetPagination
from claims.api.serializers import EmptySerializer
from claims.api.views import ApiView, problems
from claims.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from claims.webhooks import services
from claims.webhooks.selectors import webhook_deliveries, webhook_subscriptions_for_user

# --- Serializers ---------------------------------------------------------------------------


class WebhookSerializer(serializers.ModelSerializer):
    active = serializers.BooleanField(source="is_active", read_only=True)
    state = serializers.SerializerMethodField()
    deliveries = serializers.SerializerMethodField()

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "description", "events", "active", "state", "disabled_reason",
                  "disabled_at", "consecutive_failures", "created_at", "updated_at", "deliveries"]
        read_only_fields = fields

    def get_state(self, subscription) -> str:
        return subscription.state_label.lower()

    def get_deliveries(self, subscription) -> str:
        return reverse("api:webhook_deliveries", args=[subscription.pk])


class WebhookWithSecretSerializer(WebhookSerializer):
    secret = serializers.SerializerMethodField(
        help_text="The signing secret (whsec_…): shown in this answer only.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields

    def get_secret(self, subscription) -> str:
        return self.context["secret"]


class WebhookCreateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, help_text="http(s) address of the receiver; "
                                "private and local network addresses are refused.")
    events = serializers.ListField(child=serializers.ChoiceField(choices=services.SUBSCRIBABLE), allow_empty=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WebhookUpdateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, required=False)
    events = serializers.ListField(child=serializers.ChoiceField(choices=services.SUBSCRIBABLE),
                                   allow_empty=False, required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, help_text="false pauses it; true resumes it.")


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["at", "status_code", "ok", "duration_ms", "error"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.SerializerMethodField()
    attempt_log = AttemptSerializer(source="attempt_rows", many=True, read_only=True)
    subscription = serializers.IntegerField(source="subscription_id", read_only=True)
    redelivery_of = serializers.IntegerField(source="redelivery_of_id", read_only=True, allow_null=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "subscription", "event", "state", "attempts", "response_status", "last_error",
                  "next_attempt_at", "delivered_at", "created_at", "redelivery_of", "attempt_log"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_event(self, delivery) -> dict:
        event = delivery.event
        return {"id": event.uid, "type": event.type, "created_at": event.created_at, "payload": event.payload}


# --- Views ---------------------------------------------------------------------------------


def _own(request, subscription_id: int) -> WebhookSubscription:
    try:
        return services.webhook_subscription_get_for_user(request.user, subscription_id)
    except PermissionDenied:
        raise NotFound("No such webhook of yours.") from None


def _with_attempts(rows):
    return rows.prefetch_related(Prefetch("attempt_rows", queryset=WebhookAttempt.objects.order_by("-at", "-id")))


class WebhookListView(ApiView):
    """Your webhook subscriptions; and subscribing."""

    serializer_class = WebhookSerializer

    @extend_schema(operation_id="webhooks_list",
                   responses={200: WebhookSerializer(many=True), **problems(401, 403, 429)})
    def get(self, request):
        if not services.may_own_webhooks(request.user):
            raise PermissionDenied("Only desk members have webhooks.")
        return Response(WebhookSerializer(webhook_subscriptions_for_user(request.user), many=True).data)

    @extend_schema(operation_id="webhooks_create", request=WebhookCreateSerializer,
                   responses={201: WebhookWithSecretSerializer, **problems(400, 401, 403, 429)},
                   description="Subscribe a URL to events. The answer holds the signing secret, "
                   "which no other answer shows.")
    def post(self, request):
        data = self.input(WebhookCreateSerializer)
        made = services.webhook_subscription_create(actor=request.user, **data)
        return Response(WebhookWithSecretSerializer(made.subscription, context={"secret": made.secret}).data,
                        status=status.HTTP_201_CREATED,
                        headers={"Location": reverse("api:webhook_detail", args=[made.subscription.pk])})


class WebhookDetailView(ApiView):
    """One of your subscriptions: read, change (``active`` pauses or resumes), delete."""

    serializer_class = WebhookSerializer

    @extend_schema(operation_id="webhooks_read", responses={200: WebhookSerializer, **problems(401, 403, 404, 429)})
    def get(self, request, subscription_id: int):
        return Response(WebhookSerializer(_own(request, subscription_id)).data)

    @extend_schema(operation_id="webhooks_update", request=WebhookUpdateSerializer,
                   responses={200: WebhookSerializer, **problems(400, 401, 403, 404, 429)})
    def patch(self, request, subscription_id: int):
        _own(request, subscription_id)
        data = self.input(WebhookUpdateSerializer)
        active = data.pop("active", None)
        subscription = services.webhook_subscription_update(actor=request.user, subscription_id=subscription_id,
                                                            **data)
        if active is True:
            subscription = services.webhook_subscription_resume(actor=request.user, subscription_id=subscription_id)
        elif active is False:
            subscription = services.webhook_subscription_pause(actor=request.user, subscription_id=subscription_id)
        return Response(WebhookSerializer(subscription).data)

    @extend_schema(operation_id="webhooks_delete", responses={204: None, **problems(401, 403, 404, 429)})
    def delete(self, request, subscription_id: int):
        _own(request, subscription_id)
        services.webhook_subscription_delete(actor=request.user, subscription_id=subscription_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(post=extend_schema(
    operation_id="webhooks_rotate_secret", request=None,
    responses={200: WebhookWithSecretSerializer, **problems(401, 403, 404, 429)},
    description="A new signing secret, used from the next delivery on; shown in this answer only."))
class WebhookRotateView(ApiView):
    serializer_class = WebhookWithSecretSerializer

    def post(self, request, subscription_id: int):
        _own(request, subscription_id)
        self.input(EmptySerializer)
        rotated = services.webhook_subscription_rotate_secret(actor=request.user, subscription_id=subscription_id)
        return Response(WebhookWithSecretSerializer(rotated.subscription, context={"secret": rotated.secret}).data)


@extend_schema_view(post=extend_schema(
    operation_id="webhooks_send_test", request=None,
    responses={202: DeliverySerializer, **problems(400, 401, 403, 404, 429)},
    description="Queue a signed ``webhook.test`` event for this subscription only."))
class WebhookTestView(ApiView):
    serializer_class = DeliverySerializer

    def post(self, request, subscription_id: int):
        _own(request, subscription_id)
        self.input(EmptySerializer)
        delivery = services.webhook_send_test(actor=request.user, subscription_id=subscription_id)
        return Response(DeliverySerializer(_with_attempts(WebhookDelivery.objects.select_related("event"))
                                           .get(pk=delivery.pk)).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveriesView(ApiView):
    """A subscription's delivery log, newest first, paged by cursor, each with its attempts."""

    serializer_class = DeliverySerializer
    pagination_class = KeysetPagination

    @extend_schema(operation_id="webhooks_deliveries",
                   responses={200: DeliverySerializer(many=True), **problems(400, 401, 403, 404, 429)})
    def get(self, request, subscription_id: int):
        rows = self.paginate_queryset(_with_attempts(webhook_deliveries(_own(request, subscription_id))))
        return self.get_paginated_response(DeliverySerializer(rows, many=True).data)


@extend_schema_view(post=extend_schema(
    operation_id="webhooks_redeliver", request=None,
    responses={202: DeliverySerializer, **problems(400, 401, 403, 404, 429)},
    description="Send the delivery's event again, as a new delivery (same webhook-id)."))
class WebhookRedeliverView(ApiView):
    serializer_class = DeliverySerializer

    def post(self, request, delivery_id: int):
        subscription_id = (WebhookDelivery.objects.filter(pk=delivery_id)
                           .values_list("subscription_id", flat=True).first())
        if subscription_id is None:
            raise NotFound("No such delivery of yours.")
        _own(request, subscription_id)
        self.input(EmptySerializer)
        delivery = services.webhook_redeliver(actor=request.user, delivery_id=delivery_id)
        return Response(DeliverySerializer(_with_attempts(WebhookDelivery.objects.select_related("event"))
                                           .get(pk=delivery.pk)).data, status=status.HTTP_202_ACCEPTED)
