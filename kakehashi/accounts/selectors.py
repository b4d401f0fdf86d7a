from django.db.models import QuerySet

from .models import ApiToken, User


def tokens_for(user: User) -> QuerySet[ApiToken]:
    """A user's own tokens; nobody sees another person's tokens."""
    return ApiToken.objects.filter(user=user)
