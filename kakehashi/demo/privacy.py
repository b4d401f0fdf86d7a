"""Demo step for personal-information controls and account security.

* The demo accounts that must use two-factor sign-in (prefecture, manager, admin) get an authenticator with a
  random secret generated on this machine; `python manage.py demo_logins` prints the current 6-digit code and the
  secret (to add to a phone app). Nothing known is committed, so a demo left on a network is not open to anyone
  who has read the repository.
* One deletion request waiting for approval, so the screen shows the flow.
"""

import datetime

from django.db import transaction

from kakehashi.accounts import mfa
from kakehashi.accounts.models import TOTPDevice, User
from kakehashi.outreach.models import Programme


def _enrol(user: User) -> bool:
    import pyotp

    from kakehashi.accounts.services import mfa_enroll

    if TOTPDevice.objects.filter(user=user).exists():
        return False
    secret = mfa.new_secret()
    mfa_enroll(actor=user, user=user, secret=secret, code=pyotp.TOTP(secret).now())
    # Let the first sign-in use the current code too (enrolment spent it).
    TOTPDevice.objects.filter(user=user).update(last_used_step=0)
    return True


@transaction.atomic
def seed_privacy(*, programme: Programme, users: dict[str, User], today: datetime.date) -> dict[str, int]:
    from kakehashi.companies.models import Contact
    from kakehashi.privacy.models import ErasureRequest
    from kakehashi.privacy.services import erasure_request_register

    accounts = [*users.values(), *User.objects.filter(username="admin")]
    enrolled = sum(_enrol(user) for user in {u.pk: u for u in accounts}.values() if mfa.mfa_required(user))
    requests = 0
    contact = Contact.objects.filter(company__visits__programme=programme).order_by("pk").first()
    if contact is not None and not ErasureRequest.objects.exists() and "manager" in users:
        erasure_request_register(
            actor=users["manager"],
            contact=contact,
            channel="email",
            received_on=today - datetime.timedelta(days=2),
            note="本人からメールで消去の請求。本人確認書類の写しを受領済み。",
        )
        requests = 1
    return {"mfa_enrolled": enrolled, "erasure_requests": requests}
