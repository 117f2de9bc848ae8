"""URLs of the sandbox: the seed tutorial's two endpoints and the admin."""

from django.contrib import admin
from django.urls import path

from accounts import views
from accounts import signup

urlpatterns = [
    path("admin/", admin.site.urls),
    path("register/", views.register),
    path("task/<str:task_id>/", views.task_status),
    # Lesson 1: the same signup, with its slow email sent inline or enqueued.
    path("signup/inline/", signup.signup_inline),
    path("signup/queued/", signup.signup_queued),
]
