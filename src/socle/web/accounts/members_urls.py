"""The members of an authority and its invitations (under ``c/<slug>/membres/``)."""

from django.urls import path

from socle.web.accounts import members

urlpatterns = [
    path("", members.members, name="membres"),
    path("inviter/", members.invite, name="membres-inviter"),
    path("invitations/<int:invitation>/retirer/", members.cancel_invitation, name="invitation-retirer"),
    path("<int:member>/", members.change_role, name="membre-role"),
    path("<int:member>/retirer/", members.remove_member, name="membre-retirer"),
]
