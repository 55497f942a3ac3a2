"""Thin views of the accounts API: auth, the user's own profile, people search, friendships."""

from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from planpal.accounts import hooks, selectors, services
from planpal.accounts.requests import AuthenticatedRequest
from planpal.accounts.serializers import (
    FriendListSerializer,
    FriendRequestInputSerializer,
    FriendSerializer,
    LoginInputSerializer,
    LogoutInputSerializer,
    MeSerializer,
    MeUpdateInputSerializer,
    PasswordChangeInputSerializer,
    PasswordResetConfirmInputSerializer,
    PasswordResetInputSerializer,
    RegisterInputSerializer,
    TokenPairSerializer,
    TokenRefreshInputSerializer,
    UserSearchInputSerializer,
    UserSearchResultSerializer,
)
from planpal.accounts.tokens import TokenObtainSerializer, token_pair
from planpal.core.api import validated
from planpal.core.authentication import SessionAuthentication
from planpal.core.events import topic_for
from planpal.core.exceptions import InvalidInput
from planpal.core.links import public_base
from planpal.realtime.credentials import session_ref, session_ref_pin
from planpal.realtime.selectors import stream_position

NO_CONTENT = OpenApiResponse(description="Done.")
NO_SUCH_USER = OpenApiResponse(description="No such user.")

# ---------------------------------------------------------------------------- auth


class RegisterApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(tags=["auth"], request=RegisterInputSerializer, responses={201: MeSerializer})
    def post(self, request: Request) -> Response:
        data = validated(RegisterInputSerializer, request.data)
        # Unless the client names one, the language the sign-up was answered in is the user's.
        fields = {"language": translation.get_language(), **data}
        user = services.user_register(**fields)
        return Response(MeSerializer(user).data, status=status.HTTP_201_CREATED)


def by_session(request: Request) -> bool:
    """Whether the browser's session cookie authenticated the request (not a bearer token)."""
    return isinstance(request.successful_authenticator, SessionAuthentication)


BAD_CREDENTIALS = OpenApiResponse(description="Wrong, expired or revoked credentials.")


@extend_schema(tags=["auth"], responses={200: TokenPairSerializer, 401: BAD_CREDENTIALS})
class TokenApi(jwt_views.TokenObtainPairView):
    """Exchange username and password for an access and a refresh token."""

    serializer_class = TokenObtainSerializer


class TokenRefreshApi(APIView):
    """Exchange a refresh token for a new pair. The refresh token is used up: presented again,
    it revokes every refresh token of the account (it was copied)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'  # a refused token is a 401 (DRF says 403 without this)

    @extend_schema(
        tags=["auth"],
        request=TokenRefreshInputSerializer,
        responses={200: TokenPairSerializer, 401: BAD_CREDENTIALS},
    )
    def post(self, request: Request) -> Response:
        data = validated(TokenRefreshInputSerializer, request.data)
        try:
            pair = services.refresh_token_rotate(refresh=data["refresh"])
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        return Response(TokenPairSerializer(pair).data)


class LoginApi(APIView):
    """Session login for the browser client (sets the session and CSRF cookies)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(tags=["auth"], request=LoginInputSerializer, responses={200: MeSerializer})
    def post(self, request: Request) -> Response:
        data = validated(LoginInputSerializer, request.data)
        user = authenticate(request._request, **data)
        if user is None:
            raise InvalidInput(_("Invalid username or password."), code="invalid_credentials")
        login(request._request, user)
        get_token(request._request)  # the browser needs the CSRF cookie for its next writes
        return Response(MeSerializer(user).data)


class LogoutApi(APIView):
    """Ends the browser session. An app sends its refresh token (revoked) and its push token
    too: a logged-out phone must neither refresh nor keep receiving the user's pushes."""

    permission_classes = [AllowAny]

    @extend_schema(tags=["auth"], request=LogoutInputSerializer, responses={204: NO_CONTENT})
    def post(self, request: Request) -> Response:
        data = validated(LogoutInputSerializer, request.data)
        token = data.get("device_token")
        if token and request.user.is_authenticated:
            hooks.run_logged_out(user=request.user, device_token=token)
        if "refresh" in data:
            services.refresh_token_revoke(refresh=data["refresh"])
        user = request.user
        if by_session(request) and user.is_authenticated:  # its WebSockets and SSE streams close
            services.user_session_end(actor=user, session=session_ref(request.session))
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        request=PasswordResetInputSerializer,
        responses={202: OpenApiResponse(description="Asked (the same answer for any address).")},
        description=(
            "Mail a link to reset the password to the account with this address, if there is "
            "one. The answer is the same either way. The link opens the web client's reset page "
            "and works once, for PASSWORD_RESET_TIMEOUT_SECONDS."
        ),
    )
    def post(self, request: Request) -> Response:
        data = validated(PasswordResetInputSerializer, request.data)
        services.password_reset_request(email=data["email"], base_url=public_base(request._request))
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        request=PasswordResetConfirmInputSerializer,
        responses={204: NO_CONTENT},
        description=(
            "Set a new password with the uid and token of a reset link. Signs out everything "
            "signed in with the old one (tokens, sessions, WebSockets and SSE streams); 400 "
            "`invalid_link` for a wrong, used or expired link."
        ),
    )
    def post(self, request: Request) -> Response:
        data = validated(PasswordResetConfirmInputSerializer, request.data)
        services.password_reset_confirm(**data)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------------------- me and people


