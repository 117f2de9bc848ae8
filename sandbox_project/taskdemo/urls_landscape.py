"""URLs of the landscape (lesson 25): the admin only.

The sandbox's own URLs import `accounts.tasks`, which holds an `async def` task; a backend
without async support refuses that module at import (lesson 25 shows it), so the landscape's
processes keep to the admin, where a backend's dashboard lives.
"""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]
