import pytest


@pytest.fixture
def no_archive(monkeypatch):
    """Record the archive tasks sent (by name, with their follow-up ticket) instead of
    sending them to a broker."""
    from workbench.celery import app

    sent = []
    real_send_task = app.send_task

    def recording(name, args=None, kwargs=None, **options):
        if name == "sources.tasks.source_archive":
            sent.append(args[0])
            return None
        return real_send_task(name, args=args, kwargs=kwargs, **options)

    monkeypatch.setattr(app, "send_task", recording)
    return sent
