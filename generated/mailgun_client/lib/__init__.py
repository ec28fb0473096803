"""Hand-written helpers. Regeneration never touches or deletes this folder.

Code here is ours, not the generator's: it may import from the generated
package, and the generated package never imports from it.
"""

from .webhooks import (
    WebhookVerificationError,
    event_name,
    parse_event,
    verify_webhook_signature,
)

__all__ = [
    "WebhookVerificationError",
    "event_name",
    "parse_event",
    "verify_webhook_signature",
]
