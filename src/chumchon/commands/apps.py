from django.apps import AppConfig


class CommandsConfig(AppConfig):
    name = "chumchon.commands"
    label = "commands"
    verbose_name = "Commands that tie the apps together"
