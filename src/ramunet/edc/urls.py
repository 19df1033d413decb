from django.contrib.auth import views as auth_views
from django.urls import include, path

from ramunet.edc import admin as edc_admin
from ramunet.edc.sites import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("login/", site_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", site_views.change_password, name="password_change"),
    path("two-factor/", site_views.two_factor, name="two_factor"),
    path("site/", include("ramunet.edc.web.urls")),
    path("oversight/", include("ramunet.edc.oversight.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", edc_admin.site.urls),
    path("api/v1/", include("ramunet.edc.api.urls")),
]
