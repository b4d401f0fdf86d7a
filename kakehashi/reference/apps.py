from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "kakehashi.reference"
    verbose_name = "参照コード"
