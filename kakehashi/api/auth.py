from ninja.security import HttpBearer, SessionAuth

from kakehashi.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer khs_…` with a personal API token."""

    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


# Signed-in browser sessions may call the API too (CSRF is checked for unsafe methods).
API_AUTH = [TokenAuth(), SessionAuth(csrf=True)]
