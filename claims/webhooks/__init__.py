"""Webhooks: the desk tells the newsroom's other systems what changed, signed.

* ``events``: what is recorded. ``webhook_events_for_activity`` maps an activity row to its
  event types (called by ``claims.activity.activity_record``, inside the change's
  transaction); ``webhook_events_emit`` records events where no activity row exists
  (coverage suggested, a cited source changed). Each event gets one ``WebhookDelivery`` row
  per active subscription to its type, in that same transaction, so a broker outage never
  loses one (``workbench.followup``: sent on commit, swept while pending).
* ``signing``: secrets (``whsec_`` + base64) and Standard Webhooks signatures.
* ``delivery``: one attempt of one delivery through the safe fetcher (``post_json``), its
  attempt row, retries with backoff and jitter for ``WEBHOOK_RETRY_HOURS``, 410 Gone and a
  day of failures disabling the subscription (its owner notified).
* ``services``: subscriptions (create, update, rotate the secret, pause, resume, delete),
  redeliver, send a test event. ``selectors``: what the pages and the API list.

Payload (the JSON body, stable): ``{"type": "claim.published", "timestamp": ISO 8601,
"data": {...}}``; for claim events ``data`` holds ``claim`` (id, status, text, claimant,
revision, url, public_url, published_at) and, where it applies, ``verdict``, ``change``
and ``actor``. See the README's "Webhooks" section.
"""
