"""``POST /api/v1/auth/token/``: a token for username and password, with the login's lock-out.

The same rules as the login page (``ramunet.edc.sites.views``): a locked-out account is
refused before the password is checked, every attempt is counted and audited
(``sites.services.record_login``), and an account that must still change its first password
gets no token until it has (on the web page).
"""

from __future__ import annotations

from django.contrib.auth import authenticate, get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from ramunet.edc.api.base import ServiceView
from ramunet.edc.api.errors import DetailSerializer, FieldErrorSerializer
from ramunet.edc.api.serializers import TokenRequestSerializer, TokenSerializer
from ramunet.edc.sites import services as site_services
from ramunet.edc.sites.models import Account

LOCKED = "This account is locked after repeated failed logins; try again later."
BAD_CREDENTIALS = "username or password not recognised"
CHANGE_PASSWORD = "change the first password on the web page before using the API"


class TokenView(ServiceView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: FieldErrorSerializer, 403: DetailSerializer},
        auth=[],
        summary="Obtain an API token",
    )
    def post(self, request: Request) -> Response:
        given = TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        username = given.validated_data["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is not None and site_services.is_locked_out(user):
            return Response({"detail": LOCKED}, status=status.HTTP_403_FORBIDDEN)
        authenticated = authenticate(
            request._request, username=username, password=given.validated_data["password"]
        )
        if authenticated is None:
            if user is not None and Account.objects.filter(user=user).exists():
                site_services.record_login(user, success=False)
            error = {"field": "password", "rule": "credentials", "message": BAD_CREDENTIALS}
            return Response(error | {"value": None}, status=status.HTTP_400_BAD_REQUEST)
        account = site_services.record_login(authenticated, success=True)
        if account.must_change_password:
            return Response({"detail": CHANGE_PASSWORD}, status=status.HTTP_403_FORBIDDEN)
        token, _ = Token.objects.get_or_create(user=authenticated)
        return Response({"token": token.key, "username": authenticated.get_username()})
