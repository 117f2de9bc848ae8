"""Validation for the `/register/` endpoint, so bad input gets a 400, never a 500."""

from django import forms
from django.contrib.auth.models import User


class RegistrationForm(forms.ModelForm):
    password = forms.CharField()

    class Meta:
        model = User
        fields = ["username", "email", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The welcome email goes to this address, so it is required here.
        self.fields["email"].required = True

    def save(self, commit=True):
        return User.objects.create_user(**self.cleaned_data)
