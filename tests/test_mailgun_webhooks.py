"""spec/mailgun.yaml's ``webhooks``: each example parses into its typed payload.

Mailgun posts one JSON payload per event: a ``signature`` object and the
``event-data``. The generated ``mailgun_client.webhook_events.parse_webhook``
must turn every example of the spec into the class made for that webhook,
with the fields a receiver branches on (event, recipient, severity) intact.
"""

import json
from typing import Any

import pytest
import yaml
from helpers import SPEC
from mailgun_client import types
from mailgun_client.webhook_events import WEBHOOK_NAMES, parse_webhook

DOC: dict[str, Any] = yaml.safe_load(SPEC.read_text())
HOOKS: dict[str, Any] = DOC["webhooks"]

# Webhook name -> (payload class, event-data class, event, severity).
EXPECTED = {
    "accepted": ("AcceptedWebhook", "AcceptedEventData", "accepted", None),
    "delivered": ("DeliveredWebhook", "DeliveredEventData", "delivered", None),
    "opened": ("OpenedWebhook", "OpenedEventData", "opened", None),
    "clicked": ("ClickedWebhook", "ClickedEventData", "clicked", None),
    "unsubscribed": (
        "UnsubscribedWebhook",
        "UnsubscribedEventData",
        "unsubscribed",
        None,
    ),
    "complained": ("ComplainedWebhook", "ComplainedEventData", "complained", None),
    "permanent_fail": (
        "PermanentFailWebhook",
        "PermanentFailEventData",
        "failed",
        "permanent",
    ),
    "temporary_fail": (
        "TemporaryFailWebhook",
        "TemporaryFailEventData",
        "failed",
        "temporary",
    ),
}


def _example(name: str) -> dict[str, Any]:
    example: dict[str, Any] = HOOKS[name]["post"]["requestBody"]["content"][
        "application/json"
    ]["example"]
    return example


def test_the_spec_has_one_webhook_per_domain_webhook_name() -> None:
    names = DOC["components"]["schemas"]["DomainWebhookName"]["enum"]
    assert sorted(HOOKS) == sorted(names) == sorted(EXPECTED)
    assert sorted(WEBHOOK_NAMES) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_example_parses_into_its_class(name: str) -> None:
    payload_cls, data_cls, event, severity = EXPECTED[name]
    example = _example(name)
    for body in (example, json.dumps(example), json.dumps(example).encode()):
        parsed = parse_webhook(name, body)
        assert type(parsed) is getattr(types, payload_cls)
        data = parsed.event_data
        assert type(data) is getattr(types, data_cls)
        assert data.event == event
        assert data.recipient == example["event-data"]["recipient"]
        assert data.id == example["event-data"]["id"]
        assert data.timestamp == example["event-data"]["timestamp"]
        assert getattr(data, "severity", None) == severity
        assert parsed.signature.token == example["signature"]["token"]
        assert parsed.signature.timestamp == example["signature"]["timestamp"]


def test_event_specific_fields_are_typed() -> None:
    clicked = parse_webhook("clicked", _example("clicked")).event_data
    assert clicked.url == "https://shop.example.com/orders/10042/tracking"
    assert clicked.client_info is not None and clicked.client_info.device_type
    assert clicked.geolocation is not None and clicked.geolocation.country == "US"
    delivered = parse_webhook("delivered", _example("delivered")).event_data
    assert delivered.delivery_status is not None
    assert delivered.delivery_status.code == 250
    assert delivered.envelope is not None and delivered.envelope.sending_ip
    assert delivered.message is not None and delivered.message.headers is not None
    assert delivered.message.headers.message_id
    assert delivered.user_variables == {"order_id": "10042"}
    failed = parse_webhook("permanent_fail", _example("permanent_fail")).event_data
    assert failed.reason == "bounce"
    assert failed.delivery_status is not None
    assert failed.delivery_status.bounce_type == "hard"


def test_a_payload_of_another_event_is_refused() -> None:
    from mailgun_client.webhook_events import WebhookPayloadError

    with pytest.raises(WebhookPayloadError):
        parse_webhook("delivered", _example("opened"))
    with pytest.raises(WebhookPayloadError):  # failed, but the wrong severity
        parse_webhook("permanent_fail", _example("temporary_fail"))
