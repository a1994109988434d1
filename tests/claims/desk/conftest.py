import pytest


@pytest.fixture
def no_archive(monkeypatch):
    """Record archive tasks instead of sending them to a broker."""
    sent = []

    class FakeTask:
        @staticmethod
        def delay(source_id):
            sent.append(source_id)

    import sources.tasks

    monkeypatch.setattr(sources.tasks, "source_archive", FakeTask, raising=False)
    return sent
