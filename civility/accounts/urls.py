from django.contrib.auth import views as auth_views
from django.urls import path

from civility.accounts import views

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
]
