"""URLs of the sandbox: the two curl endpoints, the status page, and the admin."""

from django.contrib import admin
from django.urls import path

from accounts import signup, status_page, views

urlpatterns = [
    path("admin/", admin.site.urls),
    # The curl endpoints (lessons 5 and 7): anyone with an id may ask.
    path("register/", views.register),
    path("task/<str:task_id>/", views.task_status),
    # The status page (lesson 8): each visitor sees only the tasks they started.
    path("jobs/", status_page.start, name="jobs"),
    path("jobs/<str:task_id>/", status_page.task_page, name="job"),
    path("jobs/<str:task_id>/status/", status_page.task_status, name="job-status"),
    # Lesson 1: the same signup, with its slow email sent inline or enqueued.
    path("signup/inline/", signup.signup_inline),
    path("signup/queued/", signup.signup_queued),
]
