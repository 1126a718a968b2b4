from django.contrib.auth import views as auth_views
from django.urls import path

from civility.accounts import views
from civility.feedback import throttle

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),  # POST only
    path("verify/", views.verify, name="verify"),
    path("", views.account, name="account"),
    path("language/", views.language_update, name="language_update"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", views.two_factor_settings, name="two_factor_settings"),
    path("two-factor/start/", views.two_factor_start, name="two_factor_start"),
    path("two-factor/confirm/", views.two_factor_confirm, name="two_factor_confirm"),
    path("two-factor/remove/", views.two_factor_remove, name="two_factor_remove"),
    path(
        "password-reset/",
        # Each request may send an e-mail: behind the client's allowance for lookups.
        throttle.limit("THROTTLE_LOOKUP")(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        views.by_email(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.by_email(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("people/", views.people, name="people"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/created/", views.token_created, name="token_created"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path(
        "people/<int:pk>/reset-password/",
        views.person_reset_password,
        name="person_reset_password",
    ),
    path(
        "people/<int:pk>/reset-two-factor/",
        views.person_reset_two_factor,
        name="person_reset_two_factor",
    ),
]
