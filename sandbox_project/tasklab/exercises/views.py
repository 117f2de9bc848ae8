"""A view for exercise 6 to test: ask for a password reset, and the email is enqueued."""

from django.db import transaction
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.tasks import send_password_reset


@csrf_exempt
@require_POST
def password_reset(request):
    email = request.POST.get("email", "").strip()
    if not email:
        return HttpResponse("Enter your email address.", status=400)
    # Enqueued once the request's transaction (if any) has committed.
    transaction.on_commit(lambda: send_password_reset.enqueue(email))
    return HttpResponse("If that address has an account, a reset link is on its way.")
