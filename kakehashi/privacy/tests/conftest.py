from kakehashi.handover.tests.fixtures import demo_data  # noqa: F401
