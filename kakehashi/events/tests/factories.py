import datetime

import factory
from django.utils import timezone

from kakehashi.events.models import Event, Registration


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    programme = factory.SubFactory("kakehashi.outreach.tests.factories.ProgrammeFactory")
    title = factory.Sequence(lambda n: f"DXセミナー {n}")
    kind = "seminar"
    format = "in_person"
    venue_name = "山形市産業会館"
    venue_address = "山形県山形市城南町1-1-1"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    published = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"参加 太郎{n}")
    name_key = factory.LazyAttribute(lambda o: o.name.replace(" ", ""))
    organisation = factory.Sequence(lambda n: f"株式会社参加{n}")
    organisation_key = factory.LazyAttribute(lambda o: o.organisation)
    email = factory.Sequence(lambda n: f"p{n}@example.jp")
    email_key = factory.LazyAttribute(lambda o: o.email)
