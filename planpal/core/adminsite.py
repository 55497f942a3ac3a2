"""The admin site: Django's, with its login form under the API's credential limits.

`/admin/login/` checks passwords like `auth/token` does, so it counts against the same limits
(per address, and per account: the lockout of planpal.core.ratelimit) and answers 429 with
Retry-After once one is exceeded.
"""

import math
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse

from planpal.core import ratelimit

LOGIN_LIMITS = ("ip", "login_ip", "login_username")


class PlanPalAdminSite(admin.AdminSite):
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST":
            wait = ratelimit.check(request, LOGIN_LIMITS)
            if wait is not None:
                response = HttpResponse(
                    "Too many sign-in attempts. Try again later.\n",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(math.ceil(wait))
                return response
        return super().login(request, extra_context)


class PlanPalAdminConfig(AdminConfig):
    default_site = "planpal.core.adminsite.PlanPalAdminSite"
