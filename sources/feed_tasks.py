"""Celery tasks for feeds. Tasks take ids, reload rows and call a service."""
