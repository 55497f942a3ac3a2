"""webhooks API routes (included under /api/v1/)."""

from django.urls import path

import planpal.core.urls  # noqa: F401 - registers the "id" path converter
from planpal.webhooks import api

urlpatterns = [
    path("groups/<id:group_id>/webhooks", api.GroupWebhooksApi.as_view(), name="group-webhooks"),
    path("webhooks/<id:webhook_id>", api.WebhookDetailApi.as_view(), name="webhook-detail"),
    path(
        "webhooks/<id:webhook_id>/rotate-secret",
        api.WebhookRotateSecretApi.as_view(),
        name="webhook-rotate-secret",
    ),
    path("webhooks/<id:webhook_id>/test", api.WebhookTestApi.as_view(), name="webhook-test"),
    path(
        "webhooks/<id:webhook_id>/deliveries",
        api.WebhookDeliveriesApi.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "webhooks/<id:webhook_id>/deliveries/<id:delivery_id>",
        api.WebhookDeliveryApi.as_view(),
        name="webhook-delivery",
    ),
    path(
        "webhooks/<id:webhook_id>/deliveries/<id:delivery_id>/redeliver",
        api.WebhookRedeliverApi.as_view(),
        name="webhook-redeliver",
    ),
]
