import secrets
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Ask for letters, digits and a symbol, so a long password is not just a word."""

    def validate(self, password: str, user=None) -> None:
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
