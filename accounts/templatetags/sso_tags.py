"""The login page's 统一身份认证 options (accounts.sso): {% sign_on_options as sso %}."""

from django import template

from accounts.sso import cas_enabled, ldap_enabled, local_login_rule

register = template.Library()


@register.simple_tag
def sign_on_options():
    return {"cas": cas_enabled(), "ldap": ldap_enabled(), "admin_only": local_login_rule() == "admin-only"}
