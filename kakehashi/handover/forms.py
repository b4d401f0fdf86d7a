from kakehashi.privacy.forms import ExportReasonForm


class BundleExportForm(ExportReasonForm):
    """All data, including personal information: the reason is required and kept in the access log."""
