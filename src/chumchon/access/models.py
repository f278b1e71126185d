"""Users, their area assignments, API tokens, login throttling and the audit log."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.access.audit_labels import event_summary
from chumchon.areas.models import Area


class User(AbstractUser):
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PROVINCE_COORDINATOR = "province_coordinator", _("Province coordinator")
    DISTRICT_COORDINATOR = "district_coordinator", _("District coordinator")
    TAMBON_STAFF = "tambon_staff", _("Tambon staff / social manager")
    VOLUNTEER = "volunteer", _("Village volunteer")
    AGENCY = "agency", _("Agency officer")


# The level of area each role is assigned to; None means no area (nationwide).
ROLE_AREA_LEVEL: dict[str, str | None] = {
    Role.ADMIN: None,
    Role.PROVINCE_COORDINATOR: "province",
    Role.DISTRICT_COORDINATOR: "district",
    Role.TAMBON_STAFF: "tambon",
    Role.VOLUNTEER: "village",
    Role.AGENCY: "any",  # any level, or none for a national agency
}


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def active_on(self, day: dt.date) -> AssignmentQuerySet:
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        )


class Assignment(models.Model):
    """A user's role in an area for a period. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments")
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user_id", "role", "area_id"]
        constraints = [
            models.CheckConstraint(
                name="assignment_dates_ordered",
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="assignment_area_required",
                condition=Q(role__in=[Role.ADMIN, Role.AGENCY]) | Q(area__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.area_id or '*'}"


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class ThrottleScope(models.TextChoices):
    PAIR = "pair", _("account from an address")
    ACCOUNT = "account", _("account from any address")
    ADDRESS = "address", _("address, any account")


class LoginThrottle(models.Model):
    """Failed-login counters for one key: an (account, address) pair, an account or an address.

    A row is locked (SELECT ... FOR UPDATE; SQLite writes serialise) while an attempt
    is reserved, so concurrent attempts are counted one after the other. ``username`` is
    normalised (stripped, lower case), ``address`` is an IPv4 address or an IPv6 /64;
    the unused one of the two is "".
    """

    scope = models.CharField(max_length=8, choices=ThrottleScope.choices)
    username = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=64, blank=True)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    last_failure_at = models.DateTimeField(null=True, blank=True)
    delayed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "username", "address"], name="login_throttle_key"),
        ]
        indexes = [models.Index(fields=["username"], name="login_throttle_username")]

    def __str__(self) -> str:
        return f"{self.scope} {self.username} {self.address} {self.failures}"


class Action(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    REVEAL = "reveal", _("revealed a national ID")
    EXPORT = "export", _("exported")
    IMPORT = "import", _("imported")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed to log in")
    LOGIN_REFUSED = "login_refused", _("was refused a login attempt (too many failures)")
    LOGIN_UNLOCK = "login_unlock", _("cleared login delays")
    LOGOUT = "logout", _("logged out")
    TOKEN = "token", _("obtained an API token")


# Events about one's own login or session: the action says it all (the object is the user).
ACCOUNT_ACTIONS = frozenset(
    {Action.LOGIN, Action.LOGIN_FAILED, Action.LOGIN_REFUSED, Action.LOGIN_UNLOCK, Action.LOGOUT, Action.TOKEN}
)


class AuditEvent(models.Model):
    """Append-only: database triggers refuse UPDATE and DELETE on this table."""

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=64, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    area_code = models.CharField(max_length=8, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}:{self.object_id}"

    @property
    def summary(self) -> str:
        """What happened, in the active language ("viewed the rows behind a figure")."""
        action = Action(self.action) if self.action in Action.values else None
        label = str(action.label) if action is not None else self.action
        return event_summary(label, "" if action in ACCOUNT_ACTIONS else self.object_type)
