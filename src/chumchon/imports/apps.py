from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "chumchon.imports"
    label = "imports"
    verbose_name = "Spreadsheet imports"
