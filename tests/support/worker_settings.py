"""Settings for the Celery workers that outage tests start.

* Emails go to files in ``TEST_EMAIL_DIR`` (one file per message sent), so a test can count
  exactly what left.
* ``TEST_CRASH_MARKER``: the worker crashes for real (a segmentation fault) while
  extracting a page, or parsing a feed, whose bytes contain that marker, as a worker killed
  by a hostile document would. The crash is in the child process doing the task.
"""

import os

from workbench.settings import *  # noqa: F403

if os.environ.get("TEST_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["TEST_EMAIL_DIR"]


def _install_crash_on_marker(marker: bytes) -> None:
    import ctypes

    from sources import extraction, services
    from sources.connectors import rss

    def crash_if_marked(body: bytes) -> None:
        if marker in (body or b""):
            ctypes.string_at(0)  # SIGSEGV: the process dies here, no exception to catch

    real_extract = extraction.extract_document
    real_parse = rss.parse_feed

    def extract_document(result, *args, **kwargs):
        crash_if_marked(result.body)
        return real_extract(result, *args, **kwargs)

    def parse_feed(result, *args, **kwargs):
        crash_if_marked(result.body)
        return real_parse(result, *args, **kwargs)

    services.extract_document = extract_document
    rss.parse_feed = parse_feed


if os.environ.get("TEST_CRASH_MARKER"):
    from celery.signals import worker_process_init

    @worker_process_init.connect
    def _crash_on_marker(**kwargs):
        _install_crash_on_marker(os.environ["TEST_CRASH_MARKER"].encode())
