"""The open API at ``/api/v1/`` (Django REST Framework, schema by drf-spectacular).

``tokens`` (personal API tokens: create, revoke, authenticate), ``authentication``,
``permissions``, ``errors`` (RFC 9457 problem details), ``throttling``, ``pagination``,
``serializers``, ``views`` and ``urls``. Every read goes through the desk's selectors and
fetchers and every write through its services, so the API obeys the rules the pages obey.
"""
