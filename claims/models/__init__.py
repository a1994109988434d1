"""The newsroom's models, one module per area: core (claims, evidence, activity),
verdicts (ratings, verdict versions, reviews, notifications), coverage (suggestions),
alerts (desk alerts), api_tokens (personal API tokens), comments (the desk's discussion of
a claim) and webhooks (subscriptions, events, deliveries and their attempts)."""

from claims.models.alerts import (  # noqa: F401
    AlertKind,
    DeskAlert,
    ResurfacedItem,
    ResurfacingDigest,
)
from claims.models.api_tokens import ApiToken, TokenScope  # noqa: F401
from claims.models.comments import Comment  # noqa: F401
from claims.models.core import (  # noqa: F401
    OPEN_STATUSES,
    ActivityEvent,
    ActivityVerb,
    Claim,
    ClaimantKind,
    ClaimStatus,
    Evidence,
    Note,
    Priority,
    Stance,
    Tag,
)
from claims.models.coverage import (  # noqa: F401
    CoverageStance,
    CoverageSuggestion,
    GatherRun,
    SuggestionStatus,
)
from claims.models.deliveries import (  # noqa: F401
    DeliveryState,
    DigestDelivery,
    EmailDelivery,
    ReportRender,
)
from claims.models.saved_views import SavedView  # noqa: F401
from claims.models.verdicts import (  # noqa: F401
    CorrectionChange,
    Notification,
    Rating,
    Review,
    VerdictState,
    VerdictVersion,
)
from claims.models.watching import (  # noqa: F401
    ClaimWatch,
    EmailFrequency,
    EmailPreference,
    NotificationKind,
    default_email,
)
from claims.models.webhooks import (  # noqa: F401
    WebhookAttempt,
    WebhookDelivery,
    WebhookDeliveryState,
    WebhookEvent,
    WebhookEventType,
    WebhookSubscription,
)
