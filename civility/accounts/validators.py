import re
import secrets
import string

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import (
    CommonPasswordValidator as DjangoCommonPasswordValidator,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Digits and symbols people add around a word to get past the character-class rule.
DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class CommonPasswordValidator(DjangoCommonPasswordValidator):
    """Django's list of 20,000 common passwords, also when digits or symbols are added at
    either end: "Password12345!" is "password12345" (and "password") dressed up, and is
    among the first guesses of any attack."""

    def validate(self, password: str, user: User | None = None) -> None:
        super().validate(password, user)
        plain = password.lower().strip()
        for candidate in (re.sub(r"[\W_]+$", "", plain), DECORATION.sub("", plain)):
            if candidate in self.passwords:
                raise ValidationError(self.get_error_message(), code="password_too_common")


class CharacterClassValidator:
    """Ask for letters, digits and a symbol, so a long password is not just a word."""

    def validate(self, password: str, user: User | None = None) -> None:
        has_letter = any(char.isalpha() for char in password)
        has_digit = any(char.isdigit() for char in password)
        has_symbol = any(not char.isalnum() for char in password)
        if not (has_letter and has_digit and has_symbol):
            raise ValidationError(
                _("The password must contain letters, digits and at least one symbol."),
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return _("Your password must contain letters, digits and at least one symbol.")


def generate_password() -> str:
    """A random password that passes the project's validators (letters, digits, symbol)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _position in range(16))
        password = f"{body[:8]}-{body[8:]}{secrets.randbelow(10)}"
        if any(c.isalpha() for c in body):
            return password
