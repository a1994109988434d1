"""Outlets: the one place an Outlet row is created or found.

Outlets are keyed by registrable domain (unique). Every way in ends here:

* ``outlet_for_domain``: one outlet by domain (a fetched page, a feed, the demo data);
* ``outlets_for_domains``: many at once (a feed's items), in two queries;
* ``outlet_for_url``: the outlet of a URL's registrable domain, none for an address;
* ``outlet_for_name``: an outlet typed by name only (the manual-source form).
"""

from __future__ import annotations

import ipaddress

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from sources.fetching import registrable_domain
from sources.models import Outlet
from sources.validators import is_domain

NAME_CHARS = 200


def outlet_for_domain(domain: str, *, name: str = "", **defaults) -> Outlet:
    """The outlet of ``domain``, created with ``name`` (and ``defaults``) if new. Race-safe:
    two callers with the same domain get the same row. An existing outlet is never renamed."""
    outlet = Outlet.objects.filter(domain=domain).first()
    if outlet is not None:
        return outlet
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the caller's tx usable
            return Outlet.objects.create(domain=domain, name=(name.strip() or domain)[:NAME_CHARS],
                                         **defaults)
    except IntegrityError:
        return Outlet.objects.get(domain=domain)


def outlets_for_domains(names_by_domain: dict[str, str]) -> dict[str, Outlet]:
    """One Outlet per registrable domain, race-safe (the domain is unique). A "domain" that is
    not a host name (a hostile or broken API answer) gets no outlet."""
    domains = [d for d in names_by_domain if d and is_domain(d)]
    if not domains:
        return {}
    existing = {o.domain: o for o in Outlet.objects.filter(domain__in=domains)}
    missing = [
        Outlet(domain=d, name=(names_by_domain[d] or d)[:NAME_CHARS]) for d in domains if d not in existing
    ]
    if missing:
        # A concurrent poll may create the same outlet: ignore the conflict, then re-read.
        Outlet.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {o.domain: o for o in Outlet.objects.filter(domain__in=domains)}
    return existing


def outlet_for_url(url: str, *, name: str = "") -> Outlet | None:
    """The outlet of the URL's registrable domain; None for IP hosts and bare names."""
    domain = registrable_domain(url)
    if not domain or "." not in domain:
        return None
    try:
        ipaddress.ip_address(domain)
        return None  # an address is not a publication
    except ValueError:
        pass
    return outlet_for_domain(domain, name=name)


def outlet_for_name(name: str) -> Outlet:
    """An outlet typed by name on a form. One known only by name gets a placeholder domain
    under the reserved ``.invalid`` TLD (RFC 2606), so it can never collide with a real site."""
    name = name.strip()[:NAME_CHARS]
    existing = Outlet.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    return outlet_for_domain(f"{slugify(name)[:200] or 'outlet'}.invalid", name=name)
