"""Who may see and do what, for which authority: the one mechanism every page goes through.

A person acts for an authority with a role (reader < contributor < administrator) when:

- they are a member of it (:class:`~socle.web.accounts.models.Membership`);
- they are a member of an ATD that accompanies it today: as a contributor (an ATD's reader stays a
  reader; an ATD's administrator does not administer the communes it accompanies: their members are
  theirs to choose);
- they are an operator of the programme: a reader of every authority.

Pages of an authority are views decorated with :func:`authority_view`, whose URL names the authority by
its ``slug``: an authority the person may not see answers 404 (its existence is not revealed), a role
too low answers 403. Everything a page shows is then reached from ``request.authority`` (its datasets,
members, versions…), never by a global query.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from socle.web.accounts.models import Membership, Role
from socle.web.territories.models import Accompaniment, Authority

P = ParamSpec("P")


@dataclass(frozen=True)
class Access:
    """What one person may do, authority by authority (computed once per request)."""

    operator: bool
    roles: Mapping[int, Role]
    """Authority id → the highest role the person has there, directly or through an ATD."""

    def role(self, authority: Authority) -> Role | None:
        role = self.roles.get(authority.pk)
        if role is None and self.operator:
            return Role.READER
        return role

    def can(self, authority: Authority, role: Role) -> bool:
        mine = self.role(authority)
        return mine is not None and mine >= role

    def authorities(self) -> QuerySet[Authority]:
        """Every authority the person may see."""
        if self.operator:
            return Authority.objects.all()
        return Authority.objects.filter(pk__in=list(self.roles))


NOBODY = Access(operator=False, roles={})


def access_of(request: HttpRequest) -> Access:
    """The access of the request's user (none when logged out), cached on the request."""
    cached: Access | None = getattr(request, "_socle_access", None)
    if cached is not None:
        return cached
    user = request.user
    if not user.is_authenticated:
        access = NOBODY
    else:
        access = compute_access(user.pk, operator=bool(getattr(user, "is_operator", False)))
    request._socle_access = access  # type: ignore[attr-defined]
    return access


def compute_access(user_id: int, *, operator: bool = False) -> Access:
    roles: dict[int, Role] = {}
    atd_roles: dict[int, Role] = {}
    for authority_id, role, is_atd in Membership.objects.filter(user_id=user_id).values_list(
        "authority_id", "role", "authority__is_atd"
    ):
        roles[authority_id] = Role(role)
        if is_atd:
            atd_roles[authority_id] = min(Role(role), Role.CONTRIBUTOR)
    if atd_roles:
        for atd_id, authority_id in (
            Accompaniment.objects.current()
            .filter(atd_id__in=list(atd_roles))
            .values_list("atd_id", "authority_id")
        ):
            role = atd_roles[atd_id]
            if roles.get(authority_id, 0) < role:
                roles[authority_id] = role
    return Access(operator=operator, roles=roles)


AuthorityView = Callable[Concatenate[HttpRequest, Authority, P], HttpResponse]


def authority_view(
    role: Role = Role.READER,
) -> Callable[[AuthorityView[P]], Callable[..., HttpResponse]]:
    """Decorate a view of one authority (URL keyword ``slug``): login required, 404 for an authority
    the user may not see, 403 for a role below ``role``; the view receives the authority."""

    def decorate(view: AuthorityView[P]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_of(request)
            authority = Authority.objects.filter(slug=slug).first()
            if authority is None or access.role(authority) is None:
                raise Http404("Cette collectivité n'existe pas ou vous n'y avez pas accès.")
            if not access.can(authority, role):
                raise PermissionDenied(
                    f"Il faut être {Role(role).label} de {authority.name} pour cette action."
                )
            request.authority = authority  # type: ignore[attr-defined]
            return view(request, authority, *args, **kwargs)

        wrapped.socle_role = role  # type: ignore[attr-defined]
        return wrapped

    return decorate
