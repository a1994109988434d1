import pytest
from django.contrib.auth.models import Group

from claims.roles import ensure_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_migrations_and_the_runtime_spec_agree_on_every_role():
    before = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    ensure_roles()
    after = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert before == after
    assert "review_claim" in after["Reviewer"] and "review_claim" not in after["Editor"]


def test_roles_come_back_after_a_flush():
    Group.objects.all().delete()
    editor = UserFactory(username="flushed", groups=["Editor"])
    assert editor.has_perm("claims.change_claim")
    assert not editor.has_perm("claims.review_claim")


def test_roles_come_back_even_when_the_permissions_were_flushed_too():
    from django.contrib.auth.models import Permission

    Group.objects.all().delete()
    Permission.objects.filter(content_type__app_label__in=["claims", "sources"]).delete()
    editor = UserFactory(username="flushed-too", groups=["Editor"])
    assert editor.has_perm("claims.change_claim")