class MeApi(APIView):
    @extend_schema(tags=["me"], responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)

    @extend_schema(tags=["me"], request=MeUpdateInputSerializer, responses={200: MeSerializer})
    def patch(self, request: AuthenticatedRequest) -> Response:
        data = validated(MeUpdateInputSerializer, request.data)
        user = services.user_update(actor=request.user, **data)
        return Response(MeSerializer(user).data)


class MePasswordApi(APIView):
    @extend_schema(
        tags=["me"],
        request=PasswordChangeInputSerializer,
        responses={
            204: OpenApiResponse(description="Changed (browser session: it stays signed in)."),
            200: OpenApiResponse(TokenPairSerializer, description="Changed (token client)."),
        },
        description=(
            "Change the password. Everything signed in with the old one is signed out: access "
            "and refresh tokens, tickets, other browser sessions, and the user's WebSockets "
            "(close 4001) and SSE streams. A browser session that asks stays signed in; a "
            "token client gets a new token pair."
        ),
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = validated(PasswordChangeInputSerializer, request.data)
        session = by_session(request)
        # The session's key changes below; its connections must still know it as the one kept.
        kept = session_ref_pin(request.session) if session else ""
        user = services.user_password_change(actor=request.user, kept_session=kept, **data)
        if session:
            update_session_auth_hash(request._request, user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(TokenPairSerializer(token_pair(user)).data)


class UserSearchApi(APIView):
    @extend_schema(
        tags=["people"],
        parameters=[OpenApiParameter("search", str, required=True, description="≥ 2 characters")],
        responses={200: UserSearchResultSerializer},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        data = validated(UserSearchInputSerializer, request.query_params)
        users = selectors.user_search(actor=request.user, query=data["search"])
        return Response(UserSearchResultSerializer({"results": users}).data)


# ---------------------------------------------------------------------------- friends


class FriendListApi(APIView):
    @extend_schema(tags=["friends"], responses={200: FriendListSerializer})
    def get(self, request: AuthenticatedRequest) -> Response:
        stream = stream_position(topic_for("user", request.user.pk))
        entries = selectors.friends_list(user=request.user)
        return Response(FriendListSerializer({"stream": stream, "results": entries}).data)

    @extend_schema(
        tags=["friends"],
        request=FriendRequestInputSerializer,
        responses={201: FriendSerializer, 200: FriendSerializer, 404: NO_SUCH_USER},
        description="Send a request (accepts theirs if they asked first); 200 if nothing changed.",
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = validated(FriendRequestInputSerializer, request.data)
        entry, changed = services.friend_request(actor=request.user, user_id=data["user"])
        code = status.HTTP_201_CREATED if changed else status.HTTP_200_OK
        return Response(FriendSerializer(entry).data, status=code)


class FriendAcceptApi(APIView):
    @extend_schema(tags=["friends"], request=None, responses={200: FriendSerializer})
    def post(self, request: AuthenticatedRequest, user_id: int) -> Response:
        entry = services.friend_accept(actor=request.user, user_id=user_id)
        return Response(FriendSerializer(entry).data)


class FriendDeclineApi(APIView):
    @extend_schema(tags=["friends"], request=None, responses={204: NO_CONTENT})
    def post(self, request: AuthenticatedRequest, user_id: int) -> Response:
        services.friend_decline(actor=request.user, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FriendBlockApi(APIView):
    @extend_schema(tags=["friends"], request=None, responses={200: FriendSerializer})
    def post(self, request: AuthenticatedRequest, user_id: int) -> Response:
        entry = services.friend_block(actor=request.user, user_id=user_id)
        return Response(FriendSerializer(entry).data)


class FriendDetailApi(APIView):
    @extend_schema(
        tags=["friends"],
        responses={204: NO_CONTENT},
        description="Unfriend, withdraw or refuse a request, or lift your own block.",
    )
    def delete(self, request: AuthenticatedRequest, user_id: int) -> Response:
        services.friend_remove(actor=request.user, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
