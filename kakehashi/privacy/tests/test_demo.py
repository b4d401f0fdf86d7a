"""The demo step: authenticators for the accounts that must use one, and a deletion request to review."""

import pyotp
import pytest

from kakehashi.accounts.models import TOTPDevice
from kakehashi.privacy.models import ErasureRequest

pytestmark = pytest.mark.django_db


def test_seed_privacy_enrols_the_office_accounts_once(demo_data):
    from kakehashi.demo.privacy import seed_privacy

    first = seed_privacy(programme=demo_data["programme"], users=demo_data["users"], today=demo_data["today"])
    assert first == {"mfa_enrolled": 3, "erasure_requests": 1}
    assert set(TOTPDevice.objects.values_list("user__username", flat=True)) == {"pref", "manager", "admin"}
    assert ErasureRequest.objects.get().status == "registered"
    again = seed_privacy(programme=demo_data["programme"], users=demo_data["users"], today=demo_data["today"])
    assert again == {"mfa_enrolled": 0, "erasure_requests": 0}


def test_demo_logins_prints_the_current_code(demo_data, capsys):
    from django.core.management import call_command

    from kakehashi.demo.privacy import seed_privacy

    seed_privacy(programme=demo_data["programme"], users=demo_data["users"], today=demo_data["today"])
    call_command("demo_logins")
    out = capsys.readouterr().out
    device = TOTPDevice.objects.get(user__username="pref")
    assert device.secret in out
    assert pyotp.TOTP(device.secret).now() in out
