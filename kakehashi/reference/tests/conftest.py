import pytest


@pytest.fixture(scope="module")
def loaded_reference(django_db_setup, django_db_blocker):
    """The full reference data, loaded once per module (about a second or two) and removed after.

    Yields the results of the first load. Tests using it also take `db`, so their own writes
    roll back and the loaded rows stay as loaded.
    """
    from kakehashi.reference.loaders import load_all
    from kakehashi.reference.models import CodeItem, Industry, Municipality, Prefecture, Region

    with django_db_blocker.unblock():
        results = load_all()
    yield {result.label: result for result in results}
    with django_db_blocker.unblock():
        Region.objects.all().delete()
        Municipality.objects.filter(parent__isnull=False).delete()
        Municipality.objects.all().delete()
        Industry.objects.filter(parent__isnull=False).delete()
        Industry.objects.all().delete()
        CodeItem.objects.all().delete()
        Prefecture.objects.all().delete()
