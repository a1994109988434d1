import pytest

from claims.models import Claim
from claims.tasks import claim_reindex
from tests.conftest import wait_for
from tests.factories import make_claim


@pytest.mark.worker
def test_a_real_worker_runs_a_task_and_its_effect_lands_in_the_database(live_worker, editor):
    claim = make_claim(editor, text="Beijing denied the request for military aid")
    Claim.objects.filter(pk=claim.pk).update(search_vector=None)

    claim_reindex.apply_async(args=[claim.pk], queue=live_worker.queue)

    def indexed():
        return Claim.objects.filter(pk=claim.pk, search_vector__isnull=False).exists()

    wait_for(indexed, timeout=60, message=f"task did not run; worker log:\n{live_worker.log()}")
    assert Claim.objects.filter(search_vector="denied").filter(pk=claim.pk).exists()
    assert "claims.tasks.claim_reindex" in live_worker.log()
