"""Celery tasks of the sources app, by area: ``archive`` (archiving and link checks) and
``feeds`` (polling feeds, fetching articles' full text). Celery's autodiscovery imports this
package (``sources.tasks``), which registers both.

Task names are part of the message contract (beat's schedule, follow-up work, messages
already in the queue), so they stay as they were: ``sources.tasks.*`` and
``sources.feed_tasks.*``.
"""

from sources.tasks.archive import (
    links_check_due,
    source_archive,
    source_link_check,
)
from sources.tasks.feeds import document_fetch_text_task, feed_poll_task, feeds_poll_due

__all__ = [
    "document_fetch_text_task", "feed_poll_task", "feeds_poll_due", "links_check_due",
    "source_archive", "source_link_check",
]
