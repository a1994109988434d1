"""Celery tasks. Tasks take ids, reload rows and call a service."""
